"""PostgreSQL backups with pg_dump's custom format, restored by pg_restore in one transaction.

`--single-transaction --exit-on-error` makes a restore all or nothing: a truncated dump, a
missing role or a lock that does not come is a rollback, never half a database. dbbackup's
PgDumpBinaryConnector does the dump the same way; the checks and the restore are ours.
The tools run through backups/postgres_tools.py, under its lock limit.
"""

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

from dbbackup.db.postgresql import PgDumpBinaryConnector
from django.apps import apps

from backups.connections import described
from backups.errors import BackupError
from backups.files import Dump, unpacked, work_directory
from backups.migration_history import (
    MARQUEE_APPS,
    LiveContents,
    live_contents,
    migrations_to_unapply,
    refuse_another_applications_database,
    refuse_unmigrated_database,
    without_marquee_tables,
)
from backups.postgres_tools import (
    ToolMissing,
    connection_arguments,
    database_connection,
    run_tool,
    run_tool_within_lock_limit,
)
from backups.stopping import Stopped

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


def postgres_file_check(path: Path, *, label: str) -> str:
    """Refuse a file pg_restore cannot read, or a dump of some other database; its table
    of contents otherwise.

    Another Django app's dump has a migrations table too: what makes a dump Marquee's is
    that the table records Marquee's migrations, as for a SQLite file. Restored, such a
    dump would pass for a Marquee database that predates every migration (and over
    Marquee's own, the advice to unapply them all would wipe it).
    """
    try:
        toc = run_tool(["pg_restore", "--list", str(path)])
        has_table = MIGRATIONS_TABLE_IN_TOC.search(toc)
        recorded = postgres_recorded_migrations(path) if has_table else None
    except (ToolMissing, Stopped):
        raise  # said as it is: nothing of the file's
    except BackupError as error:
        raise BackupError(f"{label} is not a readable PostgreSQL dump: {error}") from error
    if recorded is None:
        raise BackupError(f"{label} is a PostgreSQL dump but not Marquee's: no migrations table.")
    if not any(app in MARQUEE_APPS for app, _ in recorded):
        raise BackupError(without_marquee_tables(label, kind="PostgreSQL dump"))
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


ROLLED_BACK = "The restore was rolled back, nothing was changed"


def pg_restore_into(settings_dict: dict, path: Path, *, failed: str = ROLLED_BACK) -> None:
    """Restore the dump at `path`, all or nothing, waiting at most LOCK_WAIT_LIMIT for a lock.

    `failed` opens the error: what a failure means to the caller's database."""
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
    except (ToolMissing, Stopped) as error:
        if failed is not ROLLED_BACK:
            raise  # a verify's "does not restore" would blame the file
        raise BackupError(f"{failed}: {error}") from error
    except BackupError as error:
        raise BackupError(f"{failed}: {error}") from error


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

    def live_contents(self) -> LiveContents:
        """What the database holds, before a restore; refused when it is another
        application's."""
        contents = live_contents(self.connection)
        refuse_another_applications_database(
            contents, where=described(self.settings), advice="check DATABASE_URL"
        )
        return contents

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
