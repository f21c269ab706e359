"""A backup made by a newer Marquee, whose migrations table lists migrations this code does
not have, is refused by dbrestore before anything changes, on both engines: restored, it
left the database ahead of the code, and `migrate` said there was nothing to apply.
verify_backup still checks such a backup, and says where it comes from."""

import sqlite3

import psycopg

from backups.migration_history import migrations_newer_than_this_code
from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error


def run_sql(site, statement: str) -> None:
    if site.engine == "sqlite":
        with sqlite3.connect(site.sqlite_path) as database:
            database.execute(statement)
        database.close()
    else:
        with psycopg.connect(site.database_url, autocommit=True) as database:
            database.execute(statement)


def backup_from_a_newer_marquee(site) -> str:
    """A backup whose migrations table records catalog.0099_future, which no code has yet."""
    run_sql(
        site,
        "INSERT INTO django_migrations (app, name, applied)"
        " VALUES ('catalog', '0099_future', CURRENT_TIMESTAMP)",
    )
    name = written_backup(site.manage("dbbackup", "--compress").stdout)
    run_sql(site, "DELETE FROM django_migrations WHERE name = '0099_future'")
    return name


def test_a_backup_from_a_newer_marquee_is_refused_and_nothing_changes(site):
    newer = backup_from_a_newer_marquee(site)
    before = site.mutate()
    backups_before = site.backup_names()

    result = site.manage("dbrestore", "--noinput", "-i", newer, fails=True)

    error = command_error(result)
    assert "1 migration(s) this Marquee does not have (catalog.0099_future)" in error
    assert "Upgrade Marquee" in error
    assert "nothing was changed" in error
    assert site.snapshot() == before
    assert site.backup_names() == backups_before, "refused before the safety backup"


def test_verify_backup_says_a_backup_comes_from_a_newer_marquee(site):
    newer = backup_from_a_newer_marquee(site)

    result = site.manage("verify_backup", newer)

    assert "restores cleanly" in result.stdout
    notes = [line for line in result.stdout.splitlines() if line.startswith("Note: ")]
    assert len(notes) == 1
    assert "catalog.0099_future" in notes[0]
    assert "newer Marquee" in notes[0]


def test_only_migrations_of_this_marquees_apps_count():
    recorded = {
        ("catalog", "0001_initial"),
        ("catalog", "0099_future"),
        ("an_app_marquee_does_not_have", "0001_initial"),  # left out, as `migrate` does
    }

    assert migrations_newer_than_this_code(recorded) == [("catalog", "0099_future")]
