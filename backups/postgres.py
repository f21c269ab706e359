"""PostgreSQL backups with pg_dump's custom format, restored by pg_restore in one transaction.

`--single-transaction --exit-on-error` makes a restore all or nothing: a truncated dump, a
missing role or a lock that does not come is a rollback, never half a database. dbbackup's
PgDumpBinaryConnector does the dump the same way; the checks and the restore are ours.
"""

import contextlib
import os
import re
import secrets
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psycopg
from dbbackup.db.postgresql import PgDumpBinaryConnector, parse_postgres_settings
from psycopg import sql

from backups.errors import BackupError, one_line
from backups.files import Dump, unpacked, work_directory

# A restore waits this long for another session's lock, then fails and rolls back, instead
# of hanging behind a site that was not stopped.
LOCK_TIMEOUT = "30s"
# pg_dump's default compression (gzip level 6) is most of a dump's time. A safety backup
# is taken while a restore waits for it, the site stopped: it gets the fastest level, for
# a file about a quarter larger (measured on a million ratings: 0.95 s against 2.6 s, 20
# MB against 16). Backups kept for years keep the default.
SAFETY_COMPRESSION = 1
MIGRATIONS_TABLE_IN_TOC = re.compile(r"\bTABLE \S+ django_migrations\b")
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


def tool_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line or "ERROR:" in line]
    return one_line((errors or lines or ["no message"])[0])


def postgres_file_check(path: Path, *, label: str) -> None:
    """Refuse a file pg_restore cannot read, or a dump of some other database."""
    try:
        toc = run_tool(["pg_restore", "--list", str(path)])
    except BackupError as error:
        raise BackupError(f"{label} is not a readable PostgreSQL dump: {error}") from error
    if not MIGRATIONS_TABLE_IN_TOC.search(toc):
        raise BackupError(f"{label} is a PostgreSQL dump but not Marquee's: no migrations table.")


def pg_restore_into(settings_dict: dict, path: Path) -> None:
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
    env["PGOPTIONS"] = f"-c lock_timeout={LOCK_TIMEOUT}"
    try:
        run_tool(arguments, env=env)
    except BackupError as error:
        raise BackupError(f"The restore was rolled back, nothing was changed: {error}") from error


class SafePgDumpBinaryConnector(PgDumpBinaryConnector):
    extension = "psql.bin"
    vendor = "postgresql"

    def check_target(self) -> None:
        """Nothing to check before the restore: pg_restore reports an unreachable server."""

    def dump_to_path(self, path: Path, *, safety: bool = False) -> Dump:
        dbname, env = connection_arguments(self.settings)
        compression = [f"--compress={SAFETY_COMPRESSION}"] if safety else []
        run_tool(["pg_dump", *dbname, "--format=custom", *compression, f"--file={path}"], env=env)
        return Dump(path)

    def check_dump(self, path: Path) -> None:
        """Nothing to check: pg_dump reads the database through the server, which would
        have failed the dump on damage, and `pg_restore --list` runs before each restore."""

    def check_file(self, path: Path, *, label: str, thorough: bool = True) -> None:
        # Reading the dump's table of contents is cheap: it runs however the file is known.
        postgres_file_check(path, label=label)

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


def server_connection(settings_dict: dict) -> psycopg.Connection:
    """A connection to the server's maintenance database, to create and drop databases."""
    params = {
        key: settings_dict.get(setting)
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if settings_dict.get(setting)
    }
    if settings_dict.get("PASSWORD"):
        params["password"] = settings_dict["PASSWORD"]
    options = settings_dict.get("OPTIONS") or {}
    params.update({key: value for key, value in options.items() if key in LIBPQ_OPTIONS})
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


@contextlib.contextmanager
def scratch_database(settings_dict: dict, *, purpose: str) -> Iterator[dict]:
    """An empty database on the same server, dropped afterwards whatever happens."""
    base = str(settings_dict.get("NAME") or "marquee")
    name = f"{base[:40]}_{purpose}_{secrets.token_hex(4)}"
    try:
        with server_connection(settings_dict) as server:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise BackupError(f"Could not create a scratch database: {one_line(error)}") from error
    try:
        yield {**settings_dict, "NAME": name}
    finally:
        with server_connection(settings_dict) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
