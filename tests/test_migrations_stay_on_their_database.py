"""Migrating one database leaves every other alone, the default database included.

A data migration (RunPython) that uses the ORM without `.using(schema_editor.connection.
alias)` reads and writes the default database whatever is being migrated: move_to_postgres,
which migrates its target through a second alias, changed the SQLite database it was
moving. Here a second, empty database is migrated from zero while the default one holds
rows the data migrations would change; not one query may reach the default database, and
its every row must be as it was.
"""

import secrets

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from backups.checksums import database_digests
from backups.connections import temporary_alias
from tests.mendable_rows import write_rows_the_data_migrations_mend

pytestmark = pytest.mark.django_db

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(params=["sqlite", "postgresql"] if ON_POSTGRES else ["sqlite"])
def second_database(request, tmp_path):
    """Settings of an empty database beside the default one, on either engine."""
    if request.param == "sqlite":
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "second.sqlite3")}
        return
    from tests.backups.conftest import postgres_create, postgres_drop

    name = f"marquee_backups_second_{secrets.token_hex(4)}"
    postgres_create(name)
    yield settings.DATABASES["default"] | {"NAME": name, "TEST": {}}
    postgres_drop(name)


def default_digests():
    connection.ensure_connection()
    return database_digests(connection.connection, connection.vendor)


def test_migrating_another_database_leaves_the_default_one_untouched(second_database):
    write_rows_the_data_migrations_mend()
    before = default_digests()

    with temporary_alias(second_database) as alias:
        # Opened here: a Django test refuses to open a connection to an alias it was not
        # told of, and this one exists only for the test.
        connections[alias].connect()
        with CaptureQueriesContext(connection) as default_queries:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
        migrated = connections[alias].introspection.table_names()

    assert "feedback_userfeedback" in migrated  # every migration did run there
    assert default_digests() == before
    # Reads too: a migration that decides from the default database's rows (a clash it
    # refuses, ids it mends) acts on the wrong ones.
    assert [query["sql"] for query in default_queries] == []
