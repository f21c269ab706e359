"""Checks of a SQLite file before it is trusted as a backup or restored from.

A backup must be a whole, consistent Marquee database: one SQLite can read, that passes
its integrity and foreign-key checks, that holds Marquee's migrations, and that has no
write-ahead log beside it holding commits the file lacks. A restore also refuses, before
anything changes, a file the backup API could not copy into the live database.
"""

import contextlib
import re
import shlex
import sqlite3
import struct
from importlib import import_module
from pathlib import Path

from backups.errors import BackupError
from backups.migration_history import MARQUEE_APPS, LiveContents, without_marquee_tables
from config.unicode_case import install_unicode_case

# Feedback migration 0015 and the indexes it builds again with Marquee's UPPER and LOWER.
CASE_MIGRATION = ("feedback", "0015_unicode_case_on_sqlite")
CASE_INDEXES = import_module(f"feedback.migrations.{CASE_MIGRATION[1]}").REBUILT
CASE_INDEX_PROBLEM = re.compile(rf"\bindex ({'|'.join(map(re.escape, CASE_INDEXES))})$")
# Enough for the few entries a site may write between the new code and `migrate`.
CHECK_LIMIT_BEFORE_CASE = 1000

CHECK_MMAP_BYTES = 2**31 - 2**16  # SQLite's default ceiling
CHECK_CACHE_KIB = 128 * 1024
# The database header (https://sqlite.org/fileformat.html): its first 100 bytes.
HEADER_BYTES = 100
WAL_VERSIONS = b"\x02\x02"  # write and read versions 2: the file is in WAL mode
# A rollback journal starts with these bytes while it holds a transaction; once the
# transaction is over it is deleted, emptied, or this header zeroed (journal modes
# DELETE, TRUNCATE, PERSIST). https://sqlite.org/fileformat.html#the_rollback_journal
HOT_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


# What reading a damaged file raises: SQLite's own errors, and, where the damage is in
# the schema text that SQLite quotes in its message, Python failing to decode that.
UNREADABLE = (sqlite3.DatabaseError, UnicodeDecodeError)


def unreadable_reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "its schema is damaged (SQLite's own message about it is not even text)"
    return str(error)


def open_read_only(path: Path) -> sqlite3.Connection:
    # immutable=1: a backup file is never written to, and SQLite must not create -wal or
    # -shm files next to it even when its header says WAL.
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def sqlite_file_check(path: Path, *, label: str, thorough: bool = True) -> list[str]:
    """Refuse a file that is not a whole, consistent Marquee SQLite database; return what
    an operator should know about one that is (rows whose foreign key points nowhere).

    `thorough=False` skips the two checks that read the whole file, for a file known to be,
    byte for byte, a backup that passed SQLite's checks when it was written.
    """
    refuse_wal_beside(path, label=label)
    refuse_hot_journal_beside(path, label=label)
    with contextlib.closing(open_read_only(path)) as db:
        try:
            # integrity_check reads every index against its table: memory-mapped pages and
            # a larger cache make it markedly faster on a large file. (A pragma may be the
            # first statement to read a damaged schema, hence inside the try.)
            db.execute(f"PRAGMA mmap_size = {CHECK_MMAP_BYTES}")
            db.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
            problems, orphans = ["ok"], []
            if thorough:
                problems = integrity_problems(db)
                orphans = db.execute("PRAGMA foreign_key_check").fetchall()
            applied = marquee_migrations_applied(db)
        except UNREADABLE as error:
            reason = unreadable_reason(error)
            raise BackupError(f"{label} is not a readable SQLite database: {reason}.") from error
        if problems != ["ok"]:
            raise BackupError(f"{label} failed SQLite's integrity check: {problems[0]}")
        if applied is None:
            raise BackupError(
                f"{label} is a SQLite database but not Marquee's: it has no migrations table."
            )
        if not applied:
            raise BackupError(without_marquee_tables(label, kind="SQLite database"))
    return orphan_notes(orphans, label=label)


def integrity_problems(db: sqlite3.Connection) -> list[str]:
    """`PRAGMA integrity_check`'s findings (["ok"] for none), with the UPPER and LOWER the
    file's case-insensitive indexes were built with.

    Since feedback migration 0015 those are Marquee's (config/unicode_case.py). A file
    from before it was indexed with SQLite's own, and 0015 builds those indexes again when
    it is migrated: what they hold does not matter, and a site running the new code before
    `migrate` may have written a few entries the other way. Its other problems count.
    """
    if CASE_MIGRATION in recorded_migrations(db):
        install_unicode_case(db)
        return [row[0] for row in db.execute("PRAGMA integrity_check(5)")]
    found = [row[0] for row in db.execute(f"PRAGMA integrity_check({CHECK_LIMIT_BEFORE_CASE})")]
    problems = [problem for problem in found if not CASE_INDEX_PROBLEM.search(problem)]
    if len(found) == CHECK_LIMIT_BEFORE_CASE and not problems:
        problems = found  # the check stopped counting: what it did not read may be worse
    return problems or ["ok"]


def recorded_migrations(db: sqlite3.Connection) -> set[tuple[str, str]]:
    """The (app, name) of every migration the file records; none without the table."""
    if marquee_migrations_applied(db) is None:
        return set()
    return set(db.execute("SELECT app, name FROM django_migrations"))


def orphan_notes(orphans: list[tuple], *, label: str) -> list[str]:
    """Rows whose foreign key points nowhere are told, not refused: the backup holds the
    database as it was (SQLite only enforces foreign keys on connections that ask), so
    refusing it would leave no backup to restore at all."""
    if not orphans:
        return []
    table, rowid, parent, _ = orphans[0]
    return [
        f"{label} has {len(orphans)} row(s) whose foreign key points nowhere (first: "
        f"{table} row {rowid} -> {parent}), as the database it was taken from had. A restore "
        "keeps them as they are; move_to_postgres would refuse them."
    ]


def refuse_wal_beside(path: Path, *, label: str) -> None:
    """Refuse a file copied with a write-ahead log that holds commits (an empty one says
    nothing). A backup is read as immutable, its WAL ignored: those commits would be left
    out of the restore, or of the verification, without a word."""
    if wal_has_frames(path):
        fold_in = shlex.join(["sqlite3", str(path), "PRAGMA wal_checkpoint(TRUNCATE)"])
        raise BackupError(
            f"{label}: the write-ahead log beside it ({Path(path).name}-wal) holds changes "
            f"the file does not. Fold them in first ({fold_in}), or back that database up "
            "with dbbackup."
        )


def refuse_hot_journal_beside(path: Path, *, label: str) -> None:
    """Refuse a file copied in the middle of a transaction in rollback-journal mode: the
    file may hold part of the transaction, and only its journal can undo that. A backup
    is read as immutable, which ignores the journal."""
    journal = Path(f"{path}-journal")
    if not journal.is_file():
        return
    with open(journal, "rb") as file:
        if file.read(len(HOT_JOURNAL_MAGIC)) != HOT_JOURNAL_MAGIC:
            return
    # Any statement rolls it back. Not integrity_check: the shell lacks Marquee's UPPER and
    # LOWER (config/unicode_case.py), and would report names with accents as damage.
    roll_back = shlex.join(["sqlite3", str(path), "PRAGMA quick_check"])
    raise BackupError(
        f"{label}: the rollback journal beside it ({journal.name}) holds a transaction "
        "that never finished, and the file may hold part of it. Open the file once with "
        f"SQLite to roll that transaction back ({roll_back}), then try again."
    )


def page_size_and_wal(path: Path) -> tuple[int, bool] | None:
    """The page size a database file's header gives, and whether it is in WAL mode; None
    for a file too short to be a database (a new one, not written yet)."""
    with open(path, "rb") as file:
        header = file.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES:
        return None
    (size,) = struct.unpack(">H", header[16:18])
    return 65536 if size == 1 else size, header[18:20] == WAL_VERSIONS


def refuse_other_page_size(path: Path, live: Path, *, label: str) -> None:
    """Refuse, before anything happens, a backup the backup API cannot copy into a WAL
    database: it would fail half-way, with "attempt to write a readonly database"."""
    if not live.is_file() or (found := page_size_and_wal(live)) is None:
        return  # no database yet: the restore creates it with the backup's pages
    live_size, wal = found
    backup_size, _ = page_size_and_wal(path)
    if wal and backup_size != live_size:
        convert = f"PRAGMA journal_mode=DELETE; PRAGMA page_size={live_size}; VACUUM"
        raise BackupError(
            f"{label} has {backup_size}-byte pages and the database {live_size}-byte pages, "
            "and SQLite cannot change the page size of a database in WAL mode. Convert a "
            f"decompressed copy of the backup (sqlite3 COPY '{convert}'), then restore "
            "that copy with -I."
        )


def marquee_migrations_applied(db: sqlite3.Connection) -> int | None:
    """How many migrations of Marquee's apps the database records; None without the table."""
    (tables,) = db.execute(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'django_migrations'"
    ).fetchone()
    if not tables:
        return None
    marks = ",".join("?" * len(MARQUEE_APPS))
    (applied,) = db.execute(
        f"SELECT count(*) FROM django_migrations WHERE app IN ({marks})",  # noqa: S608
        MARQUEE_APPS,
    ).fetchone()
    return applied


def sqlite_live_contents(live: Path) -> LiveContents:
    """What a live database file holds, read with its write-ahead log, where a file can
    keep all its commits: nothing when there is no file yet, or no table in it (an empty
    file). A file SQLite cannot read is not nothing: a restore replaces it too."""
    if not live.is_file():
        return LiveContents.NOTHING
    # Read-only, and without Django's connection, whose PRAGMA journal_mode=WAL would
    # write a header into an empty file: the restore checked the page size without one.
    uri = f"{live.resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            if marquee_migrations_applied(db):
                return LiveContents.MARQUEE
            (tables,) = db.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
            ).fetchone()
    except UNREADABLE:
        return LiveContents.UNREADABLE  # damaged, not empty: its safety backup keeps it
    return LiveContents.OTHER if tables else LiveContents.NOTHING


def sqlite_recorded_migrations(path: Path) -> set[tuple[str, str]]:
    """The (app, name) of every migration a Marquee SQLite file records."""
    with contextlib.closing(open_read_only(path)) as db:
        return recorded_migrations(db)


def quick_check_problems(db: sqlite3.Connection) -> list[str]:
    """`PRAGMA quick_check`'s findings: ["ok"] when it finds nothing."""
    try:
        db.execute(f"PRAGMA mmap_size = {CHECK_MMAP_BYTES}")
        return [row[0] for row in db.execute("PRAGMA quick_check(5)")]
    except UNREADABLE as error:
        return [unreadable_reason(error)]


def refuse_damaged(problems: list[str]) -> None:
    """Refuse to store a copy of a damaged database: it is found now, not on restore day."""
    if problems != ["ok"]:
        raise BackupError(
            f"The database failed SQLite's quick check, so no backup was written: {problems[0]} "
            "(restore the last good backup, or see https://sqlite.org/recovery.html)"
        )


def sqlite_quick_check(path: Path) -> None:
    with contextlib.closing(open_read_only(path)) as db:
        refuse_damaged(quick_check_problems(db))


def wal_has_frames(live: Path) -> bool:
    wal = Path(f"{live}-wal")
    return wal.exists() and wal.stat().st_size > 0
