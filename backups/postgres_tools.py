"""Running PostgreSQL's client tools (pg_dump, pg_restore), and connecting to the server.

A tool that waits for a lock is given LOCK_WAIT_LIMIT, kept by a watchdog from outside
(see run_tool_within_lock_limit), and its failure is reported in one line, the tool's own.

A tool dies with the command that started it (see die_with_parent): a restore killed
outright must not leave pg_restore running, waiting for its locks and committing later.
"""

import contextlib
import ctypes
import os
import secrets
import shlex
import signal
import subprocess
import sys
import threading
from concurrent.futures import wait
from types import SimpleNamespace

import psycopg
from dbbackup.db.postgresql import parse_postgres_settings

from backups.errors import BackupError, one_line
from backups.files import in_background
from backups.stopping import STOPPING_SIGNALS, stopping_signals_held

# A restore (and the safety backup before it) waits this long, in seconds, for another
# session's lock, then fails and rolls back, instead of hanging behind a site that was not
# stopped while the site's own queries queue behind the restore.
LOCK_WAIT_LIMIT = 30
# How often the watchdog looks at the restore's lock waits: the limit is overrun by as much.
LOCK_POLL_INTERVAL = 0.5
LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"}
# How often, in milliseconds, the server checks that a tool's connection is still open while
# its query runs or waits for a lock: a tool killed mid-wait ends its session (and releases
# its place in the lock queue, which blocks the site's queries) within a second, instead
# of when the lock is granted.
CLIENT_CHECK_INTERVAL_MS = 1000
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int):
    """A preexec_fn that has the kernel SIGKILL the child once the thread that started it
    ends: the command killed outright (SIGKILL, the OOM killer), or the thread gone. The
    tools are started from the command's main thread, which lives as long as the command.
    """
    # Looked up before the fork: the child, a copy of a process with threads, should do
    # no more than the call itself.
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def arrange() -> None:
        if prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            os._exit(127)  # no tool that could outlive us
        if os.getppid() != parent_pid:  # the command died before prctl took effect
            os._exit(127)
        # The signals the parent held while it forked (stopping_signals_held) are the
        # tool's again, with their default action, as exec would leave them: a Ctrl-C
        # meanwhile ends the child here, not in a handler of the parent's.
        for signum in STOPPING_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING_SIGNALS)

    return arrange


def connection_arguments(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """`--dbname=...` for the PostgreSQL tools, with the password in the environment."""
    part, env = parse_postgres_settings(SimpleNamespace(settings=settings_dict))
    return shlex.split(part), env


class ToolMissing(BackupError):
    """pg_dump or pg_restore is not installed: this machine's fault, never the file's."""


def run_tool(arguments: list[str], *, env: dict[str, str] | None = None) -> str:
    """Run a tool to its end; an exception meanwhile (Ctrl-C, a SIGTERM turned into
    backups.stopping.Stopped) kills it first, and waits for it to be gone."""
    try:
        returncode, stdout, stderr = tool_run(arguments, env={**os.environ, **(env or {})})
    except FileNotFoundError as error:
        raise ToolMissing(
            f"{arguments[0]} is not installed: install PostgreSQL's client tools "
            "(postgresql-client) in the same major version as the server."
        ) from error
    if returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {tool_error(stderr)}")
    return stdout


def tool_run(arguments: list[str], *, env: dict[str, str]) -> tuple[int, str, str]:
    """The tool's exit status, output and errors, as subprocess.run gives them; but a
    SIGTERM or Ctrl-C that comes while the tool is being started is acted on once it has
    started, so that it is killed too (see backups.stopping.stopping_signals_held)."""
    linux = sys.platform.startswith("linux")
    process = None
    try:
        # Without a preexec_fn no Python runs around the fork, and nothing needs holding.
        with stopping_signals_held() if linux else contextlib.nullcontext():
            # A fixed tool name and arguments we build: no shell, no user-supplied program.
            process = subprocess.Popen(  # noqa: S603
                arguments,
                preexec_fn=die_with_parent(os.getpid()) if linux else None,  # noqa: PLW1509
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                # A damaged dump can put any bytes in `pg_restore --list`'s output: read
                # them, never fail on them (a UnicodeDecodeError would be a traceback, not
                # a reason).
                errors="replace",
            )
        stdout, stderr = process.communicate()
    except BaseException:
        if process is not None:
            with process:  # closes its pipes and waits for it
                process.kill()
        raise
    return process.returncode, stdout, stderr


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
            return run_tool(arguments, env={**env, **watched_environment(application_name)})
        except BackupError as error:
            stop.set()
            if waited := watching.result():
                raise BackupError(f"{tool} {waited}") from error
            raise
        finally:
            stop.set()
            wait([watching])  # it uses `watcher`, which closes next


def watched_environment(application_name: str) -> dict[str, str]:
    """The name the watchdog finds the tool's session by, and the server's check that the
    tool is still there (PGOPTIONS set by the operator are kept)."""
    check = f"-c client_connection_check_interval={CLIENT_CHECK_INTERVAL_MS}"
    options = " ".join(filter(None, [os.environ.get("PGOPTIONS"), check]))
    return {"PGAPPNAME": application_name, "PGOPTIONS": options}


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
