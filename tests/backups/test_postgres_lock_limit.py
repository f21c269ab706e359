"""A PostgreSQL restore waits a limited time for another session's lock, then changes nothing.

pg_dump and pg_restore set `lock_timeout = 0` themselves, so the limit is kept by a watchdog
(backups/postgres_tools.py). The commands run with the limit lowered to a second, against a
session that holds its lock far longer. Collected in the PostgreSQL session only (see
conftest.py)."""

import contextlib
import time

import psycopg
import pytest

from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error

# The holding session is ended by the server after this long, so that a restore without a
# limit would go through (and fail the test) rather than hang.
HOLD_SECONDS = 20
LOWERED_LIMIT = (
    "import os, sys, django;"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
    "django.setup();"
    "import backups.postgres_tools as postgres_tools;"
    "postgres_tools.LOCK_WAIT_LIMIT = 1;"
    "postgres_tools.LOCK_POLL_INTERVAL = 0.1;"
    "from django.core.management import execute_from_command_line;"
    "execute_from_command_line(sys.argv)"
)


def manage_with_a_one_second_lock_limit(site, *arguments):
    """`manage.py ARGUMENTS` with backups.postgres_tools.LOCK_WAIT_LIMIT lowered to 1 s; expected
    to fail. Returns the result and how long it took."""
    started = time.monotonic()
    result = site.run("-c", LOWERED_LIMIT, *arguments, fails=True)
    return result, time.monotonic() - started


@contextlib.contextmanager
def session_holding_a_lock(site, statement: str, *, application_name: str):
    """Another session of the site's database, inside a transaction that ran `statement`
    and keeps its locks; yields the session's pid."""
    with psycopg.connect(site.database_url, application_name=application_name) as holder:
        holder.execute(f"SET idle_in_transaction_session_timeout = '{HOLD_SECONDS}s'")
        holder.execute(statement)
        yield holder.info.backend_pid


def still_holds_its_lock(site, pid: int) -> bool:
    with psycopg.connect(site.database_url, autocommit=True) as observer:
        row = observer.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = %s AND granted "
            "AND relation = 'catalog_rating'::regclass",
            [pid],
        ).fetchone()
    return row[0] > 0


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_restore_behind_another_sessions_lock_gives_up_and_changes_nothing(site):
    backup = written_backup(site.manage("dbbackup").stdout)
    before = site.mutate()

    with session_holding_a_lock(
        site, "SELECT count(*) FROM catalog_rating", application_name="slow report"
    ) as pid:
        result, took = manage_with_a_one_second_lock_limit(
            site, "dbrestore", "--noinput", "-i", backup
        )
        assert still_holds_its_lock(site, pid), "the restore returned once the lock was gone"

    error = command_error(result)
    assert error.startswith("CommandError: The restore was rolled back, nothing was changed: ")
    assert (
        "pg_restore waited 1 s for a lock held by another session "
        f"(pid {pid}, application_name 'slow report'). The safety backup, taken first, is kept: "
    ) in error
    assert took < HOLD_SECONDS / 2
    assert site.snapshot() == before


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_safety_backup_behind_another_sessions_lock_gives_up_and_changes_nothing(site):
    backup = written_backup(site.manage("dbbackup").stdout)
    before = site.mutate()

    with session_holding_a_lock(
        site, "LOCK TABLE catalog_rating IN ACCESS EXCLUSIVE MODE", application_name="migration"
    ) as pid:
        result, took = manage_with_a_one_second_lock_limit(
            site, "dbrestore", "--noinput", "-i", backup
        )
        assert still_holds_its_lock(site, pid), "the restore returned once the lock was gone"

    error = command_error(result)
    assert error == (
        "CommandError: No restore without a safety backup, and it failed: pg_dump waited 1 s "
        f"for a lock held by another session (pid {pid}, application_name 'migration')"
    )
    assert took < HOLD_SECONDS / 2
    assert site.snapshot() == before  # read once the lock is gone: it blocks reads too
    assert not [name for name in site.backup_names() if "-pre-restore-" in name]
