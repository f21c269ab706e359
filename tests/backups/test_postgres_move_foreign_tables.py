"""move_to_postgres refuses a database that holds another application's tables, even
empty ones, before it migrates anything; a database that only Marquee migrated, with no
rows, is still a target. Collected in the PostgreSQL session only (see conftest.py)."""

import psycopg

from tests.backups.conftest import new_site, postgres_url
from tests.backups.test_postgres_move import target_database  # noqa: F401 (a fixture)
from tests.backups.test_safety import command_error


def target_tables(name: str) -> list[str]:
    with psycopg.connect(postgres_url(name)) as database:
        rows = database.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    return sorted(row[0] for row in rows)


def test_another_applications_empty_table_is_refused_before_migrating(
    sqlite_site,
    target_database,  # noqa: F811
):
    with psycopg.connect(postgres_url(target_database), autocommit=True) as database:
        database.execute("CREATE TABLE blog_post (id serial PRIMARY KEY, title text)")
        database.execute("CREATE TABLE blog_comment (id serial PRIMARY KEY)")

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database), fails=True)

    error = command_error(result)
    assert "holds tables Marquee does not have (blog_comment, blog_post)" in error
    assert "Nothing was moved" in error
    assert "Traceback" not in result.stderr
    assert target_tables(target_database) == ["blog_comment", "blog_post"]  # not migrated


def test_a_database_marquee_migrated_without_rows_is_still_a_target(
    sqlite_site,
    target_database,  # noqa: F811
    tmp_path,
):
    new_site(tmp_path / "target", "postgresql", target_database).manage("migrate", "-v", "0")

    result = sqlite_site.manage("move_to_postgres", postgres_url(target_database))

    assert "every table's row count and checksum match" in result.stdout
