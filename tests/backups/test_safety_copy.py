"""The pieces a SQLite restore's safety copy rests on, tried on plain database files.

A restore copies the database as it was while it writes the new pages, which is only
right if the file stays unchanged for as long as the copy reads it (see
`reading_the_file_alone`). The restores themselves are tried in test_safety.py (the safety
backup undoes the restore) and test_sqlite_copies.py (where the file cannot be kept).
"""

import contextlib
import hashlib
import sqlite3
from pathlib import Path
from types import SimpleNamespace

from backups.sqlite import SqliteOnlineBackupConnector, reading_the_file_alone


def database(path: Path, *, journal_mode: str = "wal") -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA journal_mode = {journal_mode}")
    connection.execute("CREATE TABLE IF NOT EXISTS film (id INTEGER PRIMARY KEY, title TEXT)")
    connection.executemany("INSERT INTO film (title) VALUES (?)", [("Se7en",), ("Heat",)])
    return connection


def titles(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute("SELECT title FROM film ORDER BY id")]


def test_while_it_reads_the_file_alone_commits_and_checkpoints_leave_the_file_as_it_was(
    tmp_path,
):
    path = tmp_path / "live.sqlite3"
    writer = database(path)
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.read_bytes()

    reader = reading_the_file_alone(path)
    assert reader is not None
    try:
        writer.execute("DELETE FROM film")
        writer.executemany("INSERT INTO film (title) VALUES (?)", [("Alien",)] * 500)
        writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        assert path.read_bytes() == before
        assert titles(reader) == ["Se7en", "Heat"]
    finally:
        reader.close()
    writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
    assert path.read_bytes() != before, "once it ends, the commits reach the file"
    assert titles(writer) == ["Alien"] * 500
    writer.close()


def test_commits_a_reader_keeps_in_the_wal_mean_the_file_alone_is_not_the_database(tmp_path):
    path = tmp_path / "live.sqlite3"
    writer = database(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    old_snapshot = sqlite3.connect(path, isolation_level=None)
    old_snapshot.execute("BEGIN")
    titles(old_snapshot)  # holds the WAL: it cannot be emptied into the file
    writer.execute("DELETE FROM film WHERE title = 'Heat'")

    assert reading_the_file_alone(path) is None

    old_snapshot.close()
    writer.close()


def test_a_database_in_rollback_journal_mode_is_copied_the_ordinary_way(tmp_path):
    path = tmp_path / "live.sqlite3"
    database(path, journal_mode="delete").close()

    assert reading_the_file_alone(path) is None


def connector_for(path: Path) -> SqliteOnlineBackupConnector:
    connector = SqliteOnlineBackupConnector.__new__(SqliteOnlineBackupConnector)
    connector.connection = SimpleNamespace(settings_dict={"NAME": str(path)})
    return connector


def test_the_copy_taken_while_a_restore_writes_holds_the_database_as_it_was(tmp_path):
    path, copy = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    writer = database(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # as a restore's one transaction

    with connector_for(path).copying_while_restoring(copy) as copying:
        assert copying is not None
        writer.execute("DELETE FROM film")
        writer.execute("INSERT INTO film (title) VALUES ('Alien')")
        dump = copying.result()

    assert dump.path == copy
    assert dump.sha256 == hashlib.sha256(copy.read_bytes()).hexdigest()
    with contextlib.closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as copied:
        assert titles(copied) == ["Se7en", "Heat"]
    # On leaving, the restore's pages were checkpointed into the file.
    immutable = f"{path.as_uri()}?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(immutable, uri=True)) as file_alone:
        assert titles(file_alone) == ["Alien"]
    writer.close()
