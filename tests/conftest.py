import os

import pytest
from django.conf import settings
from django.db import DataError, IntegrityError, connection, transaction

from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file, as a SQLite install's is: pytest-django's
    default is in memory, where a second writer is refused at once, so the tests of writes
    at once (tests/at_once.py) could not show one waiting its turn. In pytest's temporary
    folder for the run, so that two runs never share one."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Production hashing is slow on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(staff=True)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


def raw_insert(table: str, **columns) -> None:
    """INSERT a row with plain SQL, around the ORM and its validation."""
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})",  # noqa: S608
            list(columns.values()),
        )


def assert_refused_by_database(table: str, **columns) -> None:
    """The database itself rejects the row: a constraint, not only Python, holds the rule.

    PostgreSQL reports an over-long varchar as a DataError; either way the row is refused.
    Foreign keys are deferred to commit on both engines, so they are checked on the spot.
    """
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        insert_and_check_constraints(table, columns)


def insert_and_check_constraints(table: str, columns: dict) -> None:
    raw_insert(table, **columns)
    connection.check_constraints()


# CI runs every test on both databases: with MARQUEE_NO_SKIPS=1 (set by .ci/run) a skipped
# test fails the run instead of passing quietly.
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def skips_forbidden() -> bool:
    return bool(os.environ.get("MARQUEE_NO_SKIPS") and _skipped)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if skips_forbidden() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if skips_forbidden():
        terminalreporter.section("skipped tests fail this run (MARQUEE_NO_SKIPS=1)", red=True)
        for nodeid in _skipped:
            terminalreporter.write_line(nodeid)
