"""move_to_postgres refuses what it cannot do, in one line, before touching anything.

The move itself needs a PostgreSQL server: see test_postgres_move.py."""

from tests.backups.test_safety import command_error


def test_the_target_must_be_a_postgresql_url(sqlite_site):
    for url, reason in [
        ("mysql://root@localhost/marquee", "The target must be a postgres:// URL."),
        ("sqlite:///elsewhere.sqlite3", "The target must be a postgres:// URL."),
        ("not a url", "Not a database URL"),
    ]:
        result = sqlite_site.manage("move_to_postgres", url, fails=True)
        assert reason in command_error(result)


def test_an_unreachable_server_is_a_one_line_error(sqlite_site):
    result = sqlite_site.manage(
        "move_to_postgres", "postgres://nobody@127.0.0.1:9/marquee", fails=True
    )
    assert "Cannot connect to postgres://127.0.0.1:9/marquee" in command_error(result)


def test_a_database_with_unapplied_migrations_is_not_moved(sqlite_site):
    sqlite_site.manage("migrate", "recommendations", "zero", "--no-input", "-v", "0")
    result = sqlite_site.manage("move_to_postgres", "postgres://localhost/marquee", fails=True)
    assert "Run manage.py migrate first" in command_error(result)


def test_a_data_folder_with_no_database_is_refused_and_left_without_one(sqlite_site):
    # Run without the site's .env, say: MARQUEE_DATA_DIR names a folder with no database.
    # Opening it would create an empty file, which `migrate` would then make look movable.
    site = sqlite_site
    mistyped = site.root / "mistyped"

    result = site.manage(
        "move_to_postgres", "postgres://localhost/marquee",
        env={"DATABASE_URL": None, "MARQUEE_DATA_DIR": str(mistyped)},
        fails=True,
    )  # fmt: skip

    error = command_error(result)
    assert f"There is no database file {mistyped / 'marquee.sqlite3'}" in error
    assert "check MARQUEE_DATA_DIR" in error
    assert "Nothing was moved." in error
    assert not (mistyped / "marquee.sqlite3").exists(), "no empty database left behind"
