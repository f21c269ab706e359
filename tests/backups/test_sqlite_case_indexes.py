"""A SQLite backup's integrity check reads the case-insensitive indexes (usernames, email
addresses, list and genre names) with the UPPER and LOWER they were built with: Marquee's
since feedback migration 0015 (config/unicode_case.py), SQLite's own before it. A backup
taken before the upgrade that brought them is sound, and verifies and restores; one taken
after it with an index SQLite's own functions wrote is damaged, and is refused."""

import contextlib
import sqlite3

from tests.backups.test_safety import command_error

ACCENTED = ("josé", "josé@exämple.com")


def written_by_sqlite_s_own_functions(path, *, before_the_upgrade: bool) -> None:
    """An account with accents written by a connection without Marquee's UPPER and LOWER,
    as the site's own before the upgrade, or the `sqlite3` shell after it, would write it."""
    with contextlib.closing(sqlite3.connect(path)) as database, database:
        database.execute(
            "INSERT INTO auth_user (username, email, password, first_name, last_name, "
            "is_superuser, is_staff, is_active, date_joined) "
            "VALUES (?, ?, '', '', '', 0, 0, 1, '2026-11-01 10:00:00')",
            ACCENTED,
        )
        if before_the_upgrade:
            database.execute(
                "DELETE FROM django_migrations WHERE app = 'feedback' AND name >= '0015'"
            )


def copied(site, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(site.sqlite_path)) as live,
        contextlib.closing(sqlite3.connect(copy)) as target,
    ):
        live.backup(target)
    return copy


def test_a_backup_from_before_the_upgrade_verifies_and_restores(sqlite_site, tmp_path):
    site = sqlite_site
    written_by_sqlite_s_own_functions(site.sqlite_path, before_the_upgrade=True)
    copy = copied(site, tmp_path)

    verified = site.manage("verify_backup", str(copy))
    assert "restores cleanly" in verified.stdout
    restored = site.manage("dbrestore", "--noinput", "-I", str(copy))

    assert "run manage.py migrate" in restored.stdout + restored.stderr
    with contextlib.closing(sqlite3.connect(site.sqlite_path)) as live:
        assert live.execute("SELECT 1 FROM auth_user WHERE username = ?", ACCENTED[:1]).fetchone()


def test_a_backup_after_it_with_an_index_sqlite_s_functions_wrote_is_refused(sqlite_site, tmp_path):
    site = sqlite_site
    written_by_sqlite_s_own_functions(site.sqlite_path, before_the_upgrade=False)
    copy = copied(site, tmp_path)

    refused = site.manage("verify_backup", str(copy), fails=True)

    assert "failed SQLite's integrity check" in command_error(refused)
    assert "auth_user_" in command_error(refused)
