"""listbackups shows every backup of ours, renamed ones included, newest first."""

import os
import shutil
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import call_command

from backups.catalogue import latest_backup
from backups.errors import BackupError
from backups.management.commands.listbackups import Command as ListBackups
from backups.storage import backup_storage
from tests.backups.conftest import ROOT, new_site


def stored(folder, name, *, age_seconds, size=10):
    path = folder / name
    path.write_bytes(b"x" * size)
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))


def listed(**options) -> list[list[str]]:
    out = StringIO()
    call_command("listbackups", stdout=out, **options)
    return [line.split() for line in out.getvalue().splitlines()[1:]]


def test_every_backup_is_listed_newest_first_with_size_and_engine(backup_storage_dir):
    folder = backup_storage_dir
    folder.mkdir()
    stored(folder, "before-upgrade.sqlite3", age_seconds=10, size=2048)
    stored(folder, "marquee-default-host-2020-01-01-000000-000000.psql.bin.gz", age_seconds=20)
    stored(folder, "marquee-default-host-pre-restore-2021-01-01-000000-1.sqlite3", age_seconds=5)
    stored(folder, "marquee-media-host-2020-01-01-000000-000000.tar.gz", age_seconds=30)
    stored(folder, "before-upgrade.sqlite3.metadata", age_seconds=10)
    stored(folder, "notes.txt", age_seconds=1)

    rows = listed()

    assert [row[0] for row in rows] == [
        "marquee-default-host-pre-restore-2021-01-01-000000-1.sqlite3",
        "before-upgrade.sqlite3",
        "marquee-default-host-2020-01-01-000000-000000.psql.bin.gz",
        "marquee-media-host-2020-01-01-000000-000000.tar.gz",
    ]
    assert rows[0][-3:] == ["SQLite", "(safety", "backup)"]
    assert rows[1][1:3] == ["2.0", "KB"]
    assert rows[2][-1] == "PostgreSQL"
    assert rows[3][-2:] == ["Media", "files"]


def test_listing_filters_by_kind_and_compression(backup_storage_dir):
    folder = backup_storage_dir
    folder.mkdir()
    stored(folder, "a.sqlite3", age_seconds=1)
    stored(folder, "b.sqlite3.gz", age_seconds=2)
    stored(folder, "c.tar", age_seconds=3)

    assert [row[0] for row in listed(content_type="media")] == ["c.tar"]
    assert [row[0] for row in listed(content_type="db", compressed=True)] == ["b.sqlite3.gz"]
    assert [row[0] for row in listed(compressed=False)] == ["a.sqlite3", "c.tar"]


def listed_to_stderr(*arguments, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("listbackups", *arguments, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_a_missing_folder_lists_nothing_and_says_which_folder_on_stderr(backup_storage_dir):
    # A mistyped MARQUEE_BACKUP_DIR printed the header alone and exited 0, as if there
    # were no backups: it now says where it looked, and nothing goes to what a script reads.
    out, err = listed_to_stderr("--quiet")

    assert out == ""
    assert err.strip() == (
        f"No backups yet: there is no folder {backup_storage_dir} (MARQUEE_BACKUP_DIR); "
        "the first backup creates it."
    )
    assert not backup_storage_dir.exists()


def test_an_empty_folder_lists_nothing_and_says_which_folder_on_stderr(backup_storage_dir):
    backup_storage_dir.mkdir()
    stored(backup_storage_dir, "a.sqlite3", age_seconds=1)

    assert listed_to_stderr()[1].strip() == ""  # a backup listed: nothing to say
    assert listed_to_stderr("-c", "media")[1].strip() == (
        f"No backups of that kind in {backup_storage_dir}."
    )
    (backup_storage_dir / "a.sqlite3").unlink()
    out, err = listed_to_stderr()
    assert out.split() == ["Name", "Size", "Modified", "Contents"]
    assert err.strip() == f"No backups in {backup_storage_dir}."


def test_the_latest_backup_is_never_a_safety_backup_and_says_so(backup_storage_dir):
    folder = backup_storage_dir
    folder.mkdir()
    safety = "marquee-default-host-pre-restore-2021-01-01-000000-1.sqlite3"
    stored(folder, safety, age_seconds=5)

    with pytest.raises(BackupError) as refused:
        latest_backup(backup_storage(), content_type="db", vendor="sqlite")

    assert str(refused.value) == (
        f"There is no SQLite database backup in {folder} "
        f"(only safety backups: name one with -i, e.g. -i {safety})."
    )


def site_with_backups(tmp_path, count: int):
    """A SQLite installation whose backup folder holds `count` database backups."""
    site = new_site(tmp_path / "site", "sqlite", "")
    site.backups.mkdir()
    for n in range(count):
        name = f"marquee-default-host-2020-01-01-000000-{n:06d}.sqlite3"
        stored(site.backups, name, age_seconds=n)
    return site


def start_listing(site, *, stdout, buffered: bool) -> subprocess.Popen:
    """`manage.py listbackups` writing into `stdout`; Python buffers its output as it
    does on a pipe, or writes each line (PYTHONUNBUFFERED)."""
    env = site.env(PYTHONUNBUFFERED="1")
    if buffered:
        del env["PYTHONUNBUFFERED"]
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "listbackups"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


def finished_quietly(lister: subprocess.Popen) -> tuple[int, bytes]:
    with lister.stderr:
        errors = lister.stderr.read()
    return lister.wait(timeout=120), errors


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_reader_that_stops_early_ends_the_listing_quietly(tmp_path, buffered):
    """`listbackups | head -1`, as an operator types it: the header, and no error, as
    `ls | head -1` (the status is 0). More rows than a pipe holds, so that the listing is
    still writing when head leaves."""
    site = site_with_backups(tmp_path, 3000)

    lister = start_listing(site, stdout=subprocess.PIPE, buffered=buffered)
    head = subprocess.Popen(
        [shutil.which("head"), "-1"], stdin=lister.stdout, stdout=subprocess.PIPE
    )
    lister.stdout.close()  # head is the pipe's only reader: when it leaves, the pipe closes
    first_line, _ = head.communicate(timeout=120)

    assert finished_quietly(lister) == (0, b"")
    assert first_line.split() == [b"Name", b"Size", b"Modified", b"Contents"]


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_reader_gone_before_the_first_line_ends_the_listing_quietly(tmp_path, buffered):
    """`listbackups | grep -q .` and the like: a short listing, buffered, is only written
    as Python exits, into a pipe already closed."""
    site = site_with_backups(tmp_path, 3)
    reader, writer = os.pipe()
    os.close(reader)

    lister = start_listing(site, stdout=writer, buffered=buffered)
    os.close(writer)

    assert finished_quietly(lister) == (0, b"")


def test_quiet_leaves_out_the_header_only(backup_storage_dir):
    """For scripts: one backup a line, every one of them (-q hides no backup)."""
    folder = backup_storage_dir
    folder.mkdir()
    stored(folder, "a.sqlite3", age_seconds=1)
    stored(folder, "b.tar.gz", age_seconds=2)
    out = StringIO()

    call_command("listbackups", "--quiet", stdout=out)

    assert [line.split()[0] for line in out.getvalue().splitlines()] == ["a.sqlite3", "b.tar.gz"]


def test_the_help_says_what_quiet_does_to_a_listing():
    """Not the other backup commands' "Print nothing but errors": the rows are the output."""
    parser = ListBackups().create_parser("manage.py", "listbackups")
    text = " ".join(parser.format_help().split())

    assert "Print nothing but errors" not in text
    assert "-q, --quiet Leave out the header line: one backup a line." in text
