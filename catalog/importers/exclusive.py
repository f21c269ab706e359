"""One import at a time on a database.

An import reads the catalog's films into memory once, then creates those it lacks. Two
imports at once would each create the films neither had yet: twice the films, and every
later import refusing their titles as ambiguous. So a second import is refused at once,
before it reads a line, and says why (waiting could mean waiting hours, in a web request).

PostgreSQL: a session advisory lock, which the server drops with the connection if the
process dies. SQLite: an exclusive `flock` on a file beside the database, which the
kernel drops with the process. A database in memory is seen by no other process.
"""

import contextlib
import fcntl
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.sqlite3.creation import DatabaseCreation

# Any constant will do, as long as nothing else in the database takes the same one.
ADVISORY_LOCK_KEY = 0x4D41525155454549  # "MARQUEEI"
LOCK_FILE_SUFFIX = "-import.lock"


class AnotherImportRunning(Exception):
    """Another import is writing to this database."""

    def __init__(self):
        super().__init__(
            "another import is running on this database: run this one when it has "
            "finished (nothing was imported)"
        )


@contextlib.contextmanager
def only_import_running(using: str = DEFAULT_DB_ALIAS):
    """Hold the database's import lock for the block; AnotherImportRunning if taken."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with advisory_lock(connection):
            yield
        return
    name = str(connection.settings_dict["NAME"])
    if DatabaseCreation.is_in_memory_db(name):
        yield
        return
    with file_lock(Path(f"{name}{LOCK_FILE_SUFFIX}")):
        yield


@contextlib.contextmanager
def advisory_lock(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise AnotherImportRunning
    try:
        yield
    finally:
        # A connection kept open between requests (CONN_MAX_AGE) would otherwise keep the
        # lock, and refuse every later import. A connection broken meanwhile has lost it.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


@contextlib.contextmanager
def file_lock(path: Path):
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AnotherImportRunning from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
