"""move_to_postgres on a real server: every row of every table arrives unchanged.

Collected in the PostgreSQL session only (see conftest.py): it needs a server."""

import secrets

import pytest

from tests.backups.conftest import (
    new_site,
    postgres_create,
    postgres_drop,
    postgres_url,
    written_backup,
)
from tests.backups.test_safety import command_error
from tests.backups.test_verify import reported_tables


@pytest.fixture
def target_database():
    name = f"marquee_backups_move_{secrets.token_hex(4)}"
    postgres_create(name)
    yield name
    postgres_drop(name)


def test_everything_moves_and_every_row_arrives_unchanged(sqlite_site, target_database, tmp_path):
    source = sqlite_site.snapshot()

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database))

    assert "every table's row count and checksum match" in result.stdout
    moved = new_site(tmp_path / "moved", "postgresql", target_database)
    assert moved.snapshot() == source
    # The checksums verify_backup reports are the same on both engines for the same data.
    sqlite_backup = written_backup(sqlite_site.manage("dbbackup").stdout)
    postgres_backup = written_backup(moved.manage("dbbackup").stdout)
    assert reported_tables(sqlite_site.manage("verify_backup", sqlite_backup).stdout) == (
        reported_tables(moved.manage("verify_backup", postgres_backup).stdout)
    )
    # Sequences continue after the moved ids: new rows do not collide with moved ones.
    moved.world("mutate")


@pytest.fixture
def occupied_database(filled_sites, tmp_path):
    """A PostgreSQL database that already holds Marquee's data."""
    _, template = filled_sites["postgresql"]
    name = f"marquee_backups_full_{secrets.token_hex(4)}"
    postgres_create(name, template=template)
    yield new_site(tmp_path / "occupied", "postgresql", name)
    postgres_drop(name)


def test_a_target_that_is_not_empty_is_refused_and_left_alone(sqlite_site, occupied_database):
    before = occupied_database.snapshot()
    sqlite_site.world("mutate")

    result = sqlite_site.manage("move_to_postgres", occupied_database.database_url, fails=True)

    assert "is not empty" in command_error(result)
    assert occupied_database.snapshot() == before
