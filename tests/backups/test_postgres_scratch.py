"""verify_backup's scratch database goes, however the command ends.

SIGTERM drops it on the way out, as Ctrl-C does; one left by a run killed outright is dropped
by the next run, but never one that another run is still using. A stand-in pg_restore that
never finishes holds each run in the middle of its work, scratch database created.
Collected in the PostgreSQL session only (see conftest.py)."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.backups.conftest import ROOT, postgres_databases, postgres_drop, written_backup

SIGTERM_STATUS = 128 + signal.SIGTERM


@pytest.fixture
def endless_pg_restore(tmp_path):
    """A PATH whose pg_restore reads a dump as the real one does (its list, its migrations
    table written out), but restores into a database forever."""
    real = shutil.which("pg_restore")
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "pg_restore"
    script.write_text(
        f'#!/bin/sh\ncase " $* " in *" --list "*|*" --file=- "*) exec "{real}" "$@" ;; esac\n'
        "exec sleep 600\n"
    )
    script.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def scratch_databases(site) -> set[str]:
    return set(postgres_databases(site.database_url.rsplit("/", 1)[1] + "_verify_"))


def verify_started(site, backup: str, *, path: str) -> tuple[subprocess.Popen, str]:
    """verify_backup, running in a session of its own, and the scratch database it made."""
    before = scratch_databases(site)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "verify_backup", backup],
        cwd=ROOT,
        # Its work folder, which a kill leaves, in the site's folder rather than in /tmp.
        env=site.env(PATH=path, TMPDIR=str(site.root)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its process group can be killed whole, as the OOM killer
    )
    deadline = time.monotonic() + 60
    while not (created := scratch_databases(site) - before):
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no scratch database appeared"
        time.sleep(0.05)
    return process, created.pop()


@pytest.fixture
def dropped_at_the_end(site):
    """Scratch databases a test leaves on purpose, dropped whatever the test's outcome."""
    yield
    for name in scratch_databases(site):
        postgres_drop(name)


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
@pytest.mark.usefixtures("dropped_at_the_end")
def test_sigterm_drops_the_scratch_database_as_ctrl_c_does(site, endless_pg_restore):
    backup = written_backup(site.manage("dbbackup").stdout)
    process, scratch = verify_started(site, backup, path=endless_pg_restore)

    process.send_signal(signal.SIGTERM)

    status = process.wait(timeout=30)
    assert scratch not in scratch_databases(site)
    assert status == SIGTERM_STATUS
    assert process.stderr.read() == b""  # no traceback


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
@pytest.mark.usefixtures("dropped_at_the_end")
def test_the_next_run_drops_what_a_killed_run_left_but_not_what_a_running_one_uses(
    site, endless_pg_restore
):
    backup = written_backup(site.manage("dbbackup").stdout)
    running, in_use = verify_started(site, backup, path=endless_pg_restore)
    try:
        killed, left_behind = verify_started(site, backup, path=endless_pg_restore)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=30)
        assert scratch_databases(site) == {in_use, left_behind}

        result = site.manage("verify_backup", backup)

        assert "restores cleanly" in result.stdout
        assert scratch_databases(site) == {in_use}
        assert running.poll() is None, "the running verify was disturbed"
    finally:
        os.killpg(running.pid, signal.SIGKILL)
        running.wait(timeout=30)
