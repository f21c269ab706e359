"""A restore that fails after its safety backup was taken names that backup.

The name used to be printed only after a successful restore: a restore that failed behind
another session's lock left a new `…-pre-restore-…` file in the backup folder that nothing
had mentioned. It is now printed as soon as the backup is stored, before the restore runs,
and the error says what became of it. Each engine fails here on a lock held by another
session, with its lock limit lowered to a second.
"""

import contextlib
import json
import re
import sqlite3

from tests.backups.conftest import written_backup
from tests.backups.test_postgres_lock_limit import session_holding_a_lock
from tests.backups.test_safety import command_error

PRINTED = re.compile(r"^Safety backup of the database as it was: (\S+)$", re.MULTILINE)
WITH_A_ONE_SECOND_LOCK_LIMIT = (
    "import os, sys, django;"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
    "django.setup();"
    "import backups.postgres_tools, backups.sqlite;"
    "backups.postgres_tools.LOCK_WAIT_LIMIT = 1;"
    "backups.postgres_tools.LOCK_POLL_INTERVAL = 0.1;"
    "backups.sqlite.LOCK_WAIT_SECONDS = 1;"
    "from django.core.management import execute_from_command_line;"
    "execute_from_command_line(sys.argv)"
)


@contextlib.contextmanager
def another_session_writing(site):
    """A session that holds the lock the restore needs to write, and keeps it."""
    if site.engine == "postgresql":
        # pg_dump reads past it; pg_restore's DROP TABLE waits for it.
        statement = "SELECT count(*) FROM catalog_rating"
        with session_holding_a_lock(site, statement, application_name="gunicorn"):
            yield
        return
    # SQLite's write lock: the safety backup (a read) is taken; the restore (a write) waits.
    with contextlib.closing(sqlite3.connect(site.sqlite_path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        yield


def test_a_restore_that_fails_after_its_safety_backup_names_it(site):
    backup = written_backup(site.manage("dbbackup").stdout)
    before = site.mutate()

    with another_session_writing(site):
        result = site.run(
            "-c", WITH_A_ONE_SECOND_LOCK_LIMIT, "dbrestore", "--noinput", "-i", backup, fails=True
        )

    printed = PRINTED.findall(result.stdout)
    assert len(printed) == 1, result.stdout + result.stderr
    safety = printed[0]
    assert "-pre-restore-" in safety
    assert (site.backups / safety).is_file()
    error = command_error(result)
    assert "nothing was changed" in error
    assert error.endswith(f"The safety backup, taken first, is kept: {safety}")
    assert site.snapshot() == before
    # It is the database as it was, as its name promises.
    site.manage("dbrestore", "--noinput", "-i", backup)
    site.manage("dbrestore", "--noinput", "-i", safety)
    assert site.snapshot() == before


def test_the_safety_backup_is_named_before_the_restore_runs(site):
    site.manage("dbbackup")

    result = site.manage("dbrestore", "--noinput")

    lines = result.stdout.splitlines()
    assert lines[0].startswith("Safety backup of the database as it was: "), result.stdout
    assert lines[1].startswith("Restored database 'default' from ")
    assert len(PRINTED.findall(result.stdout)) == 1, "named once"


def test_a_restore_refused_by_the_checksum_removes_its_safety_backup_and_says_so(site):
    name = written_backup(site.manage("dbbackup").stdout)
    # The file is sound and passes every check: only its recorded checksum differs, which
    # the restore finds just before it commits (on PostgreSQL, after the safety backup).
    metadata = site.backups / f"{name}.metadata"
    record = json.loads(metadata.read_text())
    record["sha256"] = "0" * 64
    metadata.write_text(json.dumps(record))
    before = site.mutate()

    result = site.manage("dbrestore", "--noinput", "-i", name, fails=True)

    error = command_error(result)
    assert "does not match the checksum recorded" in error
    assert not [n for n in site.backup_names() if "-pre-restore-" in n]
    printed = PRINTED.findall(result.stdout)
    if site.engine == "postgresql":
        assert printed, "dumped before the restore began"
    if printed:
        assert error.endswith(
            f"Nothing was changed, so the safety backup, taken first, is removed: {printed[0]}"
        )
    assert site.snapshot() == before
