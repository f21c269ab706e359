"""Running PostgreSQL's client tools (pg_dump, pg_restore), and connecting to the server.

A tool that waits for a lock is given LOCK_WAIT_LIMIT, kept by a watchdog from outside
(see run_tool_within_lock_limit), and its failure is reported in one line, the tool's own.
"""

import os
import secrets
import shlex
import subprocess
import threading
from concurrent.futures import wait
from types import SimpleNamespace

import psycopg
from dbbackup.db.postgresql import parse_postgres_settings

from backups.errors import BackupError, one_line
from backups.files import in_background

# A restore (and the safety backup before it) waits this long, in seconds, for another
# session's lock, then fails and rolls back, instead of hanging behind a site that was not
# stopped while the site's own queries queue behind the restore.
LOCK_WAIT_LIMIT = 30
# How often the watchdog looks at the restore's lock waits: the limit is overrun by as much.
LOCK_POLL_INTERVAL = 0.5
LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"}


def connection_arguments(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """`--dbname=...` for the PostgreSQL tools, with the password in the environment."""
    part, env = parse_postgres_settings(SimpleNamespace(settings=settings_dict))
    return shlex.split(part), env


def run_tool(arguments: list[str], *, env: dict[str, str] | None = None) -> str:
    try:
        # A fixed tool name and arguments we build: no shell, no user-supplied program.
        result = subprocess.run(  # noqa: S603
            arguments,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            # A damaged dump can put any bytes in `pg_restore --list`'s output: read them,
            # never fail on them (a UnicodeDecodeError would be a traceback, not a reason).
            errors="replace",
            check=False,
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{arguments[0]} is not installed: install PostgreSQL's client tools "
            "(postgresql-client) in the same major version as the server."
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {tool_error(result.stderr)}")
    return result.stdout


def run_tool_within_lock_limit(
    arguments: list[str], *, env: dict[str, str], settings_dict: dict
) -> str:
    """run_tool, for a tool that must not wait more than LOCK_WAIT_LIMIT for a lock.

    pg_dump and pg_restore begin with `SET lock_timeout = 0`, which overrides a limit given
    through PGOPTIONS. So the limit is kept from outside: the tool runs under a name of its
    own (PGAPPNAME), and a thread cancels its query once it has waited too long. A cancelled
    pg_restore fails inside its single transaction, which rolls back.
    """
    tool = arguments[0]
    application_name = f"marquee-{tool}-{secrets.token_hex(4)}"
    # Connected before the tool starts: without a watchdog, nothing runs.
    with database_connection(settings_dict, application_name="marquee-lock-watchdog") as watcher:
        stop = threading.Event()
        watching = in_background(cancel_long_lock_waits, watcher, application_name, stop)
        try:
            return run_tool(arguments, env={**env, "PGAPPNAME": application_name})
        except BackupError as error:
            stop.set()
            if waited := watching.result():
                raise BackupError(f"{tool} {waited}") from error
            raise
        finally:
            stop.set()
            wait([watching])  # it uses `watcher`, which closes next


# One statement finds and cancels, so that only a query still waiting is cancelled.
CANCEL_LONG_LOCK_WAIT = """
    SELECT extract(epoch FROM clock_timestamp() - waiting.waitstart),
           pg_blocking_pids(waiting.pid),
           pg_cancel_backend(waiting.pid)
    FROM pg_locks AS waiting
    JOIN pg_stat_activity AS tool ON tool.pid = waiting.pid
    WHERE tool.application_name = %(application_name)s
      AND NOT waiting.granted
      AND waiting.waitstart < clock_timestamp() - make_interval(secs => %(limit)s)
"""


def cancel_long_lock_waits(
    watcher: psycopg.Connection, application_name: str, stop: threading.Event
) -> str | None:
    """Until `stop`, cancel the query of the session named `application_name` whenever it
    has waited longer than LOCK_WAIT_LIMIT for a lock. Return what it waited for, if so."""
    waited_for = None
    try:
        while not stop.wait(LOCK_POLL_INTERVAL):
            arguments = {"application_name": application_name, "limit": LOCK_WAIT_LIMIT}
            for waited, blockers, _ in watcher.execute(CANCEL_LONG_LOCK_WAIT, arguments):
                waited_for = waited_for or (
                    f"waited {waited:.0f} s for a lock held by another session "
                    f"({sessions_named(watcher, blockers)})"
                )
    except psycopg.Error:
        # The watchdog lost its connection (the server going away, most likely): the tool's
        # own outcome, success or failure, is then the whole story.
        pass
    return waited_for


def sessions_named(watcher: psycopg.Connection, pids: list[int]) -> str:
    """`pid 4321, application_name 'gunicorn'` for each session: who to stop."""
    rows = watcher.execute(
        "SELECT pid, application_name FROM pg_stat_activity WHERE pid = ANY(%s) ORDER BY pid",
        [pids],
    ).fetchall()
    named = [f"pid {pid}, application_name '{application}'" for pid, application in rows]
    return "; ".join(named) or "it has ended since"


def tool_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line or "ERROR:" in line]
    return one_line((errors or lines or ["no message"])[0])


def database_connection(
    settings_dict: dict, *, dbname: str | None = None, application_name: str = "marquee"
) -> psycopg.Connection:
    """An autocommit connection to the database of `settings_dict`, or to `dbname`."""
    params = {
        key: settings_dict.get(setting)
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if settings_dict.get(setting)
    }
    if settings_dict.get("PASSWORD"):
        params["password"] = settings_dict["PASSWORD"]
    options = settings_dict.get("OPTIONS") or {}
    params.update({key: value for key, value in options.items() if key in LIBPQ_OPTIONS})
    return psycopg.connect(
        dbname=dbname or settings_dict["NAME"],
        autocommit=True,
        application_name=application_name,
        **params,
    )
