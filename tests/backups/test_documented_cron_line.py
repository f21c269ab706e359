"""The cron line README.md and docs/backups.md give: run through a real shell, as cron runs
it, it runs both backups whatever the first one did, and fails when either failed. A
failed database backup once exited 0 because the media backup after it succeeded."""

import re
import shlex
import subprocess

import pytest

from tests.backups.conftest import ROOT

CRON_BLOCK = re.compile(r"^```cron\n(.*?)\n```$", re.MULTILINE | re.DOTALL)
# manage.py stands in for itself: it notes which command ran, and fails when .env says so.
FAKE_PYTHON = """#!/bin/sh
echo "$2" >> ran
printf '%s' "$DJANGO_SECRET_KEY" > key
case " $FAILING " in *" $2 "*) exit 3 ;; esac
"""
# Every character Django's get_random_secret_key() draws from, the shell's own among them.
SECRET_KEY = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


def documented_cron_lines() -> dict[str, str]:
    """Each file's cron line of the backups (README gives others: sessions, similarities)."""
    return {
        name: next(
            line
            for line in CRON_BLOCK.findall((ROOT / name).read_text())
            if "manage.py dbbackup" in line
        )
        for name in ("README.md", "docs/backups.md")
    }


def test_the_readme_and_the_guide_give_the_same_cron_line():
    lines = documented_cron_lines()

    assert len(set(lines.values())) == 1, lines
    assert "%" not in lines["README.md"], "cron reads % as a new line"


def run_documented_line(folder, *, failing: tuple[str, ...]) -> subprocess.CompletedProcess:
    """The documented line's command, in `folder` instead of /srv/marquee, through sh."""
    line = documented_cron_lines()["docs/backups.md"]
    command = line.split(maxsplit=5)[5]  # after the five time fields
    assert command.startswith("cd /srv/marquee && ")
    command = command.replace("cd /srv/marquee", f"cd {shlex.quote(str(folder))}", 1)
    # As README.md says to write it: one NAME='value' line each.
    (folder / ".env").write_text(
        f"FAILING='{' '.join(failing)}'\nDJANGO_SECRET_KEY='{SECRET_KEY}'\n"
    )
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return subprocess.run(
        ["/bin/sh", "-c", command], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    "failing",
    [(), ("dbbackup",), ("mediabackup",), ("dbbackup", "mediabackup")],
    ids=["none", "database", "media", "both"],
)
def test_the_cron_line_runs_both_backups_and_fails_if_either_failed(tmp_path, failing):
    result = run_documented_line(tmp_path, failing=failing)

    assert (tmp_path / "ran").read_text().split() == ["dbbackup", "mediabackup"]
    assert (result.returncode != 0) == bool(failing), result


def test_the_cron_line_reads_a_secret_key_as_it_is(tmp_path):
    """A generated key holds &, $ and brackets: unquoted, the shell ran part of it as a
    command and the backups never ran. Quoted as README.md says, it arrives whole."""
    result = run_documented_line(tmp_path, failing=())

    assert result.returncode == 0, result
    assert (tmp_path / "key").read_text() == SECRET_KEY
