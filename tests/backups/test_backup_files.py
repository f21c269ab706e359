"""What a backup file is on disk: private, named so that the tools recognise it."""

import stat

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
