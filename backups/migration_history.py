"""What a database's migrations table says of it: whether it is a Marquee database at all.

A backup of a database that is not Marquee's (the settings pointing at an empty file or an
empty PostgreSQL database) holds nothing, and `--clean` would push real backups out for it.
"""

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
