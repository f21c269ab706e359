"""A backup of nothing is refused: the database setting pointing at a database that is not
a migrated Marquee database (MARQUEE_DATA_DIR mistyped, a disk not mounted, a wrong
DATABASE_URL), or a media folder gone after backups of files. Written each night with
--clean, such backups pushed the real ones out."""

import shutil
import sqlite3

import psycopg
import pytest

from tests.backups.test_safety import command_error

FAILURE_MAIL = "[Marquee] manage.py dbbackup failed"


def test_a_data_folder_that_is_not_there_backs_up_nothing_and_deletes_nothing(sqlite_site):
    site = sqlite_site
    site.manage("dbbackup", "--compress")
    kept = site.backup_names()
    unmounted = site.root / "unmounted"

    result = site.manage(
        "dbbackup", "--compress", "--clean", "--quiet",
        env={
            "DATABASE_URL": None,  # the SQLite file under MARQUEE_DATA_DIR, as by default
            "MARQUEE_DATA_DIR": str(unmounted),
            "MARQUEE_BACKUP_KEEP": "1",
            "DJANGO_ADMINS": "ops@example.com",
        },
        fails=True,
    )  # fmt: skip

    error = command_error(result)
    assert str(unmounted / "marquee.sqlite3") in error
    assert "MARQUEE_DATA_DIR" in error
    assert FAILURE_MAIL in result.stdout  # DEBUG's console mail backend prints it
    assert site.backup_names() == kept
    assert not (unmounted / "marquee.sqlite3").exists(), "no empty database left behind"


def record_django_migrations_only(site) -> None:
    """A database with a migrations table but none of Marquee's migrations in it."""
    create = "CREATE TABLE django_migrations (id integer PRIMARY KEY, app text, name text)"
    insert = "INSERT INTO django_migrations VALUES (1, 'auth', '0001_initial')"
    if site.engine == "sqlite":
        with sqlite3.connect(site.sqlite_path) as database:
            database.execute(create)
            database.execute(insert)
        database.close()
    else:
        with psycopg.connect(site.database_url, autocommit=True) as database:
            database.execute(create)
            database.execute(insert)


@pytest.mark.parametrize("contents", ["nothing", "django-only"])
def test_a_database_that_is_not_marquees_is_not_backed_up(site, empty_site, contents):
    site.manage("dbbackup")
    kept = site.backup_names()
    if contents == "django-only":
        record_django_migrations_only(empty_site)
    wrong = {"DATABASE_URL": empty_site.database_url, "MARQUEE_BACKUP_KEEP": "1"}

    result = site.manage("dbbackup", "--clean", env=wrong, fails=True)

    error = command_error(result)
    if site.engine == "sqlite":
        assert str(empty_site.sqlite_path) in error
    else:
        assert f"/{empty_site.database_url.rsplit('/', 1)[1]}" in error
    assert "DATABASE_URL" in error
    assert "No backup was written" in error
    assert site.backup_names() == kept
    if contents == "nothing" and site.engine == "sqlite":
        assert not empty_site.sqlite_path.exists(), "no empty database left behind"


def media_backup_of_a_file(site) -> str:
    (site.media / "posters").mkdir(parents=True)
    (site.media / "posters" / "tokyo.jpg").write_bytes(b"a poster")
    return site.manage("mediabackup", "--compress").stdout.split(" to ")[1].strip()


def test_a_media_folder_gone_after_backups_of_files_is_refused(sqlite_site):
    site = sqlite_site
    newest = media_backup_of_a_file(site)
    kept = site.backup_names()
    shutil.rmtree(site.media)  # what a disk that is not mounted looks like

    result = site.manage(
        "mediabackup", "--compress", "--clean", "--quiet",
        env={"MARQUEE_BACKUP_KEEP": "1", "DJANGO_ADMINS": "ops@example.com"},
        fails=True,
    )  # fmt: skip

    error = command_error(result)
    assert f"The media folder {site.media} does not exist" in error
    assert newest in error
    assert "MARQUEE_MEDIA_DIR" in error
    assert "[Marquee] manage.py mediabackup failed" in result.stdout
    assert site.backup_names() == kept


def test_a_media_folder_that_never_held_files_still_backs_up_when_missing(sqlite_site):
    site = sqlite_site
    assert not site.media.exists()  # a fresh install
    first = site.manage("mediabackup").stdout.split(" to ")[1].strip()

    result = site.manage("mediabackup", "--compress", "--clean", env={"MARQUEE_BACKUP_KEEP": "1"})

    assert "Backed up 0 media file(s)" in result.stdout
    assert f"Deleted old backup {first}" in result.stdout
