"""The commands that read or write Marquee's rows refuse, in one line, a database that is
not a migrated Marquee database: run without the site's .env (DATABASE_URL unset, so the
SQLite default), or with a DATABASE_URL naming another application's database. They
ended in a 70-line traceback ("no such table: auth_user"), and on SQLite left an empty
database file behind."""

import sqlite3

import pytest

from tests.config.test_settings import manage

# Each with arguments it would otherwise run with: the refusal comes before they are read.
COMMANDS = [
    ["export_user", "demo"],
    ["import_user_export", "export.json", "--user", "demo"],
    ["import_letterboxd", "export.zip", "--user", "demo"],
    ["import_imdb", "--ratings", "ratings.csv", "--user", "demo"],
    ["import_trakt", "history.json", "--user", "demo"],
    ["import_movielens", "ml-latest-small"],
    ["import_tmdb", "movies.json"],
    ["import_tweets", "tweets.jsonl"],
    ["build_similarities"],
    ["refresh_rating_stats"],
    ["recommend", "demo"],
]


def refusal(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_no_database_file_is_one_line_and_makes_none(command, tmp_path):
    # As in a shell without the site's .env: no DATABASE_URL, the SQLite default.
    result = manage(*command, DJANGO_DEBUG="1", DATABASE_URL="", MARQUEE_DATA_DIR=str(tmp_path))

    database = tmp_path / "marquee.sqlite3"
    assert refusal(result) == (
        f"CommandError: There is no database file {database}: run manage.py migrate to make "
        "one, or check MARQUEE_DATA_DIR (mistyped, or its disk not mounted?); in a shell of "
        "its own, the site's settings come from its .env (set -a && . ./.env && set +a)."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS[:3], ids=lambda command: command[0])
def test_another_application_s_database_is_one_line(command, tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    result = manage(*command, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{other}")

    assert refusal(result).startswith(
        f"CommandError: {other} is not a migrated Marquee database (it has no migrations "
        "table): run manage.py migrate, or check DATABASE_URL"
    )
