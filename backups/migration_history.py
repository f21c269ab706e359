"""What a database's migrations table says of it: whether it is a Marquee database at all,
and whether a newer Marquee made it.

A backup of a database that is not Marquee's (the settings pointing at an empty file or an
empty PostgreSQL database) holds nothing, and `--clean` would push real backups out for it.
A backup made by a newer Marquee has tables and columns this code does not know: restored,
it would leave the database ahead of the code, with nothing for `migrate` to apply.
"""

from enum import Enum

from django.db import DatabaseError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from backups.errors import BackupError

# A Marquee database has applied at least one migration of these apps.
MARQUEE_APPS = ("catalog", "feedback", "recommendations")


def marquee_migrations_recorded(connection) -> int | None:
    """How many migrations of Marquee's apps a database (a Django connection) records;
    None without a migrations table."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return None
    return recorder.migration_qs.filter(app__in=MARQUEE_APPS).count()


class LiveContents(Enum):
    """What a live database holds, as a restore into it sees it."""

    NOTHING = "no table at all"  # a database just created: no safety backup to take
    MARQUEE = "Marquee's tables"
    OTHER = "tables, none of them recorded as Marquee's"  # refused: see below
    UNREADABLE = "what could not be read"  # the safety backup, taken then, says what


def live_contents(connection) -> LiveContents:
    """What a live database (a Django connection) holds."""
    try:
        if marquee_migrations_recorded(connection):
            return LiveContents.MARQUEE
        tables = connection.introspection.table_names()
    except DatabaseError:
        return LiveContents.UNREADABLE
    return LiveContents.OTHER if tables else LiveContents.NOTHING


def refuse_another_applications_database(
    contents: LiveContents, *, where: str, advice: str
) -> None:
    """Refuse to restore over tables that are not Marquee's: the settings name another
    application's database (or a file that is not Marquee's). A restore replaces the
    whole SQLite file, and on PostgreSQL every table whose name a Marquee table shares
    (Django's own: auth_user, django_migrations...); its safety backup would hold their
    rows, but as a file that no dbrestore accepts."""
    if contents is LiveContents.OTHER:
        raise BackupError(
            f"{where} holds tables but none of Marquee's migrations: another application's "
            f"database? Restoring over it could destroy them; {advice}. To restore there "
            "all the same, empty it first. Nothing was changed."
        )


def without_marquee_tables(label: str, *, kind: str) -> str:
    """The refusal of a backup that records none of Marquee's migrations (another app's
    database, with its own migrations table), in the same words on each engine; `kind`
    says what the file is: "SQLite database", "PostgreSQL dump"."""
    return f"{label} is a {kind} without any of Marquee's tables."


def refuse_unmigrated_database(connection, *, where: str, advice: str) -> None:
    """Refuse to back up a database that is not a migrated Marquee database.

    `where` names the database (its file, or its URL without the password), `advice` the
    setting that chose it.
    """
    applied = marquee_migrations_recorded(connection)
    if applied:
        return
    why = "it has no migrations table" if applied is None else "none of Marquee's migrations"
    raise BackupError(
        f"{where} is not a migrated Marquee database ({why}): {advice}. No backup was "
        "written, and no old one deleted."
    )


def migrations_newer_than_this_code(recorded: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The migrations a database records that this Marquee's code does not have: a newer
    Marquee's. Those that its squashed migrations replace are known (an older database
    still records them); an app this Marquee does not have is left out, as `migrate`
    leaves it out."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return sorted((app, name) for app, name in recorded - known if app in loader.migrated_apps)


def newer_migrations_found(ahead: list[tuple[str, str]], *, where: str, lacking: str) -> str:
    """The sentence that names them: the first three, and how many there are."""
    names = ", ".join(f"{app}.{name}" for app, name in ahead[:3])
    more = ", …" if len(ahead) > 3 else ""
    return (
        f"{where} has {len(ahead)} migration(s) {lacking} ({names}{more}): a newer Marquee made it."
    )


def refuse_newer_migrations(
    ahead: list[tuple[str, str]], *, where: str, lacking: str, remedy: str
) -> None:
    """Refuse a database that records migrations (`ahead`) which the other side, the code
    or another database, lacks: it has tables or columns the other side does not."""
    if ahead:
        raise BackupError(f"{newer_migrations_found(ahead, where=where, lacking=lacking)} {remedy}")


def refuse_backup_from_newer_marquee(recorded: set[tuple[str, str]], *, label: str) -> None:
    """Refuse to restore a backup made by a newer Marquee: restored, the database would be
    ahead of the code, and `migrate` would find nothing to apply."""
    refuse_newer_migrations(
        migrations_newer_than_this_code(recorded),
        where=label,
        lacking="this Marquee does not have",
        remedy="Upgrade Marquee first, then restore it; nothing was changed.",
    )


def newer_marquee_notes(recorded: set[tuple[str, str]], *, label: str) -> list[str]:
    """What verify_backup says of a backup made by a newer Marquee: it is sound, but this
    Marquee's dbrestore refuses it."""
    ahead = migrations_newer_than_this_code(recorded)
    if not ahead:
        return []
    found = newer_migrations_found(ahead, where=label, lacking="this Marquee does not have")
    return [f"{found} This Marquee's dbrestore refuses it: upgrade Marquee to restore it."]


def migrations_to_unapply(
    database: set[tuple[str, str]], backup: set[tuple[str, str]]
) -> list[str]:
    """The `manage.py migrate APP MIGRATION` commands that take a database back to what a
    backup records: for each app with migrations the backup lacks, the backup's last
    migration of it, or `zero` when the backup has none. Run in any order: one unapplies
    the migrations of other apps that depend on what it unapplies, and a backup records
    none of those either."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    graph = loader.graph
    commands = []
    for app in sorted({app for app, _ in database - backup if app in loader.migrated_apps}):
        recorded = [key for key in backup if key[0] == app and key in graph.nodes]
        # The one with the longest plan comes after the others: an app's migrations are
        # one line, each depending on the one before.
        last = max(recorded, key=lambda key: len(graph.forwards_plan(key)), default=None)
        commands.append(f"manage.py migrate {app} {last[1] if last else 'zero'}")
    return commands
