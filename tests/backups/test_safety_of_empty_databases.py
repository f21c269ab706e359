"""A restore into a database that holds nothing takes no safety backup, and says so.

It used to take one anyway and print it as the way to undo: a 0-byte file on SQLite, a dump
without a migrations table on PostgreSQL, which dbrestore and verify_backup both refuse.
Marquee's database, even without a row, still gets its safety backup. Another application's
is refused: its safety backup would have been a file no dbrestore accepts.
"""

import contextlib
import re
import sqlite3

import psycopg
import pytest

from backups.sqlite_checks import open_read_only
from tests.backups.conftest import new_site, written_backup
from tests.backups.test_backing_up_nothing import record_django_migrations_only
from tests.backups.test_safety import command_error

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


@pytest.mark.parametrize("migrations_table", [True, False], ids=["django-only", "none"])
def test_a_restore_over_another_applications_tables_is_refused(site, empty_site, migrations_table):
    # A restore replaces the file (SQLite) or the tables that share a name (Django's own),
    # and the safety backup it took kept their rows in a file no dbrestore accepts.
    if migrations_table:
        record_django_migrations_only(empty_site)
    else:
        create_table_of_another_application(empty_site)
    before = other_applications_rows(empty_site)
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)

    result = empty_site.manage("dbrestore", "--noinput", "-I", str(backup), fails=True)

    error = command_error(result)
    assert "holds tables but none of Marquee's migrations: another application's database?" in (
        error
    )
    assert ("check DATABASE_URL" if site.engine == "postgresql" else "check DATABASE_URL (") in (
        error
    )
    assert error.endswith("To restore there all the same, empty it first. Nothing was changed.")
    assert not PRINTED.search(result.stdout)
    assert files_in(empty_site.backups) == []
    assert other_applications_rows(empty_site) == before


def create_table_of_another_application(site) -> None:
    statements = ["CREATE TABLE notes (body text)", "INSERT INTO notes VALUES ('worth keeping')"]
    if site.engine == "sqlite":
        with contextlib.closing(sqlite3.connect(site.sqlite_path, isolation_level=None)) as db:
            for statement in statements:
                db.execute(statement)
    else:
        with psycopg.connect(site.database_url, autocommit=True) as db:
            for statement in statements:
                db.execute(statement)


def other_applications_rows(site) -> list[tuple]:
    """Every row of the tables the other application made, as the engine lists them."""
    query = (
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
        if site.engine == "sqlite"
        else "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    connect = (
        (lambda: contextlib.closing(sqlite3.connect(site.sqlite_path)))
        if site.engine == "sqlite"
        else (lambda: psycopg.connect(site.database_url))
    )
    with connect() as db:
        tables = [name for (name,) in db.execute(query).fetchall()]
        return [
            (table, db.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608
            for table in tables
        ]


def test_tables_that_are_only_in_the_write_ahead_log_still_get_a_safety_backup(
    sqlite_site, tmp_path
):
    # The file alone looks empty (a header, no table): what it holds is in its WAL, which
    # a connection that stays open keeps from being folded in. A Marquee database there,
    # its migrations table recording one of Marquee's migrations.
    backup = sqlite_site.backups / written_backup(sqlite_site.manage("dbbackup").stdout)
    empty = new_site(tmp_path / "wal-only", "sqlite", "")
    with contextlib.closing(sqlite3.connect(empty.sqlite_path, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("CREATE TABLE django_migrations (id integer PRIMARY KEY, app, name)")
        holder.execute("INSERT INTO django_migrations VALUES (1, 'catalog', '0001_initial')")
        holder.execute("CREATE TABLE notes (body text)")
        holder.execute("INSERT INTO notes VALUES ('worth keeping')")
        with contextlib.closing(open_read_only(empty.sqlite_path)) as file_alone:
            assert not file_alone.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]

        result = empty.manage("dbrestore", "--noinput", "-I", str(backup))

    safety = PRINTED.search(result.stdout)[1]
    assert NOTHING_TO_SAVE not in result.stdout
    with contextlib.closing(open_read_only(empty.backups / safety)) as kept:
        assert kept.execute("SELECT body FROM notes").fetchall() == [("worth keeping",)]
