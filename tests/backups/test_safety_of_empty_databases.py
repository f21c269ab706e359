"""A restore into a database that holds nothing takes no safety backup, and says so.

It used to take one anyway and print it as the way to undo: a 0-byte file on SQLite, a dump
without a migrations table on PostgreSQL, which dbrestore and verify_backup both refuse.
A database with anything in it (Marquee's tables without a row, another application's
tables) still gets its safety backup.
"""

import contextlib
import re
import sqlite3

import pytest

from backups.sqlite_checks import open_read_only
from tests.backups.conftest import new_site, written_backup
from tests.backups.test_backing_up_nothing import record_django_migrations_only

NOTHING_TO_SAVE = "No safety backup: the database held nothing to save."
PRINTED = re.compile(r"^Safety backup of the database as it was: (\S+)$", re.MULTILINE)


def files_in(folder) -> list[str]:
    """Everything in a backup folder, hidden work folders included."""
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_restore_into_an_empty_database_takes_no_safety_backup(site, empty_site):
    """No SQLite file yet; a PostgreSQL database without a table."""
    assert_restored_without_safety_backup(site, empty_site)


@pytest.mark.parametrize("site", ["sqlite"], indirect=True)
def test_a_restore_into_an_empty_sqlite_file_takes_no_safety_backup(site, empty_site):
    empty_site.sqlite_path.touch()

    assert_restored_without_safety_backup(site, empty_site)


def assert_restored_without_safety_backup(site, empty_site) -> None:
    original = site.snapshot()
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)

    result = empty_site.manage("dbrestore", "--noinput", "-I", str(backup))

    lines = result.stdout.splitlines()
    assert lines[0].startswith("Restored database 'default' from "), result.stdout
    assert lines.count(NOTHING_TO_SAVE) == 1
    assert not PRINTED.search(result.stdout)
    assert "To undo" not in result.stdout
    assert files_in(empty_site.backups) == []
    assert empty_site.snapshot() == original


def test_marquees_tables_without_rows_get_a_restorable_safety_backup(site, empty_site):
    empty_site.manage("migrate", "--no-input", "-v", "0")
    migrated = empty_site.snapshot()
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)

    result = empty_site.manage("dbrestore", "--noinput", "-I", str(backup))

    safety = PRINTED.search(result.stdout)[1]
    assert f"To undo: manage.py dbrestore -i {safety}" in result.stdout
    assert NOTHING_TO_SAVE not in result.stdout
    empty_site.manage("verify_backup", safety)
    empty_site.manage("dbrestore", "--noinput", "-i", safety)
    assert empty_site.snapshot() == migrated


def test_another_applications_tables_still_get_a_safety_backup(site, empty_site):
    # Not Marquee's, but not nothing: a restore replaces the file (SQLite) or the tables
    # that share a name (Django's own), and their rows must not go without a copy.
    record_django_migrations_only(empty_site)
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)

    result = empty_site.manage("dbrestore", "--noinput", "-I", str(backup))

    safety = PRINTED.search(result.stdout)[1]
    assert NOTHING_TO_SAVE not in result.stdout
    assert (empty_site.backups / safety).stat().st_size > 0


def test_tables_that_are_only_in_the_write_ahead_log_still_get_a_safety_backup(
    sqlite_site, tmp_path
):
    # The file alone looks empty (a header, no table): what it holds is in its WAL, which
    # a connection that stays open keeps from being folded in.
    backup = sqlite_site.backups / written_backup(sqlite_site.manage("dbbackup").stdout)
    empty = new_site(tmp_path / "wal-only", "sqlite", "")
    with contextlib.closing(sqlite3.connect(empty.sqlite_path, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("CREATE TABLE notes (body text)")
        holder.execute("INSERT INTO notes VALUES ('worth keeping')")
        with contextlib.closing(open_read_only(empty.sqlite_path)) as file_alone:
            assert not file_alone.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]

        result = empty.manage("dbrestore", "--noinput", "-I", str(backup))

    safety = PRINTED.search(result.stdout)[1]
    assert NOTHING_TO_SAVE not in result.stdout
    with contextlib.closing(open_read_only(empty.backups / safety)) as kept:
        assert kept.execute("SELECT body FROM notes").fetchall() == [("worth keeping",)]
