"""move_to_postgres reads the SQLite database and never changes it, not even by migrating.

The target is migrated through a second alias; a data migration that used the default
database instead rewrote the source's ratings and deleted its rating stats, and the copy
and its proof then carried the damage over. Here the source holds rows those migrations
would change, and every row of every table is compared before and after, in the source
and in the target. Collected in the PostgreSQL session only (see conftest.py).
"""

import sqlite3

import psycopg

from backups.checksums import database_digests
from tests.backups.conftest import postgres_url
from tests.backups.test_postgres_move import sqlite_write, target_database  # noqa: F401 (a fixture)
from tests.backups.test_safety import command_error


def sqlite_digests(site):
    database = sqlite3.connect(site.sqlite_path)
    try:
        return database_digests(database, "sqlite")
    finally:
        database.close()


def postgres_digests(name: str):
    with psycopg.connect(postgres_url(name)) as database:
        return database_digests(database, "postgresql")


def test_the_source_is_unchanged_and_the_target_holds_its_rows(sqlite_site, target_database):  # noqa: F811
    sqlite_site.world("mendable")
    before = sqlite_digests(sqlite_site)

    sqlite_site.manage("move_to_postgres", postgres_url(target_database))

    assert sqlite_digests(sqlite_site) == before
    assert postgres_digests(target_database) == before


def test_a_move_rolled_back_leaves_the_source_unchanged(sqlite_site, target_database):  # noqa: F811
    sqlite_site.world("mendable")
    # A value PostgreSQL refuses: the copy fails after the target was migrated.
    sqlite_write(sqlite_site, "UPDATE catalog_movie SET overview = char(0) WHERE id = {movie}")
    before = sqlite_digests(sqlite_site)

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database), fails=True)

    assert "cannot move to PostgreSQL" in command_error(result)
    assert sqlite_digests(sqlite_site) == before
