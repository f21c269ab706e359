"""What a backup file is, decided by its first bytes, and getting it ready to read.

A file's name is only a hint. dbbackup 5.4 trusted `-z` and wrote gzip bytes over a SQLite
database when it was forgotten; here the content decides, so a compressed backup is always
decompressed and a file for the other engine is refused before anything is touched.
"""

import contextlib
import enum
import errno
import gzip
import hashlib
import mmap
import os
import shutil
import stat
import tempfile
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.files import File

from backups.errors import BackupError
from backups.stopping import background_pool

CHUNK = 1024 * 1024
# O_DIRECT writes whole blocks of the device: 4096 bytes covers every disk in use.
DIRECT_BLOCK = 4096
# How a file system says it does not do O_DIRECT; any other error (a full disk) is real.
DIRECT_REFUSED = {errno.EINVAL, errno.EOPNOTSUPP}
GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRES_CUSTOM_MAGIC = b"PGDMP"
TAR_MAGIC_OFFSET = 257
TAR_BLOCK = 512
WORK_PREFIX = ".marquee-work-"
# A file being written beside the one it will replace: `.NAME.marquee-partial`. Hidden, so
# that no listing or backup takes it for a file; a killed run's is written over next time.
PARTIAL_SUFFIX = ".marquee-partial"
# How a disk says it is full (or the file over a quota or size limit).
OUT_OF_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
TEMPORARY_FOLDER = " (the temporary folder: TMPDIR chooses another)"
ABANDONED_AFTER_SECONDS = 24 * 60 * 60


class Kind(enum.Enum):
    SQLITE = "a SQLite database"
    POSTGRES = "a PostgreSQL custom-format dump"
    TAR = "a tar archive"
    GZIP = "gzip-compressed data"
    EMPTY = "an empty file"
    UNKNOWN = "not a backup Marquee can read"


# The database a backup kind restores into, as Django's connection.vendor names it.
VENDOR_OF_KIND = {Kind.SQLITE: "sqlite", Kind.POSTGRES: "postgresql"}
KIND_OF_VENDOR = {vendor: kind for kind, vendor in VENDOR_OF_KIND.items()}


def sniff(head: bytes) -> Kind:
    if not head:
        return Kind.EMPTY
    if head.startswith(GZIP_MAGIC):
        return Kind.GZIP
    if head.startswith(SQLITE_MAGIC):
        return Kind.SQLITE
    if head.startswith(POSTGRES_CUSTOM_MAGIC):
        return Kind.POSTGRES
    if head[TAR_MAGIC_OFFSET : TAR_MAGIC_OFFSET + 5] == b"ustar":
        return Kind.TAR
    return Kind.UNKNOWN


def kind_of(path: Path) -> Kind:
    with open(path, "rb") as file:
        kind = sniff(file.read(TAR_BLOCK))
        if kind is Kind.UNKNOWN and is_empty_tar(file):
            return Kind.TAR
    return kind


def is_empty_tar(file: BinaryIO) -> bool:
    """Whether the file is whole blocks of zeros, two at least: a tar archive of no file.

    Such an archive is only its end-of-archive marker, padded to tar's record size (10240
    bytes): it has no `ustar` magic to be recognised by, and it is what `mediabackup`
    writes for a fresh install. Only the file that is zeros to its end counts.
    """
    file.seek(0)
    size = 0
    while chunk := file.read(CHUNK):
        if chunk.count(0) != len(chunk):
            return False
        size += len(chunk)
    return size >= 2 * TAR_BLOCK and size % TAR_BLOCK == 0


def sha256_of(path: Path) -> str:
    with open(path, "rb") as file:
        return sha256_of_stream(file)


def sha256_of_stream(stream: BinaryIO) -> str:
    return hashlib.file_digest(stream, "sha256").hexdigest()


def in_background(function, *args) -> Future:
    """Run `function(*args)` in a thread of its own; the future holds its result."""
    pool = background_pool()
    started = pool.submit(function, *args)
    pool.shutdown(wait=False)  # the thread ends with its one task
    return started


def copy_uncached(source: Path, target: Path) -> None:
    """Copy a file without putting the copy in the page cache (O_DIRECT).

    A backup is written once and seldom read: through the cache, its copy would push as
    many of the running site's pages out. On the standard machine, a VM whose memory is
    backed only when first touched, it is also steadier: 0.09 to 0.11 s for 141 MB, against
    0.10 to 0.41 s through the cache. Where the system or the file system does not do
    O_DIRECT (some refuse it when the file is opened, others when it is written), or the
    size is not in whole blocks, an ordinary copy.
    """
    direct = getattr(os, "O_DIRECT", 0)
    if direct and os.stat(source).st_size % DIRECT_BLOCK == 0:
        try:
            direct_copy(source, target, direct)
            return
        except OSError as error:
            if error.errno not in DIRECT_REFUSED:
                raise
    shutil.copyfile(source, target)


def direct_copy(source: Path, target: Path, direct: int) -> None:
    out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | direct, 0o600)
    try:
        # mmap's memory is page-aligned, as O_DIRECT requires of the buffer.
        with open(source, "rb", buffering=0) as raw, mmap.mmap(-1, CHUNK) as buffer:
            while read := raw.readinto(buffer):
                with memoryview(buffer)[:read] as chunk:
                    written = 0
                    while written < read:
                        written += os.write(out, chunk[written:])
    finally:
        os.close(out)


def flushed_to_disk(*paths: Path) -> None:
    """Wait until the files, and the folders that name them, are on the disk.

    A backup is worth something only once it would survive a power cut: the engines' own
    tools (pg_dump, SQLite's backup API) wait for the disk too, and `dbbackup --clean`
    deletes older backups right after a new one is written.
    """
    folders = {Path(path).parent for path in paths}
    for path in [*paths, *folders]:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def partial_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{PARTIAL_SUFFIX}")


def is_partial(name: str) -> bool:
    return name.startswith(".") and name.endswith(PARTIAL_SUFFIX)


@contextlib.contextmanager
def written_into_place(target: Path, *, mode: int, replace: bool = False) -> Iterator[BinaryIO]:
    """A file for `target`, written under a partial name beside it, put on the disk, then
    renamed over it: `target` is never seen half-written, whatever stops the writing (a
    full disk, a kill). On failure the partial file is removed and `target` left as it was.

    Without `replace`, a file already at `target` is refused rather than written over.
    """
    partial = partial_path(target)
    partial.unlink(missing_ok=True)  # what a killed run left
    # O_EXCL: a link planted under the partial name is not followed.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with open(descriptor, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(partial, mode)
        if not replace and os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "A file is already there", str(target))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    flushed_to_disk(target.parent)


def moved_into_place(source: Path, target: Path, *, mode: int) -> None:
    """Move a finished file to `target` (never over a file there): renamed on the same disk,
    else copied through written_into_place."""
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "A file is already there", str(target))
    os.chmod(source, mode)
    try:
        os.rename(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        with open(source, "rb") as content, written_into_place(target, mode=mode) as file:
            shutil.copyfileobj(content, file, CHUNK)
    flushed_to_disk(target)


@contextlib.contextmanager
def room_named(folder: Path | str, *, which: str = "") -> Iterator[None]:
    """A full disk (or quota, or file size limit) reported with the folder that ran out,
    which the system's own message ("No space left on device") does not name; `which`
    says what the folder is, where its path would not tell."""
    try:
        yield
    except OSError as error:
        if error.errno not in OUT_OF_ROOM:
            raise
        raise BackupError(f"No space left in {folder}{which}: {error.strerror}.") from error


@dataclass(frozen=True)
class Dump:
    """A database dump just written; its SHA-256 when the copy computed it on the way, and
    the engine's check it passed if it was checked while it was copied."""

    path: Path
    sha256: str | None = None
    checked: str | None = None


class PendingChecksum:
    """A file's SHA-256 against the one recorded when it was written, computed in a thread
    so that a restore can go on meanwhile; `verify()` waits for it and raises on a mismatch.

    A restore must call `verify()` before it changes anything.
    """

    def __init__(self, path: Path, expected: str | None, *, label: str):
        self.expected = expected
        self.label = label
        self._digest = in_background(sha256_of, path) if expected else None

    def matches(self) -> bool:
        return self._digest is None or self._digest.result() == self.expected

    def verify(self) -> None:
        if not self.matches():
            raise ChecksumMismatch(
                f"{self.label} does not match the checksum recorded when it was written: "
                "it is truncated or damaged."
            )


class ChecksumMismatch(BackupError):
    """The file is not the one that was written: nothing else said about it matters."""


class LocalFile(File):
    """A file already on disk. Django's FileSystemStorage moves it into place instead of
    copying it, which keeps a backup as fast as the engine's own tool."""

    def __init__(self, path: Path):
        self.path = Path(path)
        # Closed by the caller, after the storage has moved or copied it.
        super().__init__(open(self.path, "rb"), name=self.path.name)  # noqa: SIM115

    def temporary_file_path(self) -> str:
        return str(self.path)


@contextlib.contextmanager
def work_directory(near: Path | None = None) -> Iterator[Path]:
    """A private directory for partial files, removed afterwards.

    Next to the backup folder when it is local (`near`), so that the finished file is
    renamed into place rather than copied; hidden, so listings never show a half-written
    backup. Otherwise in the system's temporary folder. Work directories that a killed
    process left are removed first, from both places: so the next nightly backup also
    clears what a killed restore left in the temporary folder.
    """
    if near is not None:
        near.mkdir(mode=0o700, parents=True, exist_ok=True)  # backups are private
        remove_abandoned_work(near)
    temporary = Path(tempfile.gettempdir())
    remove_abandoned_work(temporary)
    # What is written here is said to fill its folder, which the system's own message
    # does not name (a restore's uncompressed file fills the temporary folder, not the
    # backups' one); a write elsewhere inside is named by its own room_named first.
    folder = near or temporary
    which = "" if near else TEMPORARY_FOLDER
    with room_named(folder, which=which):
        path = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=near))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)


def remove_abandoned_work(folder: Path) -> None:
    """Remove work directories nothing has changed for a day: a backup or restore killed
    part-way (cron's timeout, the OOM killer) leaves one behind, as large as the database,
    and nothing else would ever remove it. No backup runs for a day, so none is in use.

    Only real directories of this user's: the temporary folder is shared, and a link
    named like a work directory must not lead the removal elsewhere.
    """
    abandoned_before = time.time() - ABANDONED_AFTER_SECONDS
    for work in folder.glob(f"{WORK_PREFIX}*"):
        with contextlib.suppress(OSError):  # another process removing it first is fine
            status = work.lstat()
            if (
                stat.S_ISDIR(status.st_mode)
                and status.st_uid == os.geteuid()
                and status.st_mtime < abandoned_before
            ):
                shutil.rmtree(work)


def gzip_to(source: Path, destination: Path, *, level: int = 6) -> Path:
    # Level 6 is gzip's own default: level 9 (dbbackup's) is several times slower for
    # a few percent less.
    with open(source, "rb") as raw, gzip.open(destination, "wb", compresslevel=level) as packed:
        shutil.copyfileobj(raw, packed, CHUNK)
    return destination


def unpacked(source: BinaryIO, workdir: Path, *, label: str) -> tuple[Path, Kind, bool]:
    """Copy a backup into `workdir`, decompressed whatever its name or `-z` said.

    Returns the plain file, what it is, and whether it was compressed. A truncated or
    damaged gzip stream is refused here, before any database is touched.
    """
    head = source.read(2)
    source.seek(0)
    target = workdir / "backup.plain"
    compressed = head == GZIP_MAGIC
    try:
        with open(target, "wb") as out:
            if compressed:
                with gzip.GzipFile(fileobj=source, mode="rb") as stream:
                    shutil.copyfileobj(stream, out, CHUNK)
            else:
                shutil.copyfileobj(source, out, CHUNK)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise BackupError(
            f"{label} is gzip-compressed but truncated or damaged ({error})."
        ) from error
    return target, kind_of(target), compressed


def local_path(storage, name: str) -> Path | None:
    """The file's own path when the storage is a local folder, so it can be read in place."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None
