"""Prove a backup restores, without touching the live database.

A SQLite backup is checked and read as the database it is; a PostgreSQL dump is restored
into a scratch database on the same server, which is dropped afterwards. Either way the
report is each table's row count and content checksum (backups/checksums.py), comparable
between engines.
"""

import contextlib
import hashlib
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

from backups.checksums import TableDigest, database_digests
from backups.connections import temporary_alias
from backups.errors import BackupError
from backups.files import CHUNK, Kind, work_directory
from backups.media import archive_members
from backups.migration_history import newer_marquee_notes
from backups.postgres import pg_restore_into, postgres_file_check, postgres_recorded_migrations
from backups.scratch_databases import scratch_database
from backups.sqlite_checks import open_read_only, sqlite_file_check, sqlite_recorded_migrations
from backups.storage import backup_fetch, backup_storage, stored_backup_exists


@dataclass(frozen=True)
class VerifyReport:
    label: str
    kind: Kind
    was_compressed: bool
    tables: list[TableDigest]  # for a media archive: one entry per file, rows = its size
    notes: list[str]


def backup_verify(*, target: str) -> VerifyReport:
    """Check the backup named `target` in the storage, or else the file at that path.

    A name is the stored backup first, as for `dbrestore -i`: a file of the same name in
    the current folder must not be checked in its place (./NAME checks that one).
    """
    storage = backup_storage()
    stored = "/" not in target and stored_backup_exists(storage, target)
    local = not stored and Path(target).is_file()
    if not stored and not local:
        if Path(target).is_dir():
            raise BackupError(f"{target} is a folder, not a backup file.")
        raise BackupError(f"There is no backup or file named {target}.")
    with work_directory() as workdir:
        backup = backup_fetch(
            workdir,
            storage=storage,
            name=None if local else target,
            path=target if local else None,
        )
        notes = []
        if backup.kind is Kind.SQLITE:
            notes = sqlite_file_check(backup.path, label=backup.label)
            tables = sqlite_tables(backup)
            recorded = sqlite_recorded_migrations(backup.path)
            notes += newer_marquee_notes(recorded, label=backup.label)
        elif backup.kind is Kind.POSTGRES:
            tables = postgres_tables(backup)
            recorded = postgres_recorded_migrations(backup.path)
            notes += newer_marquee_notes(recorded, label=backup.label)
        elif backup.kind is Kind.TAR:
            tables = media_files(backup)
        else:
            raise BackupError(f"{backup.label} is {backup.kind.value}.")
    return VerifyReport(
        label=backup.label,
        kind=backup.kind,
        was_compressed=backup.was_compressed,
        tables=tables,
        notes=notes,
    )


def sqlite_tables(backup) -> list[TableDigest]:
    with contextlib.closing(open_read_only(backup.path)) as database:
        return database_digests(database, "sqlite")


def postgres_tables(backup) -> list[TableDigest]:
    postgres_file_check(backup.path, label=backup.label)
    server = connections[DEFAULT_DB_ALIAS]
    if server.vendor != "postgresql":
        raise BackupError(
            f"{backup.label} is a PostgreSQL dump: checking it needs a PostgreSQL server. "
            "Run verify_backup with DATABASE_URL set to one (only a scratch database is used)."
        )
    with scratch_database(server.settings_dict, purpose="verify") as scratch:
        # The restore's usual words ("rolled back, nothing was changed") would read as if
        # the live database had been at stake.
        pg_restore_into(
            scratch,
            backup.path,
            failed=f"{backup.label} does not restore "
            "(tried in a scratch database; the live database was not touched)",
        )
        with temporary_alias(scratch) as alias:
            connection = connections[alias]
            connection.ensure_connection()
            return database_digests(connection.connection, "postgresql")


def media_files(backup) -> list[TableDigest]:
    digests = []
    with tarfile.open(backup.path, "r:") as tar:
        for member in archive_members(backup.path, backup.label):
            digest = hashlib.sha256()
            with tar.extractfile(member) as content:
                while chunk := content.read(CHUNK):
                    digest.update(chunk)
            digests.append(
                TableDigest(table=member.name, rows=member.size, checksum=digest.hexdigest())
            )
    return digests
