"""Which files in the backup storage are backups, and how recent each one is.

dbbackup 5.4 only saw files whose names parse as a date: a backup an operator renamed
("before-upgrade.sqlite3") was invisible to `dbbackup --clean` and to "restore the latest"
(trap 4). Here a backup is any file with one of our extensions, dated by the storage's
modification time, so renaming a file changes nothing about how it is treated.
"""

import datetime as dt
from dataclasses import dataclass

from dbbackup import settings as dbbackup_settings
from dbbackup import utils as dbbackup_utils

from backups.errors import BackupError

DATABASE_SUFFIXES = {".sqlite3": "sqlite", ".psql.bin": "postgresql"}
MEDIA_SUFFIX = ".tar"
COMPRESSED_SUFFIX = ".gz"
METADATA_SUFFIX = ".metadata"
# Safety backups are taken before each restore; "the latest backup" never means one.
SAFETY_MARK = "-pre-restore-"
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "": "Media files"}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class BackupFile:
    name: str
    size: int
    modified: dt.datetime
    content_type: str  # "db" or "media", as dbbackup calls them
    vendor: str  # Django's connection.vendor for a database backup, "" for media
    compressed: bool

    @property
    def is_safety(self) -> bool:
        return SAFETY_MARK in self.name

    @property
    def engine(self) -> str:
        return ENGINE_LABELS[self.vendor]


def describe(name: str) -> tuple[str, str, bool] | None:
    """(content type, vendor, compressed) for a backup's file name; None for anything else."""
    if name.startswith(".") or name.endswith(METADATA_SUFFIX):
        return None
    base = name.removesuffix(COMPRESSED_SUFFIX)
    compressed = base != name
    for suffix, vendor in DATABASE_SUFFIXES.items():
        if base.endswith(suffix):
            return "db", vendor, compressed
    if base.endswith(MEDIA_SUFFIX):
        return "media", "", compressed
    return None


def inner_storage(storage):
    """The Django storage behind dbbackup's Storage wrapper (or the storage itself)."""
    return getattr(storage, "storage", storage)


def location_of(storage) -> str:
    inner = inner_storage(storage)
    return str(getattr(inner, "location", inner))


def modified_time(inner, name: str) -> dt.datetime:
    try:
        modified = inner.get_modified_time(name)
    except (NotImplementedError, OSError):
        modified = dbbackup_utils.filename_to_date(name)
    if modified is None:
        return EPOCH
    return modified if modified.tzinfo else modified.replace(tzinfo=dt.UTC)


def backup_files(
    storage,
    *,
    content_type: str | None = None,
    vendor: str | None = None,
    servername: str | None = None,
    compressed: bool | None = None,
) -> list[BackupFile]:
    """Every backup in the storage, newest first."""
    inner = inner_storage(storage)
    try:
        names = inner.listdir("")[1]
    except FileNotFoundError:
        return []
    found = []
    for name in names:
        described = describe(name)
        if described is None:
            continue
        kind, file_vendor, is_compressed = described
        if content_type is not None and kind != content_type:
            continue
        if vendor is not None and file_vendor != vendor:
            continue
        if compressed is not None and is_compressed != compressed:
            continue
        if servername and servername not in name:
            continue
        try:
            size = inner.size(name)
        except OSError:
            # A name that leads to no file (a link to a disk that is not mounted) holds no
            # backup to list, keep or restore; it must not stop the others being seen.
            continue
        found.append(
            BackupFile(
                name=name,
                size=size,
                modified=modified_time(inner, name),
                content_type=kind,
                vendor=file_vendor,
                compressed=is_compressed,
            )
        )
    return sorted(found, key=lambda backup: (backup.modified, backup.name), reverse=True)


def latest_backup(
    storage, *, content_type: str, vendor: str | None = None, servername: str | None = None
) -> BackupFile:
    found = backup_files(storage, content_type=content_type, vendor=vendor, servername=servername)
    for backup in found:
        if not backup.is_safety:
            return backup
    what = f"{ENGINE_LABELS[vendor]} database" if vendor else content_type
    # A safety backup is never "the latest": it is the database as a restore found it.
    safety = f" (only safety backups: name one with -i, e.g. -i {found[0].name})" if found else ""
    raise BackupError(f"There is no {what} backup in {location_of(storage)}{safety}.")


def backups_clean(
    storage, *, content_type: str, keep: int, servername: str | None = None
) -> list[str]:
    """Delete all but the `keep` newest backups of a kind; return the names deleted.

    Safety backups are counted apart, the `keep` newest of them kept too: counted with
    the others, three restores in a day pushed out every scheduled backup but one.
    """
    if keep < 1:  # the setting refuses it; a caller passing it would delete the newest
        raise BackupError(f"Cleaning must keep at least one backup, not {keep}.")
    keep_anyway = dbbackup_settings.CLEANUP_KEEP_FILTER
    found = backup_files(storage, content_type=content_type, servername=servername)
    regular = [backup for backup in found if not backup.is_safety]
    safety = [backup for backup in found if backup.is_safety]
    deleted = []
    for backup in regular[keep:] + safety[keep:]:
        if keep_anyway(backup.name):
            continue
        delete_backup(storage, backup.name)
        deleted.append(backup.name)
    return deleted


def delete_backup(storage, name: str) -> None:
    """A backup and the metadata file beside it."""
    inner = inner_storage(storage)
    inner.delete(name)
    if inner.exists(name + METADATA_SUFFIX):
        inner.delete(name + METADATA_SUFFIX)
