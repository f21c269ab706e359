"""A PostgreSQL restore killed while pg_restore waits leaves no pg_restore behind, and the
database as it was: the tool dies with the command (SIGKILL), or is stopped by it (SIGTERM),
and its single transaction rolls back on the server. Collected in the PostgreSQL session
only (see conftest.py)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.backups.conftest import ROOT, written_backup
from tests.backups.test_postgres_lock_limit import session_holding_a_lock

TOOL_SESSIONS = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND application_name LIKE 'marquee-pg_restore-%%' "
    "AND wait_event_type = %s"
)


def tool_sessions(site, *, waiting_on: str | None = None) -> int:
    with psycopg.connect(site.database_url, autocommit=True) as observer:
        query = TOOL_SESSIONS if waiting_on else TOOL_SESSIONS.split(" AND wait_event_type")[0]
        return observer.execute(query, [waiting_on] if waiting_on else []).fetchone()[0]


def pg_restores_of(site) -> list[int]:
    """The pids of pg_restore processes restoring into the site's database, read in /proc."""
    database = site.database_url.rsplit("/", 1)[1]
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # not a process, or gone meanwhile
        if Path(arguments[0].decode()).name == "pg_restore" and any(
            database.encode() in argument for argument in arguments
        ):
            found.append(int(entry.name))
    return found


def restore_waiting_for_a_lock(site, backup: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "manage.py", "dbrestore", "--noinput", "-i", backup],
        cwd=ROOT,
        env=site.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not tool_sessions(site, waiting_on="Lock"):
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "pg_restore never waited for the lock"
        time.sleep(0.1)
    return process


def eventually(condition, *, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@contextlib.contextmanager
def a_restore_waiting_for_a_lock(site):
    """A restore of a fresh backup over a changed database, its pg_restore waiting for a
    lock another session holds until the block ends. Yields the restore's process and the
    snapshot of the database it must leave as it is."""
    backup = written_backup(site.manage("dbbackup").stdout)
    before = site.mutate()
    with session_holding_a_lock(
        site, "SELECT count(*) FROM catalog_rating", application_name="slow report"
    ):
        yield restore_waiting_for_a_lock(site, backup), before


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_restore_killed_outright_leaves_no_pg_restore_and_changes_nothing(site):
    with a_restore_waiting_for_a_lock(site) as (process, before):
        assert pg_restores_of(site)

        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

        assert eventually(lambda: not pg_restores_of(site)), "pg_restore outlived its command"
        # Its session, too, is gone while the lock is still held: it no longer queues
        # the site's own queries behind it.
        assert eventually(lambda: not tool_sessions(site))

    assert site.snapshot() == before


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_restore_stopped_by_sigterm_says_so_in_one_line_and_changes_nothing(site):
    with a_restore_waiting_for_a_lock(site) as (process, before):
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=30)

        assert not pg_restores_of(site)
        assert eventually(lambda: not tool_sessions(site))

    assert status == 128 + signal.SIGTERM
    error = process.stderr.read().decode()
    assert error.count("\n") == 1, error
    assert error.startswith(
        "CommandError: The restore was rolled back, nothing was changed: Stopped by SIGTERM"
    )
    assert "The safety backup, taken first, is kept: " in error
    assert site.snapshot() == before
