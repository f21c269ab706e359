"""For tests of a migration that mends rows: the database moved back to the state just
before it, rows written with the models of that state (today's have columns and rules it
lacks), then every migration applied again."""

import contextlib

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder


@contextlib.contextmanager
def models_before(app: str, migration: str):
    """The database at `app`'s `migration`; yields the models (an apps registry) of that
    state. Every migration is applied again on the way out, whatever the test did."""
    call_command("migrate", app, migration, verbosity=0)
    try:
        yield MigrationExecutor(connection).loader.project_state((app, migration)).apps
    finally:
        call_command("migrate", verbosity=0)


def applied_migrations(app: str) -> set[str]:
    """The names of `app`'s migrations the database records as applied."""
    return {
        name for label, name in MigrationRecorder(connection).applied_migrations() if label == app
    }
