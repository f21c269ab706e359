"""A backup older than the code is restored, and the restore says what to do next: migrate
to stay on this version, or check out the backup's version to go back (README,
Upgrading), where `migrate` would undo the way back."""

import pytest
from django.db.migrations.loader import MigrationLoader

from tests.backups.conftest import written_backup

# The newest migration of this version, which makes no table: unapplied, the backup
# stands for one taken by the version before it.
LATEST = ("catalog", "0024_movie_title_order_index")
BEFORE = "0023_usersearch_query_key"


def test_an_older_backup_restores_and_says_both_ways_on(site):
    app, _ = LATEST
    site.manage("migrate", app, BEFORE, "--no-input", "-v", "0")
    older = written_backup(site.manage("dbbackup").stdout)
    site.manage("migrate", "--no-input", "-v", "0")

    said = site.manage("dbrestore", "--noinput", "-i", older).stdout

    assert "The backup predates 1 migration(s) of this version: run manage.py migrate" in said
    assert "unless you are going back to the version the backup was taken with" in said
    unapplied = site.manage("showmigrations", app, "--plan").stdout
    assert f"[ ]  {app}.{LATEST[1]}" in unapplied


@pytest.fixture(autouse=True)
def latest_is_the_newest():
    """LATEST must stay the newest migration of its app, or the test restores less than it
    says: moved on with the next migration that makes no table."""
    app, name = LATEST
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes(app)
    assert leaves == [LATEST], f"name the newest {app} migration in LATEST: {leaves}"
