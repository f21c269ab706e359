"""What a backup file is on disk: private, named so that the tools recognise it, and a
copy of the database byte for byte."""

import os
import stat
import time

import pytest

from backups.files import CHUNK, DIRECT_BLOCK, copy_uncached
from tests.backups.conftest import backup_suffix, written_backup
from tests.backups.test_safety import command_error


def test_backups_are_readable_by_their_owner_only(site):
    name = written_backup(site.manage("dbbackup").stdout)

    assert stat.S_IMODE((site.backups / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((site.backups / f"{name}.metadata").stat().st_mode) == 0o600
    assert stat.S_IMODE(site.backups.stat().st_mode) == 0o700


def test_a_chosen_name_must_be_one_the_tools_recognise(site):
    suffix = backup_suffix(written_backup(site.manage("dbbackup").stdout))

    result = site.manage("dbbackup", "-o", "nightly.bak", fails=True)
    assert f"A backup's name must end in {suffix}" in command_error(result)

    chosen = f"nightly{suffix}.gz"
    site.manage("dbbackup", "--compress", "-o", chosen)
    assert chosen in site.manage("listbackups").stdout
    result = site.manage("dbbackup", "--compress", "-o", chosen, fails=True)
    assert "already exists" in command_error(result)


@pytest.mark.parametrize(
    "size",
    [
        3 * CHUNK + 5 * DIRECT_BLOCK,  # whole blocks: written around the page cache
        3 * CHUNK + 5 * DIRECT_BLOCK + 100,  # not: an ordinary copy
        DIRECT_BLOCK,
        0,
    ],
)
def test_an_uncached_copy_is_the_file_byte_for_byte(tmp_path, size):
    source, target = tmp_path / "source", tmp_path / "target"
    source.write_bytes(os.urandom(size))
    target.write_bytes(b"an older, longer file " * 100_000)

    copy_uncached(source, target)

    assert target.read_bytes() == source.read_bytes()


def test_work_left_by_a_killed_backup_is_removed_after_a_day(site):
    site.backups.mkdir(mode=0o700, exist_ok=True)
    abandoned = site.backups / ".marquee-work-killed"
    (abandoned / "dump").parent.mkdir()
    (abandoned / "dump").write_bytes(b"half a database")
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(abandoned, (two_days_ago, two_days_ago))
    running = site.backups / ".marquee-work-running"  # another backup, under way
    running.mkdir()

    name = written_backup(site.manage("dbbackup").stdout)

    assert not abandoned.exists()
    assert running.is_dir()
    assert (site.backups / name).is_file()
