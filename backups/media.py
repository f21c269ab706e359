"""Backing up and restoring uploaded files (MEDIA_ROOT) as one tar archive.

A restore reads the whole archive before it writes a single file, so a truncated or
damaged archive, or one with a name that points outside MEDIA_ROOT, changes nothing.
"""

import os
import shutil
import stat
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from dbbackup import utils as dbbackup_utils
from dbbackup.signals import post_media_backup, post_media_restore, pre_media_backup
from django.conf import settings
from django.core.files.storage import storages

from backups.catalogue import backup_files, latest_backup, location_of
from backups.errors import BackupError
from backups.files import (
    CHUNK,
    Kind,
    gzip_to,
    is_partial,
    room_named,
    sha256_of,
    work_directory,
    written_into_place,
)
from backups.folders import refuse_file_in_the_way
from backups.storage import (
    backup_fetch,
    backup_name_check,
    backup_storage,
    file_store,
    local_folder,
)


@dataclass(frozen=True)
class MediaBackupReport:
    name: str
    files: int
    # Each entry that is not a file (a named pipe, a broken link...), with what it is.
    passed_over: list[tuple[str, str]]


@dataclass(frozen=True)
class MediaRestoreReport:
    restored: str
    written: int
    skipped: int
    # Where they went: a mistyped MARQUEE_MEDIA_DIR (or a disk not mounted) is a new empty
    # folder the restore fills, which only its name on the output shows.
    into: str = ""


def media_storage():
    storage = storages.create_storage(settings.STORAGES["default"])
    if (folder := local_folder(storage)) is not None:
        refuse_file_in_the_way("MARQUEE_MEDIA_DIR", folder)
    return storage


def media_names(storage, folder: str = "", *, seen: set[Path] | None = None) -> list[str]:
    """Every name under `folder` that is not a folder (the backup passes over those that
    are not files either), symbolic links followed as the application follows them (a
    folder linked from a bigger disk is backed up), each real folder once: a link back to
    the media folder or above it would otherwise walk it again, or walk the database and
    the backups, until the path is too long."""
    real = Path(storage.path(folder)).resolve()
    if seen is None:
        seen = {*real.parents}
    if real in seen:
        return []
    seen.add(real)
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []  # no upload yet: MEDIA_ROOT does not exist
    # A partial file a killed mediarestore left is no upload.
    names = [f"{folder}/{name}" if folder else name for name in files if not is_partial(name)]
    for sub in sorted(folders):  # a folder reached twice is archived under its first name
        names.extend(media_names(storage, f"{folder}/{sub}" if folder else sub, seen=seen))
    return sorted(names)


def not_a_file(path: str) -> str | None:
    """What an entry of the media folder is, when it is not a regular file; None for a file.

    A link is what it leads to, as the application reads it: a link to a file is backed up
    as that file. Anything else is passed over: reading a named pipe blocks until something
    writes to it, a device is no upload, and an archive that held either (or a link) would
    be refused by mediarestore.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        if os.path.islink(path):  # to a disk that is not mounted, or round a loop
            return "a broken link"
        raise
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        what = "a named pipe"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "neither a file nor a folder"
    return f"a link to {what}" if os.path.islink(path) else what


def restored_file(media, target: str, content) -> None:
    """Write a media file from the archive under a partial name beside it, then rename it
    into place: a full disk or a kill leaves the file as it was (or absent), never
    truncated, so the next run does not keep half a file. Through a symbolic link, as the
    application reads it: the file the link leads to is replaced, the link kept."""
    path = Path(os.path.realpath(media.path(target)))
    with room_named(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)  # written over: it keeps its mode
    except FileNotFoundError:
        mode = media.file_permissions_mode or new_file_mode()
    with room_named(path.parent), written_into_place(path, mode=mode, replace=True) as file:
        shutil.copyfileobj(content, file, CHUNK)


def new_file_mode() -> int:
    """The mode a file created now gets: 0o666 less the process's umask."""
    umask = os.umask(0o077)
    os.umask(umask)
    return 0o666 & ~umask


def archive_holds_files(storage, name: str) -> bool:
    """Whether a stored media backup holds a file: its listing is read as a stream, up to
    the first file, so a large archive costs no more than a small one."""
    try:
        with storage.open(name, "rb") as stored, tarfile.open(fileobj=stored, mode="r|*") as tar:
            return any(member.isfile() for member in tar)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(
            f"{name}, the newest media backup, cannot be read to tell whether it holds files: "
            f"{error}."
        ) from error


def refuse_missing_media_folder(media, storage) -> None:
    """Refuse to back up a media folder that is not there when the last backup held files.

    A fresh install has no media folder until the first upload, and backs that up as an
    empty archive. A disk that is not mounted looks the same, but after backups of files:
    an empty archive then, kept by --clean, would push the real ones out.
    """
    folder = Path(media.location)
    if folder.exists():
        return
    newest = next(iter(backup_files(storage, content_type="media")), None)
    if newest is None or not archive_holds_files(storage, newest.name):
        return
    raise BackupError(
        f"The media folder {folder} does not exist, and the newest media backup, "
        f"{newest.name}, holds files: check MARQUEE_MEDIA_DIR (mistyped, or its disk not "
        "mounted?). No backup was written, and no old one deleted."
    )


def media_backup(
    *,
    compress: bool = False,
    servername: str | None = None,
    filename: str | None = None,
) -> MediaBackupReport:
    """Archive every media file into the backup storage; what is not a file is passed
    over, so that one named pipe or broken link cannot stop the backup of the others."""
    media = media_storage()
    storage = backup_storage()
    extension = "tar.gz" if compress else "tar"
    name = filename or dbbackup_utils.filename_generate(
        extension, servername=servername, content_type="media"
    )
    backup_name_check(name, extension="tar", compress=compress)
    refuse_missing_media_folder(media, storage)
    pre_media_backup.send(sender=media_backup, servername=servername, storage=storage)
    names = media_names(media)
    passed_over = []
    with work_directory(near=local_folder(storage)) as workdir:
        archive = workdir / "media.tar"
        with tarfile.open(archive, "w") as tar:
            for member in names:
                # Checked as each is archived, not when listed: the folder of a live site
                # changes meanwhile, and a pipe given a file's name must not be opened.
                if (what := not_a_file(media.path(member))) is not None:
                    passed_over.append((member, what))
                    continue
                info = tarfile.TarInfo(member)
                info.size = media.size(member)
                info.mtime = media.get_modified_time(member).timestamp()
                with media.open(member, "rb") as content:
                    tar.addfile(info, content)
        if compress:
            archive = gzip_to(archive, workdir / "media.tar.gz")
        archive.chmod(0o600)
        files = len(names) - len(passed_over)
        metadata = {"content": "media", "files": files, "sha256": sha256_of(archive)}
        saved = file_store(storage, archive, name, metadata)
    post_media_backup.send(
        sender=media_backup, filename=saved, servername=servername, storage=storage
    )
    return MediaBackupReport(name=saved, files=files, passed_over=passed_over)


def safe_member_name(member: tarfile.TarInfo, label: str) -> str:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"{label} holds a file outside the media folder: {member.name!r}.")
    return str(path)


def archive_members(path: Path, label: str) -> list[tarfile.TarInfo]:
    """Every file of the archive, each read to its end: a truncated archive fails here."""
    files = []
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"{label} holds a link or device: {member.name!r}.")
                safe_member_name(member, label)
                with tar.extractfile(member) as content:
                    while content.read(CHUNK):
                        pass
                files.append(member)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{label} is a damaged or truncated archive: {error}.") from error
    return files


def media_restore(
    *,
    name: str | None = None,
    path: str | None = None,
    servername: str | None = None,
    replace: bool = False,
) -> MediaRestoreReport:
    """Put the files of a media archive back; files already there are kept unless
    `replace`. Files added since the backup are never deleted."""
    storage = backup_storage()
    media = media_storage()
    if name is None and path is None:
        name = latest_backup(storage, content_type="media", servername=servername).name
    with work_directory() as workdir:
        backup = backup_fetch(workdir, storage=storage, name=name, path=path)
        if backup.kind is not Kind.TAR:
            raise BackupError(f"{backup.label} is {backup.kind.value}, not a media archive.")
        members = archive_members(backup.path, backup.label)
        written = skipped = 0
        with tarfile.open(backup.path, "r:") as tar:
            for member in members:
                target = safe_member_name(member, backup.label)
                exists = media.exists(target)
                if exists and not replace:
                    skipped += 1
                    continue
                with tar.extractfile(member) as content:
                    restored_file(media, target, content)
                written += 1
    post_media_restore.send(
        sender=media_restore, filename=backup.label, servername=servername, storage=storage
    )
    return MediaRestoreReport(
        restored=backup.label, written=written, skipped=skipped, into=location_of(media)
    )
