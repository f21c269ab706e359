"""A PostgreSQL dump of another Django app's database is refused, as a SQLite file is.

Such a dump has a migrations table, which is all the check used to look for: verify_backup
passed it, a restore into an empty database went through, and a restore over Marquee's
database advised `migrate APP zero` for every app, which would have wiped it. The dump
here is made by pg_dump from a scratch database holding a blog's tables. Collected in the
PostgreSQL session only (see conftest.py).
"""

import secrets
import shutil

import psycopg
import pytest

from backups.errors import BackupError
from backups.migration_history import without_marquee_tables
from backups.postgres import postgres_file_check
from backups.postgres_tools import run_tool
from tests.backups.conftest import postgres_create, postgres_drop, postgres_url
from tests.backups.test_safety import command_error

BLOG_SCHEMA = """
    CREATE TABLE django_migrations (
        id bigserial PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL,
        applied timestamptz NOT NULL
    );
    INSERT INTO django_migrations (app, name, applied) VALUES ('blog', '0001_initial', now());
    CREATE TABLE blog_post (id bigserial PRIMARY KEY, title varchar(200) NOT NULL);
    INSERT INTO blog_post (title) VALUES ('Hello');
"""


@pytest.fixture
def blog_dump(tmp_path):
    """A custom-format dump, by pg_dump, of a database of another Django app (a blog)."""
    name = f"marquee_backups_{secrets.token_hex(4)}"
    postgres_create(name)
    try:
        with psycopg.connect(postgres_url(name), autocommit=True) as blog:
            blog.execute(BLOG_SCHEMA)
        path = tmp_path / "blog.psql.bin"
        run_tool(["pg_dump", "--format=custom", f"--file={path}", f"--dbname={postgres_url(name)}"])
    finally:
        postgres_drop(name)
    return path


def refusal(label: str) -> str:
    return f"CommandError: {without_marquee_tables(label, kind='PostgreSQL dump')}"


def test_the_refusal_is_in_the_words_of_the_sqlite_one(blog_dump):
    with pytest.raises(BackupError) as refused:
        postgres_file_check(blog_dump, label="blog.psql.bin")

    expected = "blog.psql.bin is a PostgreSQL dump without any of Marquee's tables."
    assert str(refused.value) == expected


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_verify_backup_refuses_it(site, blog_dump):
    shutil.copy(blog_dump, site.root / "blog.psql.bin")

    result = site.manage("verify_backup", "./blog.psql.bin", fails=True, cwd=site.root)

    assert command_error(result) == refusal("blog.psql.bin")  # the path as Path gives it
    assert "rows in" not in result.stdout


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_restore_over_marquee_refuses_it_and_advises_nothing(site, blog_dump):
    before = site.snapshot()

    result = site.manage("dbrestore", "--noinput", "-I", str(blog_dump), fails=True)

    assert command_error(result) == refusal(str(blog_dump))
    assert "migrate" not in result.stderr, "no advice to unapply Marquee's migrations"
    assert site.snapshot() == before
    assert not site.backups.exists() or not site.backup_names(), "no safety backup either"


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_restore_into_an_empty_database_refuses_it(empty_site, blog_dump):
    result = empty_site.manage("dbrestore", "--noinput", "-I", str(blog_dump), fails=True)

    assert command_error(result) == refusal(str(blog_dump))
    with psycopg.connect(empty_site.database_url) as db:
        tables = db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchall() == []


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_a_stored_one_is_refused_by_name_and_as_the_latest(site, blog_dump):
    site.backups.mkdir(exist_ok=True)
    name = "blog-2026-11-24-000000.psql.bin"
    shutil.copy(blog_dump, site.backups / name)
    before = site.snapshot()

    by_name = site.manage("dbrestore", "--noinput", "-i", name, fails=True)
    latest = site.manage("dbrestore", "--noinput", fails=True)

    assert command_error(by_name) == refusal(name)
    assert command_error(latest) == refusal(name)
    assert site.snapshot() == before
    assert site.backup_names() == [name]
