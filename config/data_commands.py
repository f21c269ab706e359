"""Commands that read or write Marquee's rows (imports, exports, the recommendation model)
refuse, in one line, a database that is not a migrated Marquee database.

Run in a shell without the site's `.env` (cron, a new terminal), DATABASE_URL is unset
and Marquee falls back to its SQLite default; a DATABASE_URL may also name another
application's database. The commands then ended in a 70-line traceback ("no such table:
auth_user"), and on SQLite left an empty database file where there was none, which the
backup commands then took for the database. The refusal is the backup commands' own
(backups/migration_history.py, backups/sqlite.py): their count of Marquee's migrations
and their advice, with what a data command should be told instead of "No backup was
written".
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.backends.sqlite3.creation import DatabaseCreation

from backups.connections import described
from backups.migration_history import marquee_migrations_recorded
from backups.sqlite import path_advice

# What to check, after what the database's own setting says.
ENVIRONMENT_ADVICE = (
    "in a shell of its own, the site's settings come from its .env (set -a && . ./.env && set +a)"
)


class DataCommand(BaseCommand):
    """A management command that needs Marquee's tables."""

    def get_check_kwargs(self, options):
        # Django's system checks open the database (a JSONField asks SQLite what it
        # supports): on a SQLite path where no file is, that makes an empty one.
        return {**super().get_check_kwargs(options), "databases": []}

    def execute(self, *args, **options):
        refuse_a_database_without_marquee()
        return super().execute(*args, **options)


def refuse_a_database_without_marquee() -> None:
    settings_dict = connection.settings_dict
    name = str(settings_dict["NAME"])
    if connection.vendor == "sqlite":
        where, advice = name, path_advice(settings_dict)
        if not DatabaseCreation.is_in_memory_db(name) and not Path(name).is_file():
            raise CommandError(
                f"There is no database file {where}: run manage.py migrate to make one, or "
                f"{advice}; {ENVIRONMENT_ADVICE}."
            )
    else:
        where, advice = described(settings_dict), "check DATABASE_URL"
    try:
        applied = marquee_migrations_recorded(connection)
    except DatabaseError as error:
        raise CommandError(
            f"{where} cannot be read: {str(error).strip().splitlines()[0]}"
        ) from None
    if not applied:
        why = "it has no migrations table" if applied is None else "none of Marquee's migrations"
        raise CommandError(
            f"{where} is not a migrated Marquee database ({why}): run manage.py migrate, or "
            f"{advice}; {ENVIRONMENT_ADVICE}."
        )
