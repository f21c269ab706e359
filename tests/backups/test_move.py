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
