"""PostgreSQL dumps damaged where `pg_restore --list` reads them.

Collected in the PostgreSQL session only (see conftest.py)."""

import pytest

from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error

NOT_UTF8 = b"\x98"


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_dump_whose_contents_list_is_not_utf8_is_refused_in_one_line(site):
    name = written_backup(site.manage("dbbackup").stdout)
    stored = site.backups / name
    data = bytearray(stored.read_bytes())
    # The table of contents comes first in the archive, and `--list` prints its names.
    at = data.index(b"catalog_genre")
    data[at] = NOT_UTF8[0]
    stored.write_bytes(bytes(data))
    before = site.mutate()

    result = site.manage("dbrestore", "--noinput", "-i", name, fails=True)

    assert "does not match the checksum recorded" in command_error(result)
    assert site.snapshot() == before
