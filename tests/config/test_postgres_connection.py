"""A DATABASE_URL naming a PostgreSQL database that does not exist: one line, no traceback.

Collected only where the suite runs on PostgreSQL (tests/config/conftest.py), as the
backups' PostgreSQL tests are.
"""

from django.conf import settings

from tests.config.test_settings import assert_one_line_connection_failure, manage


def test_a_postgresql_database_that_does_not_exist_is_a_one_line_error(tmp_path):
    server = settings.DATABASES["default"]
    url = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}/marquee_no_such_db"

    result = manage("migrate", DJANGO_DEBUG="1", DATABASE_URL=url, MARQUEE_DATA_DIR=str(tmp_path))

    assert_one_line_connection_failure(result, "marquee_no_such_db")
    assert 'database "marquee_no_such_db" does not exist' in result.stderr
