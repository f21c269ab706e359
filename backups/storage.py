"""The backup storage: files stored there with their records, and fetched back checked.

Each backup is stored beside a record (`NAME.metadata`, in dbbackup's format) that holds
its SHA-256; a backup fetched to be restored or verified is checked against it first, and
decompressed if its content is gzip, whatever its name says. Database and media backups
alike go through here.
"""

import contextlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from backups.catalogue import METADATA_SUFFIX, location_of
from backups.errors import BackupError
from backups.files import (
    Kind,
    LocalFile,
    PendingChecksum,
    kind_of,
    local_path,
    moved_into_place,
    room_named,
    sha256_of_stream,
    unpacked,
    written_into_place,
)
from backups.folders import refuse_file_in_the_way


def backup_storage():
    """The `dbbackup` storage, read from settings now (dbbackup caches it at import)."""
    storage = storages.create_storage(settings.STORAGES["dbbackup"])
    if (folder := local_folder(storage)) is not None:
        refuse_file_in_the_way("MARQUEE_BACKUP_DIR", folder)
    return storage


def local_folder(storage) -> Path | None:
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def record_checksum(storage, name: str) -> None:
    """Add a stored backup's SHA-256 to its record, once it is known."""
    with storage.open(name, "rb") as stored:
        sha256 = sha256_of_stream(stored)
    record_write(storage, name, stored_metadata(storage, name) | {"sha256": sha256})


def record_write(storage, name: str, metadata: dict) -> None:
    """Write (or rewrite) the record of the backup `name`. In a local folder it replaces
    the old one whole, or not at all: never an empty record beside a backup."""
    content = json.dumps(metadata).encode()
    if (folder := local_folder(storage)) is not None:
        with (
            room_named(folder),
            written_into_place(
                Path(storage.path(name + METADATA_SUFFIX)), mode=file_mode(storage), replace=True
            ) as file,
        ):
            file.write(content)
        return
    storage.delete(name + METADATA_SUFFIX)  # save() would pick another name
    storage.save(name + METADATA_SUFFIX, ContentFile(content))


def file_mode(storage) -> int:
    """The mode the storage gives its files; owner-only if it sets none (a backup holds
    password hashes and everyone's history)."""
    return getattr(storage, "file_permissions_mode", None) or 0o600


def file_store(storage, path: Path, name: str, metadata: dict) -> str:
    """Put a finished file in the storage under `name`, with its record, never over
    another backup. Both are stored, or neither: a backup without its record would be
    listed, and restored, without its checksum."""
    if storage.exists(name):
        raise BackupError(f"A backup named {name} already exists in {location_of(storage)}.")
    if (folder := local_folder(storage)) is not None:
        target = Path(storage.path(name))
        with room_named(folder):
            # The record first (over a stale one of a backup deleted since, which would
            # condemn this one): a run killed between the two leaves a record of nothing,
            # which is replaced next time, never a backup without one.
            record_write(storage, name, metadata)
            try:
                moved_into_place(path, target, mode=file_mode(storage))
            except BaseException:
                Path(storage.path(name + METADATA_SUFFIX)).unlink(missing_ok=True)
                raise
        return name
    return remote_store(storage, path, name, metadata)


def remote_store(storage, path: Path, name: str, metadata: dict) -> str:
    """file_store for a storage that is not a local folder: what a failure stored is deleted."""
    saved = None
    content = LocalFile(path)
    try:
        saved = storage.save(name, content)
        if storage.exists(saved + METADATA_SUFFIX):
            storage.delete(saved + METADATA_SUFFIX)  # a stale record: see file_store
        storage.save(saved + METADATA_SUFFIX, ContentFile(json.dumps(metadata).encode()))
    except BaseException:
        for leftover in (saved or name, (saved or name) + METADATA_SUFFIX):
            with contextlib.suppress(Exception):
                if storage.exists(leftover):
                    storage.delete(leftover)
        raise
    finally:
        content.close()
    return saved


def backup_name_check(name: str, *, extension: str, compress: bool) -> None:
    """Refuse a chosen name that listbackups and --clean would not recognise as a backup."""
    suffix = f".{extension}" + (".gz" if compress else "")
    if not name.endswith(suffix) or "/" in name:
        raise BackupError(f"A backup's name must end in {suffix} (and hold no /): {name}")


def stored_metadata(storage, name: str) -> dict:
    try:
        with storage.open(name + METADATA_SUFFIX, "rb") as file:
            metadata = json.load(file)
    except (OSError, ValueError):
        return {}
    return metadata if isinstance(metadata, dict) else {}


def local_metadata(sidecar: Path) -> dict:
    try:
        metadata = json.loads(sidecar.read_text())
    except (OSError, ValueError):
        return {}  # none, or unreadable: the file is then checked by its content alone
    return metadata if isinstance(metadata, dict) else {}


def stored_backup_exists(storage, name: str) -> bool:
    try:
        return storage.exists(name)
    except SuspiciousFileOperation:
        return False  # a path that leaves the backup folder: not a backup of ours


@dataclass(frozen=True)
class FetchedBackup:
    label: str
    path: Path  # plain (decompressed) file, ready to read
    kind: Kind
    was_compressed: bool
    checksum: PendingChecksum
    # The engine's check it passed when written, if it has a record of one.
    checked_when_written: str | None = None


def backup_fetch(
    workdir: Path,
    *,
    storage,
    name: str | None = None,
    path: str | None = None,
    verify_later: bool = False,
) -> FetchedBackup:
    """A backup from the storage (`name`) or the file system (`path`), checked against the
    checksum recorded when it was written, decompressed if it is gzip whatever its name.

    With `verify_later`, the checksum is computed in the background and the caller must
    call `checksum.verify()` before it changes anything.
    """
    if path is not None:
        source = Path(path)
        if source.is_dir():
            raise BackupError(f"{path} is a folder, not a backup file.")
        if not source.is_file():
            raise BackupError(f"There is no file at {path}.")
        label = str(source)
        metadata = local_metadata(Path(path + METADATA_SUFFIX))
    else:
        if not stored_backup_exists(storage, name):
            raise BackupError(f"There is no backup named {name} in {location_of(storage)}.")
        label = name
        source = local_path(storage, name)
        metadata = stored_metadata(storage, name)
        if source is None:
            source = workdir / "backup.stored"
            with storage.open(name, "rb") as stored, open(source, "wb") as copy:
                shutil.copyfileobj(stored, copy, 1024 * 1024)
    expected = metadata.get("sha256") if isinstance(metadata.get("sha256"), str) else None
    checksum = PendingChecksum(source, expected, label=label)
    if not verify_later:
        checksum.verify()
    # Only a record that also holds a checksum can vouch for the file's content.
    checked = metadata.get("checked_when_written") if expected else None
    kind = kind_of(source)
    if kind is not Kind.GZIP:
        return FetchedBackup(label, source, kind, False, checksum, checked)
    with open(source, "rb") as packed:
        try:
            plain, kind, _ = unpacked(packed, workdir, label=label)
        except BackupError:
            checksum.verify()  # a damaged file is the better explanation
            raise
    return FetchedBackup(label, plain, kind, True, checksum, checked)
