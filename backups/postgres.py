"""PostgreSQL backups with pg_dump's custom format, restored by pg_restore in one transaction.

`--single-transaction --exit-on-error` makes a restore all or nothing: a truncated dump, a
missing role or a lock that does not come is a rollback, never half a database. dbbackup's
PgDumpBinaryConnector does the dump the same way; the checks and the restore are ours.
"""

import contextlib
import hashlib
import os
import re
import secrets
import shlex
import signal
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import wait
from pathlib import Path
from types import SimpleNamespace

import psycopg
from dbbackup.db.postgresql import PgDumpBinaryConnector, parse_postgres_settings
from django.apps import apps
from psycopg import sql

from backups.connections import described
from backups.errors import BackupError, one_line
from backups.files import Dump, in_background, unpacked, work_directory
from backups.migration_history import migrations_to_unapply, refuse_unmigrated_database

# A restore (and the safety backup before it) waits this long, in seconds, for another
# session's lock, then fails and rolls back, instead of hanging behind a site that was not
# stopped while the site's own queries queue behind the restore.
LOCK_WAIT_LIMIT = 30
# How often the watchdog looks at the restore's lock waits: the limit is overrun by as much.
LOCK_POLL_INTERVAL = 0.5
# pg_dump's default compression (gzip level 6) is most of a dump's time. A safety backup
# is taken while a restore waits for it, the site stopped: it gets the fastest level, for
# a file about a quarter larger (measured on a million ratings: 0.95 s against 2.6 s, 20
# MB against 16). Backups kept for years keep the default.
SAFETY_COMPRESSION = 1
MIGRATIONS_TABLE_IN_TOC = re.compile(r"\bTABLE \S+ django_migrations\b")
# "215; 1259 16390 TABLE public catalog_movie marquee": a table's schema and name.
TABLE_IN_TOC = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)
# The migrations table's rows, as `pg_restore --data-only` writes them: a COPY header that
# names the columns, then a row a line, tab-separated, up to a line "\.".
MIGRATIONS_COPY = re.compile(
    r"^COPY \S+ \(([^)]*)\) FROM stdin;\n(.*?)^\\\.$", re.MULTILINE | re.DOTALL
)
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


def postgres_file_check(path: Path, *, label: str) -> str:
    """Refuse a file pg_restore cannot read, or a dump of some other database; its table
    of contents otherwise."""
    try:
        toc = run_tool(["pg_restore", "--list", str(path)])
    except BackupError as error:
        raise BackupError(f"{label} is not a readable PostgreSQL dump: {error}") from error
    if not MIGRATIONS_TABLE_IN_TOC.search(toc):
        raise BackupError(f"{label} is a PostgreSQL dump but not Marquee's: no migrations table.")
    return toc


def postgres_recorded_migrations(path: Path) -> set[tuple[str, str]]:
    """The (app, name) of every migration a dump's migrations table records, read from the
    file by pg_restore alone (no server): only that table's data is written out."""
    data = run_tool(
        ["pg_restore", "--data-only", "--table=django_migrations", "--file=-", str(path)]
    )
    found = MIGRATIONS_COPY.search(data)
    if found is None:
        return set()
    columns = [column.strip() for column in found[1].split(",")]
    app, name = columns.index("app"), columns.index("name")
    rows = [line.split("\t") for line in found[2].splitlines()]
    return {(row[app], row[name]) for row in rows}


def refuse_tables_the_dump_lacks(settings_dict: dict, toc: str, *, path: Path, label: str) -> None:
    """Refuse a dump older than tables Marquee's migrations have made since.

    pg_restore --clean replaces only what the dump holds: such a table would stay, rows
    and all, for `migrate` to fail on ("already exists") once the dump's migrations table
    says it was never made; and a foreign key of it to a restored table stops the restore.
    The refusal gives the commands that unapply those migrations: the normal way back
    after an upgrade is to restore the night before's backup.
    """
    in_dump = {name for schema, name in TABLE_IN_TOC.findall(toc) if schema == "public"}
    ours = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)} - in_dump
    )
    with database_connection(settings_dict) as db:
        newer = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename = ANY(%s) ORDER BY tablename",
                [ours],
            )
        ]
        if not newer:
            return
        applied = set()
        if db.execute("SELECT to_regclass('public.django_migrations')").fetchone()[0]:
            applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
    tables = ", ".join(newer[:5]) + (f" and {len(newer) - 5} more" if len(newer) > 5 else "")
    commands = migrations_to_unapply(applied, postgres_recorded_migrations(path))
    # Without commands, the dump records the migrations that made those tables: it was
    # not taken from a database at that state, and only an empty one can take it.
    remedy = (
        f"Unapply the migrations it lacks first ({'; '.join(commands)}), then restore it; "
        "or restore it into a new, empty database"
        if commands
        else "Restore it into a new, empty database"
    )
    raise BackupError(
        f"{label} predates tables the database has ({tables}), made by later migrations: "
        f"restored over them, it would leave them behind. {remedy}; nothing was changed."
    )


def pg_restore_into(settings_dict: dict, path: Path) -> None:
    """Restore the dump at `path`, all or nothing, waiting at most LOCK_WAIT_LIMIT for a lock."""
    dbname, env = connection_arguments(settings_dict)
    arguments = [
        "pg_restore",
        *dbname,
        "--single-transaction",
        "--exit-on-error",
        "--clean",
        "--if-exists",
        # Restored objects belong to the role that restores them: a dump taken under
        # another role name must not fail on ALTER OWNER.
        "--no-owner",
        "--no-privileges",
        str(path),
    ]
    try:
        run_tool_within_lock_limit(arguments, env=env, settings_dict=settings_dict)
    except BackupError as error:
        raise BackupError(f"The restore was rolled back, nothing was changed: {error}") from error


class SafePgDumpBinaryConnector(PgDumpBinaryConnector):
    extension = "psql.bin"
    vendor = "postgresql"

    def check_target(self) -> None:
        """Nothing to check before the restore: pg_restore reports an unreachable server."""

    def check_source(self) -> None:
        """Refuse to back up anything but a migrated Marquee database: a DATABASE_URL that
        names an empty database would otherwise be dumped, and its dumps kept."""
        refuse_unmigrated_database(
            self.connection, where=described(self.settings), advice="check DATABASE_URL"
        )

    def dump_to_path(self, path: Path, *, safety: bool = False) -> Dump:
        dbname, env = connection_arguments(self.settings)
        arguments = ["pg_dump", *dbname, "--format=custom", f"--file={path}"]
        if not safety:
            run_tool(arguments, env=env)
            return Dump(path)
        # A restore waits for its safety backup, so the backup keeps the restore's lock limit.
        # (pg_dump's own --lock-wait-timeout would fail with "canceling statement due to
        # statement timeout", naming nobody.)
        arguments.append(f"--compress={SAFETY_COMPRESSION}")
        run_tool_within_lock_limit(arguments, env=env, settings_dict=self.settings)
        return Dump(path)

    def check_dump(self, path: Path) -> None:
        """Nothing to check: pg_dump reads the database through the server, which would
        have failed the dump on damage, and `pg_restore --list` runs before each restore."""

    def check_file(self, path: Path, *, label: str, thorough: bool = True) -> list[str]:
        # Reading the dump's table of contents is cheap: it runs however the file is known.
        toc = postgres_file_check(path, label=label)
        refuse_tables_the_dump_lacks(self.settings, toc, path=path, label=label)
        return []  # PostgreSQL enforced every constraint the dump holds

    def recorded_migrations(self, path: Path) -> set[tuple[str, str]]:
        """The migrations a checked dump records."""
        return postgres_recorded_migrations(path)

    @contextlib.contextmanager
    def copying_while_restoring(self, target: Path) -> Iterator[None]:
        """No copy can overlap a restore here: pg_restore drops the tables a pg_dump reads,
        and waits for its locks. The caller takes the safety backup first."""
        yield None

    def restore_from_path(self, path: Path, *, before_commit=lambda: None) -> None:
        # pg_restore commits on its own: whatever must hold before the commit, holds first.
        before_commit()
        self.connection.close()
        pg_restore_into(self.settings, path)

    # dbbackup's own interface, for code that calls a connector directly.
    def _restore_dump(self, dump):
        with work_directory() as workdir:
            path, _, _ = unpacked(dump, workdir, label="The backup")
            self.check_file(path, label="The backup")
            self.restore_from_path(path)


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


def server_connection(settings_dict: dict) -> psycopg.Connection:
    """A connection to the server's maintenance database, to create and drop databases."""
    return database_connection(settings_dict, dbname="postgres")


@contextlib.contextmanager
def scratch_database(settings_dict: dict, *, purpose: str) -> Iterator[dict]:
    """An empty database on the same server, dropped afterwards whatever happens.

    Ctrl-C and SIGTERM drop it on the way out. A run killed outright (SIGKILL, the OOM
    killer) cannot: the next one drops what it left (see drop_abandoned_scratch_databases).
    """
    prefix = f"{str(settings_dict.get('NAME') or 'marquee')[:40]}_{purpose}_"
    name = f"{prefix}{secrets.token_hex(4)}"
    with terminated_as_interrupted():
        try:
            server = server_connection(settings_dict)
        except psycopg.Error as error:
            raise BackupError(f"Could not create a scratch database: {one_line(error)}") from error
        with server:
            drop_abandoned_scratch_databases(server, prefix=prefix)
            # Claimed before it exists, for as long as this connection lives: no other run
            # ever mistakes it for abandoned.
            server.execute("SELECT pg_advisory_lock(%s)", [scratch_lock_key(name)])
            try:
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.Error as error:
                raise BackupError(
                    f"Could not create a scratch database: {one_line(error)}"
                ) from error
            try:
                yield {**settings_dict, "NAME": name}
            finally:
                server.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def scratch_lock_key(name: str) -> int:
    """The advisory lock that a scratch database's creator holds while it uses it."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


def drop_abandoned_scratch_databases(server: psycopg.Connection, *, prefix: str) -> None:
    """Drop the scratch databases named `prefix` + 8 hex digits that no run is using.

    A run holds its database's advisory lock on its server connection from before CREATE
    until after DROP, and the server releases it when that connection ends, even when the
    process was killed: a lock we can take is a database nobody is using. Unlike a look at
    pg_stat_activity, this has no gap between the connections a run opens; unlike an age
    in the name, a leftover goes at the next run, not a day later.
    """
    pattern = re.compile(re.escape(prefix) + r"[0-9a-f]{8}")
    # A database someone is connected to (an operator looking into it, or the pg_restore
    # of a run killed without its children) is left alone, and dropped by a later run.
    names = server.execute(
        "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname NOT IN "
        "(SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL)",
        [prefix],
    ).fetchall()
    for (name,) in names:
        if not pattern.fullmatch(name):
            continue
        key = scratch_lock_key(name)
        if not server.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()[0]:
            continue  # its run is going on
        try:
            # Without FORCE: a session that connected since keeps it.
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        except psycopg.Error:
            pass  # in use after all, or not ours to drop: this run goes on without it
        finally:
            server.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextlib.contextmanager
def terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (systemd, `timeout`, kill) unwinds like Ctrl-C, so that `finally` blocks
    clean up, then exits with SIGTERM's usual status (143), without a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler: its owner's handling stands
        return

    def terminated(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
