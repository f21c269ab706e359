"""What in the media folder is not a file: a named pipe, a socket, a broken link (its disk
not mounted). The media backup passes each over, names it in one warning line on stderr,
and backs up the rest: opening a pipe would block it until a cron timeout killed it, and
one broken link would stop every night's backup of every other upload."""

import os
import socket
import subprocess
import sys
import tarfile
from io import StringIO

import pytest
from django.core.management import call_command

from tests.backups.conftest import ROOT

WARNING = (
    "Warning: passed over 4 entries of the media folder that are not files: "
    "'dangling.jpg' (a broken link), 'posters/pipe' (a named pipe), "
    "'posters/to-pipe' (a link to a named pipe), 'socket' (a socket). "
    "The other files were backed up."
)


@pytest.fixture
def media(sqlite_site, tmp_path):
    folder = sqlite_site.media
    (folder / "posters").mkdir(parents=True)
    (folder / "posters" / "alien.jpg").write_bytes(b"poster")
    (tmp_path / "elsewhere.jpg").write_bytes(b"linked")
    (folder / "cover.jpg").symlink_to(tmp_path / "elsewhere.jpg")  # a file: backed up
    os.mkfifo(folder / "posters" / "pipe")
    (folder / "posters" / "to-pipe").symlink_to("pipe")
    (folder / "dangling.jpg").symlink_to(tmp_path / "unmounted" / "dangling.jpg")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket"))
    yield folder
    server.close()


def mediabackup(site, *arguments) -> subprocess.CompletedProcess:
    """Run mediabackup with a timeout: a backup that opens a named pipe never ends."""
    try:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "mediabackup", *arguments],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            env=site.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("mediabackup blocked on something in the media folder")


def test_what_is_not_a_file_is_passed_over_named_and_the_rest_backed_up(sqlite_site, media):
    result = mediabackup(sqlite_site)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [WARNING]
    assert "Backed up 2 media file(s)" in result.stdout
    name = result.stdout.split(" to ")[1].strip()
    with tarfile.open(sqlite_site.backups / name) as tar:
        assert sorted(tar.getnames()) == ["cover.jpg", "posters/alien.jpg"]
        assert tar.extractfile("cover.jpg").read() == b"linked"
    assert not [path for path in sqlite_site.backups.iterdir() if path.name.startswith(".")]


def test_the_warning_is_written_under_cron_too(sqlite_site, media):
    result = mediabackup(sqlite_site, "--compress", "--clean", "--quiet")

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [WARNING]
    restored = sqlite_site.manage("mediarestore", "--noinput", "--replace")
    assert "Restored 2 media file(s)" in restored.stdout


def test_one_broken_link_is_said_in_the_singular(settings, tmp_path, backup_storage_dir):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "alien.jpg").symlink_to(tmp_path / "unmounted" / "alien.jpg")
    out, err = StringIO(), StringIO()

    call_command("mediabackup", stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        "Warning: passed over 1 entry of the media folder that is not a file: 'alien.jpg' "
        "(a broken link). The other files were backed up."
    ]
    assert "Backed up 0 media file(s)" in out.getvalue()
