"""move_to_postgres on a real server: every row of every table arrives unchanged.

Collected in the PostgreSQL session only (see conftest.py): it needs a server."""

import secrets
import sqlite3

import psycopg
import pytest

from backups.move import BATCH
from tests.backups.conftest import (
    new_site,
    postgres_create,
    postgres_drop,
    postgres_url,
    written_backup,
)
from tests.backups.test_safety import command_error
from tests.backups.test_verify import reported_tables


@pytest.fixture
def target_database():
    name = f"marquee_backups_move_{secrets.token_hex(4)}"
    postgres_create(name)
    yield name
    postgres_drop(name)


def test_everything_moves_and_every_row_arrives_unchanged(sqlite_site, target_database, tmp_path):
    source = sqlite_site.snapshot()

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database))

    assert "every table's row count and checksum match" in result.stdout
    moved = new_site(tmp_path / "moved", "postgresql", target_database)
    assert moved.snapshot() == source
    # The checksums verify_backup reports are the same on both engines for the same data.
    sqlite_backup = written_backup(sqlite_site.manage("dbbackup").stdout)
    postgres_backup = written_backup(moved.manage("dbbackup").stdout)
    assert reported_tables(sqlite_site.manage("verify_backup", sqlite_backup).stdout) == (
        reported_tables(moved.manage("verify_backup", postgres_backup).stdout)
    )
    # Sequences continue after the moved ids: new rows do not collide with moved ones.
    moved.world("mutate")


@pytest.fixture
def occupied_database(filled_sites, tmp_path):
    """A PostgreSQL database that already holds Marquee's data."""
    _, template = filled_sites["postgresql"]
    name = f"marquee_backups_full_{secrets.token_hex(4)}"
    postgres_create(name, template=template)
    yield new_site(tmp_path / "occupied", "postgresql", name)
    postgres_drop(name)


def test_a_target_that_is_not_empty_is_refused_and_left_alone(sqlite_site, occupied_database):
    before = occupied_database.snapshot()
    sqlite_site.world("mutate")

    result = sqlite_site.manage("move_to_postgres", occupied_database.database_url, fails=True)

    assert "is not empty" in command_error(result)
    assert occupied_database.snapshot() == before


def sqlite_write(site, statement: str) -> dict[str, int]:
    """Change the first film, or the first review, behind Django's back, as a hand edit
    or another tool would; their ids."""
    database = sqlite3.connect(site.sqlite_path)
    try:
        (movie,) = database.execute("SELECT min(id) FROM catalog_movie").fetchone()
        (review,) = database.execute("SELECT min(id) FROM catalog_review").fetchone()
        database.execute(statement.format(movie=movie, review=review))
        database.commit()
    finally:
        database.close()
    return {"movie": movie, "review": review}


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        (
            # Text in a number column that SQLite's CHECKs let through: every column of
            # numbers has an upper bound that text ('abc' sorts after every number) fails,
            # but a foreign key's column has none, and a bare connection does not check it.
            "UPDATE catalog_review SET movie_id = 'abc' WHERE id = {review}",
            "catalog_review row id={review}, column movie_id cannot move to PostgreSQL: "
            "Field 'id' expected a number but got 'abc'. Mend it",
        ),
        (
            "UPDATE catalog_movie SET overview = 'a' || char(0) || 'b' WHERE id = {movie}",
            "catalog_movie row id={movie}, column overview cannot move to PostgreSQL: "
            "PostgreSQL text fields cannot contain NUL (0x00) bytes. Mend it",
        ),
    ],
    ids=["text-in-a-number", "nul-in-text"],
)
def test_a_value_postgresql_cannot_hold_names_its_row(
    sqlite_site, target_database, statement, reason
):
    ids = sqlite_write(sqlite_site, statement)

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database), fails=True)

    error = command_error(result)
    assert error.startswith("CommandError: " + reason.format(**ids))
    assert "nothing was moved" in error
    assert "Traceback" not in result.stderr
    with psycopg.connect(postgres_url(target_database)) as database:
        (films,) = database.execute("SELECT count(*) FROM catalog_movie").fetchone()
    assert films == 0


@pytest.mark.parametrize(
    ("table", "key", "column", "value", "reason"),
    [
        # SQLite stores any text in a date column; older Marquees let such dates in (see
        # README, Upgrading), and reading them back raises in SQLite's date converter.
        ("catalog_movie", "id", "release_date", "2020-02-30", "day is out of range for month"),
        ("catalog_review", "id", "posted_at", "2024-13-01 08:30:00", "month must be in 1..12"),
        # Django's converter, not SQLite's, raises on this one: refused the same way.
        (
            "recommendations_recommendationlog",
            "log_id",
            "slate_id",
            "not a uuid",
            "badly formed hexadecimal UUID string",
        ),
    ],
    ids=["impossible-date", "impossible-datetime", "text-in-a-uuid"],
)
def test_a_value_that_cannot_be_read_names_its_row(
    sqlite_site, target_database, table, key, column, value, reason
):
    database = sqlite3.connect(sqlite_site.sqlite_path)
    try:
        database.execute("PRAGMA ignore_check_constraints = ON")  # as a hand edit could
        (row,) = database.execute(f"SELECT min({key}) FROM {table}").fetchone()  # noqa: S608
        update = f"UPDATE {table} SET {column} = ? WHERE {key} = ?"  # noqa: S608
        database.execute(update, [value, row])
        database.commit()
    finally:
        database.close()

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database), fails=True)

    assert command_error(result) == (
        f"CommandError: {table} row {key}={row}, column {column} cannot move to PostgreSQL: "
        f"{value!r} cannot be read: {reason}. Mend it in the SQLite database and run the "
        "move again; nothing was moved."
    )
    with psycopg.connect(postgres_url(target_database)) as target:
        (films,) = target.execute("SELECT count(*) FROM catalog_movie").fetchone()
    assert films == 0


def test_a_target_migrated_by_a_newer_marquee_is_refused(sqlite_site, target_database, tmp_path):
    target = new_site(tmp_path / "target", "postgresql", target_database)
    target.manage("migrate")
    with psycopg.connect(postgres_url(target_database), autocommit=True) as database:
        database.execute(
            "INSERT INTO django_migrations (app, name, applied)"
            " VALUES ('catalog', '9999_future', now())"
        )

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database), fails=True)

    assert "has 1 migration(s) the SQLite database lacks (catalog.9999_future)" in (
        command_error(result)
    )


def sqlite_rows(site, query: str) -> list[tuple]:
    database = sqlite3.connect(site.sqlite_path)
    try:
        return database.execute(query).fetchall()
    finally:
        database.close()


def test_a_value_postgresql_refuses_in_the_copy_names_the_row_sent(sqlite_site, target_database):
    sqlite_site.world("many_films")
    # In the second COPY, and not the last row sent: the row read last is not the culprit.
    read = "SELECT id FROM catalog_movie ORDER BY rowid"  # the order the copy reads them in
    ids = [movie for (movie,) in sqlite_rows(sqlite_site, read)]
    movie = ids[BATCH + 40]
    sqlite_write(sqlite_site, f"UPDATE catalog_movie SET title = '{'t' * 400}' WHERE id = {movie}")

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database), fails=True)

    assert command_error(result).startswith(
        f"CommandError: catalog_movie row id={movie}, column title cannot move to PostgreSQL: "
        "value too long for type character varying(300)"
    )


def test_a_text_key_postgresql_refuses_in_the_copy_is_named(sqlite_site, target_database):
    read = "SELECT media_id FROM feedback_media ORDER BY rowid"  # the order the copy reads
    (first, *others) = sqlite_rows(sqlite_site, read)
    assert others, "the first row must not be the last one sent"
    sqlite_write(
        sqlite_site,
        f"UPDATE feedback_media SET title = '{'t' * 400}' WHERE media_id = '{first[0]}'",
    )

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database), fails=True)

    assert command_error(result).startswith(
        f"CommandError: feedback_media row media_id={first[0]!r}, column title cannot move to "
        "PostgreSQL: value too long for type character varying(300)"
    )


MOVED = ("catalog_", "feedback_", "recommendations_", "axes_")

# move_to_postgres, told to stop (Ctrl-C) while it copies its second table.
STOPPED_IN_THE_COPY = """
import os, signal, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
import backups.move
from backups.stopping import Stopped

copy = backups.move.table_copy
def copy_then_stop(model, copied=[], **kwargs):
    if copied:
        raise Stopped(signal.SIGINT)
    copied.append(copy(model, **kwargs))
backups.move.table_copy = copy_then_stop
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "move_to_postgres", sys.argv[1]])
"""


def test_a_move_stopped_part_way_says_nothing_was_moved_and_can_run_again(
    sqlite_site, target_database, tmp_path
):
    url = postgres_url(target_database)

    result = sqlite_site.run("-c", STOPPED_IN_THE_COPY, url, fails=True)

    assert result.returncode == 130
    assert command_error(result).startswith(
        "CommandError: Stopped by SIGINT before it finished: the copy was rolled back, so "
        "nothing was moved"
    )
    # What migrate writes (permissions, content types, its own records) and no row moved.
    rows = new_site(tmp_path / "moved", "postgresql", target_database).snapshot()["rows"]
    moved = {table for table, held in rows.items() if held and table.startswith(MOVED)}
    assert moved == set()
    assert rows["auth_user"] == []
    assert "every table's row count and checksum match" in (
        sqlite_site.manage("move_to_postgres", url).stdout
    )
