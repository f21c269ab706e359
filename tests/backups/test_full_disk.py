"""A full disk (or a kill) part-way through writing leaves nothing misleading: no truncated
file where a whole one belongs, no backup without its record, and an error that names the
folder that ran out of room.

A disk cannot be mounted full here, so it is made full two ways, both in a real `manage.py`
process on real files: a file-size limit (RLIMIT_FSIZE, which fails a write past it as a
full disk would), or a test double of backups.files' `open` that fails with ENOSPC once a
file written through it passes a given size (for the small records, which a size limit
cannot single out).
"""

import os
import resource
import signal
import subprocess
import sys
import tarfile

import pytest

from tests.backups.conftest import ROOT, written_backup
from tests.backups.test_safety import command_error

FILE_SIZE_LIMIT = 64 * 1024
PARTIAL_SUFFIX = ".marquee-partial"  # backups.files.PARTIAL_SUFFIX, without importing it

# manage.py, with backups.files' `open` failing with ENOSPC once a file written through it
# passes FULL_AFTER bytes.
FULL_RECORDS = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
import backups.files
from tests.full_disks import filling_open

backups.files.open = filling_open(int(os.environ["FULL_AFTER"]))
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""


def limited_file_size():
    # Past the limit a write fails with EFBIG, instead of the signal ending the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def manage_with_little_room(site, *arguments, env=None) -> subprocess.CompletedProcess:
    """`manage.py ARGUMENTS` in a process that can write no file past FILE_SIZE_LIMIT;
    `env` adds to the site's environment."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-B", str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=site.env(**(env or {})),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=limited_file_size,  # noqa: PLW1509
    )
    assert result.returncode != 0, result.stdout
    return result


def manage_with_full_records(site, *arguments) -> subprocess.CompletedProcess:
    return site.run(
        "-c", FULL_RECORDS, *arguments, fails=True,
        env={"FULL_AFTER": "0"},
    )  # fmt: skip


def everything_in(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_media_file_replaced_on_a_full_disk_is_kept_whole(sqlite_site):
    site = sqlite_site
    (site.media / "posters").mkdir(parents=True)
    poster = site.media / "posters" / "big.jpg"
    poster.write_bytes(os.urandom(4 * FILE_SIZE_LIMIT))
    name = written_backup_of_media(site)
    edited = os.urandom(3 * FILE_SIZE_LIMIT)
    poster.write_bytes(edited)

    result = manage_with_little_room(site, "mediarestore", "--noinput", "--replace", "-i", name)

    assert command_error(result).startswith(
        f"CommandError: No space left in {site.media / 'posters'}: File too large."
    )
    assert poster.read_bytes() == edited
    assert everything_in(site.media / "posters") == ["big.jpg"]


def test_a_media_file_cut_short_by_a_full_disk_is_not_kept_by_the_next_run(sqlite_site):
    site = sqlite_site
    site.media.mkdir()
    whole = os.urandom(4 * FILE_SIZE_LIMIT)
    (site.media / "big.jpg").write_bytes(whole)
    name = written_backup_of_media(site)
    (site.media / "big.jpg").unlink()

    manage_with_little_room(site, "mediarestore", "--noinput", "-i", name)
    assert everything_in(site.media) == []
    site.manage("mediarestore", "--noinput", "-i", name)

    assert (site.media / "big.jpg").read_bytes() == whole


def test_a_partial_file_a_killed_restore_left_is_neither_backed_up_nor_kept(sqlite_site):
    site = sqlite_site
    site.media.mkdir()
    (site.media / "a.jpg").write_bytes(b"whole")
    name = written_backup_of_media(site)
    (site.media / "a.jpg").unlink()
    left = site.media / f".a.jpg{PARTIAL_SUFFIX}"
    left.write_bytes(b"wh")

    site.manage("mediarestore", "--noinput", "-i", name)
    again = written_backup_of_media(site)

    assert everything_in(site.media) == ["a.jpg"]
    with tarfile.open(site.backups / again) as archive:
        assert archive.getnames() == ["a.jpg"]


def written_backup_of_media(site) -> str:
    out = site.manage("mediabackup").stdout
    return (
        next(line for line in out.splitlines() if line.startswith("Backed up"))
        .split(" to ", 1)[1]
        .split(" ")[0]
    )


def test_a_backup_to_a_path_on_a_full_disk_leaves_nothing_there(sqlite_site, tmp_path):
    site = sqlite_site
    target = tmp_path / "elsewhere" / "copy.sqlite3"
    target.parent.mkdir()

    result = manage_with_little_room(site, "dbbackup", "-O", str(target))

    assert command_error(result)
    assert everything_in(target.parent) == []
    site.manage("dbbackup", "-O", str(target))  # not blocked by what the failure left
    assert (target.stat().st_mode & 0o777) == 0o600
    assert (target.with_name("copy.sqlite3.metadata").stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("compress", [[], ["--compress"]])
def test_a_backup_whose_record_does_not_fit_is_not_stored(site, compress):
    result = manage_with_full_records(site, "dbbackup", *compress)

    assert command_error(result) == (
        f"CommandError: No space left in {site.backups}: No space left on device."
    )
    assert everything_in(site.backups) == []
    assert site.manage("listbackups").stdout.splitlines()[1:] == []  # the header alone


def test_a_restore_whose_safety_record_does_not_fit_changes_nothing_and_leaves_nothing(site):
    backup = written_backup(site.manage("dbbackup").stdout)
    before = site.mutate()

    result = manage_with_full_records(site, "dbrestore", "--noinput", "-i", backup)

    assert command_error(result).endswith(
        "No restore without a safety backup, and it failed: "
        f"No space left in {site.backups}: No space left on device."
    )
    assert site.snapshot() == before
    assert everything_in(site.backups) == [backup, f"{backup}.metadata"]


def test_a_temporary_folder_too_full_to_uncompress_in_is_named(site, tmp_path):
    """verify_backup (and dbrestore) uncompress a .gz in the temporary folder: on a full
    one the command said only "[Errno 28] No space left on device", where a backup's
    own full folder is named. The folder is named now, and how to choose another."""
    backup = written_backup(site.manage("dbbackup", "--compress").stdout)
    temporary = tmp_path / "tmp"
    temporary.mkdir()

    result = manage_with_little_room(site, "verify_backup", backup, env={"TMPDIR": str(temporary)})

    assert command_error(result) == (
        f"CommandError: No space left in {temporary} (the temporary folder: TMPDIR chooses "
        "another): File too large."
    )
    assert everything_in(temporary) == []
