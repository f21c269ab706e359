"""Work folders left by a killed backup or restore are removed once nothing has touched
them for a day, wherever they are: in the backup folder, and in the system's temporary
folder, where a restore decompresses a backup (as large as the database)."""

import os
import time
from pathlib import Path

from backups.files import remove_abandoned_work
from tests.backups.conftest import written_backup

TWO_DAYS = 2 * 24 * 60 * 60


def abandoned_work(folder: Path, name: str) -> Path:
    work = folder / name
    work.mkdir(parents=True)
    (work / "backup.plain").write_bytes(b"half a database")
    two_days_ago = time.time() - TWO_DAYS
    os.utime(work, (two_days_ago, two_days_ago))
    return work


def test_a_restore_removes_work_a_killed_restore_left_in_the_temporary_folder(
    sqlite_site, tmp_path
):
    site = sqlite_site
    temporary = tmp_path / "tmp"
    name = written_backup(site.manage("dbbackup", "--compress").stdout)
    killed = abandoned_work(temporary, ".marquee-work-killed")
    running = temporary / ".marquee-work-running"  # another restore, under way
    running.mkdir()
    unrelated = abandoned_work(temporary, "someone-elses")

    site.manage("dbrestore", "--noinput", "-i", name, env={"TMPDIR": str(temporary)})

    assert not killed.exists()
    assert running.is_dir()
    assert unrelated.is_dir()


def test_a_link_named_like_work_is_not_followed(tmp_path):
    precious = abandoned_work(tmp_path / "elsewhere", "precious")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "tmp" / ".marquee-work-trap").symlink_to(precious)

    remove_abandoned_work(tmp_path / "tmp")

    assert (precious / "backup.plain").is_file()
