"""verify_backup of a PostgreSQL dump that pg_restore cannot finish says so in the words of a
check, not of a restore: only its scratch database was written. Collected in the PostgreSQL
session only (see conftest.py)."""

import pytest

from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_dump_cut_short_fails_its_check_without_speaking_of_the_live_database(site, tmp_path):
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)
    # The table of contents and the migrations table come first in the file: a dump cut at
    # its end passes pg_restore --list and fails only when its last table is read.
    cut = tmp_path / "cut.psql.bin"
    cut.write_bytes(backup.read_bytes()[:-200])
    before = site.snapshot()

    error = command_error(site.manage("verify_backup", str(cut), fails=True))

    assert error.startswith("CommandError: ")
    assert (
        "does not restore (tried in a scratch database; the live database was not touched): "
        "pg_restore failed: "
    ) in error
    assert "rolled back" not in error
    assert site.snapshot() == before


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
@pytest.mark.parametrize("command", [["verify_backup"], ["dbrestore", "--noinput", "-i"]])
def test_pg_restore_not_installed_is_not_blamed_on_the_backup(site, command):
    """It said "NAME is not a readable PostgreSQL dump: pg_restore is not installed": an
    operator told so may throw a good backup away."""
    name = written_backup(site.manage("dbbackup").stdout)
    before = site.snapshot()

    result = site.manage(*command, name, env={"PATH": "/nonexistent"}, fails=True)

    assert command_error(result) == (
        "CommandError: pg_restore is not installed: install PostgreSQL's client tools "
        "(postgresql-client) in the same major version as the server."
    )
    assert site.snapshot() == before
