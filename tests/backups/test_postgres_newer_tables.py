"""A PostgreSQL dump older than some of the database's tables is refused, nothing changed.

pg_restore --clean replaces only what the dump holds: a table made by a later migration
stayed, rows and all, and `migrate` then failed on it ("already exists"); with a foreign
key to a restored table, the restore itself failed. Collected on PostgreSQL only.
"""

import re

import psycopg
import pytest

from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error

# A table of Marquee's that no other table references: dumped without it, the backup
# stands for one taken before the migration that made it.
NEWER_TABLE = "catalog_usersearch"


def run_sql(site, statement: str) -> None:
    with psycopg.connect(site.database_url, autocommit=True) as db:
        db.execute(statement)


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_dump_older_than_a_table_is_refused_and_nothing_changes(site):
    run_sql(site, f"ALTER TABLE {NEWER_TABLE} RENAME TO hidden_while_dumped")
    older = written_backup(site.manage("dbbackup").stdout)
    run_sql(site, f"ALTER TABLE hidden_while_dumped RENAME TO {NEWER_TABLE}")
    before = site.snapshot()
    backups_before = site.backup_names()

    result = site.manage("dbrestore", "--noinput", "-i", older, fails=True)

    error = command_error(result)
    assert f"predates tables the database has ({NEWER_TABLE})" in error
    assert error.endswith("nothing was changed.")
    assert site.snapshot() == before
    assert site.backup_names() == backups_before  # no safety backup was needed


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_backup_from_before_an_upgrade_names_the_migrations_to_unapply(site):
    # Last night's backup, then an upgrade that made new tables (axes', recommendations
    # 0002's): the usual way back. Unapplying recommendations 0002 unapplies feedback 0016,
    # which moves recommendation log rows with their media items.
    site.manage("migrate", "axes", "zero", "--no-input", "-v", "0")
    site.manage("migrate", "recommendations", "0001_initial", "--no-input", "-v", "0")
    before_upgrade = written_backup(site.manage("dbbackup").stdout)
    site.manage("migrate", "--no-input", "-v", "0")
    upgraded = site.snapshot()

    result = site.manage("dbrestore", "--noinput", "-i", before_upgrade, fails=True)

    error = command_error(result)
    commands = re.findall(r"manage\.py migrate (\S+) ([^\s;)]+)", error)
    assert commands == [
        ("axes", "zero"),
        ("feedback", "0015_unicode_case_on_sqlite"),
        ("recommendations", "0001_initial"),
    ], error
    assert error.endswith("nothing was changed."), "the whole reason, not cut"
    assert site.snapshot() == upgraded
    # And the advice works: unapplied as it says, the backup restores.
    for app, migration in commands:
        site.manage("migrate", app, migration, "--no-input", "-v", "0")
    site.manage("dbrestore", "--noinput", "-i", before_upgrade)
    site.manage("migrate", "--no-input", "-v", "0")
