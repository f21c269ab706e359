"""SQLite backups through SQLite's online backup API, in both directions.

A backup is a page copy taken inside one read transaction: consistent while the site
writes, safe in WAL mode, and as fast as `sqlite3 .backup`. A restore copies the pages of
a checked file *into* the live database through the same API, as one write transaction:
every connection, including one holding the database open in WAL mode, then sees the
restored data, and a failure part-way leaves the database as it was. dbbackup 5.4
instead wrote the file over the database, and the old WAL won (trap 2).
"""

import contextlib
import sqlite3
import time
from pathlib import Path
from tempfile import TemporaryFile

from dbbackup.db.base import BaseDBConnector
from django.db.backends.sqlite3.creation import DatabaseCreation

from backups.errors import BackupError
from backups.files import CHUNK, unpacked, work_directory

# A Marquee database has applied at least one migration of these apps.
MARQUEE_APPS = ("catalog", "feedback", "recommendations")
LOCK_WAIT_SECONDS = 30
CHECK_MMAP_BYTES = 2**31 - 2**16  # SQLite's default ceiling
CHECK_CACHE_KIB = 128 * 1024


def open_read_only(path: Path) -> sqlite3.Connection:
    # immutable=1: a backup file is never written to, and SQLite must not create -wal or
    # -shm files next to it even when its header says WAL.
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def sqlite_file_check(path: Path, *, label: str) -> None:
    """Refuse a file that is not a whole, consistent Marquee SQLite database."""
    with contextlib.closing(open_read_only(path)) as db:
        # integrity_check reads every index against its table: memory-mapped pages and a
        # larger cache make it markedly faster on a large file.
        db.execute(f"PRAGMA mmap_size = {CHECK_MMAP_BYTES}")
        db.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
        try:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check(5)")]
            orphans = db.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{label} is not a readable SQLite database: {error}.") from error
        if problems != ["ok"]:
            raise BackupError(f"{label} failed SQLite's integrity check: {problems[0]}")
        if orphans:
            table, rowid, parent, _ = orphans[0]
            raise BackupError(
                f"{label} has {len(orphans)} row(s) whose foreign key points nowhere "
                f"(first: {table} row {rowid} -> {parent})."
            )
        try:
            marks = ",".join("?" * len(MARQUEE_APPS))
            (applied,) = db.execute(
                f"SELECT count(*) FROM django_migrations WHERE app IN ({marks})",  # noqa: S608
                MARQUEE_APPS,
            ).fetchone()
        except sqlite3.OperationalError as error:
            raise BackupError(
                f"{label} is a SQLite database but not Marquee's: it has no migrations table."
            ) from error
        if not applied:
            raise BackupError(f"{label} is a SQLite database without any of Marquee's tables.")


def giving_up_after(seconds: float):
    """A progress callback for the backup API, which otherwise retries a lock forever."""
    deadline = time.monotonic() + seconds

    def progress(status, remaining, total):
        locked = status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        if locked and time.monotonic() > deadline:
            raise BackupError(f"the database stayed locked for {seconds:g} seconds")

    return progress


class SqliteOnlineBackupConnector(BaseDBConnector):
    extension = "sqlite3"
    vendor = "sqlite"

    @property
    def database_path(self) -> Path:
        name = str(self.connection.settings_dict["NAME"])
        # pytest's test database lives in memory: "restoring" it used to write a stray file
        # named after the in-memory URI and restore nothing (trap 6).
        if DatabaseCreation.is_in_memory_db(name):
            raise BackupError(
                f"Database '{self.database_name}' is an in-memory SQLite database; "
                "restore into a database file."
            )
        return Path(name)

    def check_target(self) -> None:
        # A missing file is fine (a new machine): the restore creates it. A missing folder
        # is a wrong setting, not something to create.
        if not self.database_path.parent.is_dir():
            raise BackupError(f"There is no folder {self.database_path.parent} for the database.")

    def dump_to_path(self, path: Path) -> Path:
        name = str(self.connection.settings_dict["NAME"])
        if DatabaseCreation.is_in_memory_db(name):
            # Only Django's own connection reaches an in-memory database.
            self.connection.ensure_connection()
            source = self.connection.connection
        else:
            # A connection of our own reads the last committed state, whatever transaction
            # the caller's connection may be in.
            source = sqlite3.connect(name, timeout=LOCK_WAIT_SECONDS)
        try:
            with contextlib.closing(sqlite3.connect(path)) as target:
                source.backup(target, progress=giving_up_after(LOCK_WAIT_SECONDS))
        except (sqlite3.Error, BackupError) as error:
            raise BackupError(f"SQLite could not back up the database: {error}") from error
        finally:
            if source is not self.connection.connection:
                source.close()
        return path

    def check_file(self, path: Path, *, label: str) -> None:
        sqlite_file_check(path, label=label)

    def restore_from_path(self, path: Path) -> None:
        self.check_target()
        live = self.database_path
        self.connection.close()
        source = open_read_only(path)
        target = sqlite3.connect(live, timeout=LOCK_WAIT_SECONDS)
        try:
            # One step (pages=-1) is one write transaction: all the pages or none.
            source.backup(target, pages=-1, progress=giving_up_after(LOCK_WAIT_SECONDS))
            with contextlib.suppress(sqlite3.Error):
                target.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except (sqlite3.Error, BackupError) as error:
            raise BackupError(
                f"SQLite refused the restore, nothing was changed: {error}"
            ) from error
        finally:
            target.close()
            source.close()

    # dbbackup's own interface, for code that calls a connector directly.
    def create_dump(self):
        with work_directory() as workdir:
            self.dump_to_path(workdir / "dump.sqlite3")
            dump = TemporaryFile()  # noqa: SIM115 - dbbackup's caller reads and closes it
            with open(workdir / "dump.sqlite3", "rb") as copied:
                while chunk := copied.read(CHUNK):
                    dump.write(chunk)
        dump.seek(0)
        return dump

    def restore_dump(self, dump):
        with work_directory() as workdir:
            path, _, _ = unpacked(dump, workdir, label="The backup")
            self.check_file(path, label="The backup")
            self.restore_from_path(path)
