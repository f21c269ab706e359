"""Scratch databases on the PostgreSQL server, for verify_backup to restore into.

Each is dropped however the run ends; one a killed run left behind is dropped by the
next run, but never one that another run is still using.
"""

import contextlib
import hashlib
import re
import secrets
import signal
import threading
from collections.abc import Iterator

import psycopg
from psycopg import sql

from backups.errors import BackupError, one_line
from backups.postgres_tools import database_connection


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
