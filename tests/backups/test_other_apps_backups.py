"""A backup of another Django app's database is refused in the same words on each engine
(the PostgreSQL side, which needs a server, is test_postgres_other_apps_dumps.py)."""

import contextlib
import sqlite3

import pytest

from backups.errors import BackupError
from backups.migration_history import without_marquee_tables
from backups.sqlite_checks import sqlite_file_check


def test_a_sqlite_file_of_another_app_is_refused_in_the_shared_words(tmp_path):
    path = tmp_path / "blog.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE django_migrations (app text, name text, applied text)")
        db.execute("INSERT INTO django_migrations VALUES ('blog', '0001_initial', '')")
        db.execute("CREATE TABLE blog_post (title text)")

    with pytest.raises(BackupError) as refused:
        sqlite_file_check(path, label="blog.sqlite3")

    assert str(refused.value) == without_marquee_tables("blog.sqlite3", kind="SQLite database")
