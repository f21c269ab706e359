"""PostgreSQL's safety backups: dumped at the fastest compression, ordinary ones at the default.

Collected in the PostgreSQL session only (see conftest.py)."""

import re

import pytest

from backups.postgres import SAFETY_COMPRESSION
from backups.postgres_tools import run_tool
from tests.backups.conftest import written_backup


def compression_of(dump) -> str:
    """The compression level pg_dump wrote in the archive's header."""
    listing = run_tool(["pg_restore", "--list", str(dump)])
    return re.search(r"^;\s+Compression: (-?\d+)$", listing, re.MULTILINE)[1]


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_safety_backup_is_dumped_at_the_fastest_compression_and_restores(site):
    original = site.snapshot()
    backup = written_backup(site.manage("dbbackup").stdout)
    mutated = site.mutate()

    result = site.manage("dbrestore", "--noinput", "-i", backup)
    safety = re.search(r"Safety backup of the database as it was: (\S+)", result.stdout)[1]

    assert compression_of(site.backups / backup) == "-1"  # pg_dump's default
    assert compression_of(site.backups / safety) == str(SAFETY_COMPRESSION)
    assert site.snapshot() == original
    site.manage("dbrestore", "--noinput", "-i", safety)
    assert site.snapshot() == mutated
