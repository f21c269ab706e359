"""One test per trap of django-dbbackup 5.4 that the backups app closes (see docs/backups.md)."""

import gzip
import os
import sqlite3
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from backups.connections import temporary_alias
from backups.errors import BackupError
from backups.services import database_restore
from config.unicode_case import install_unicode_case
from tests.backups.conftest import backup_suffix, written_backup

SQLITE_HEADER = b"SQLite format 3\x00"


def test_trap1_a_compressed_backup_restored_without_z_is_decompressed(site):
    original = site.snapshot()
    name = written_backup(site.manage("dbbackup", "--compress").stdout)
    assert (site.backups / name).read_bytes()[:2] == b"\x1f\x8b"
    # Renamed without ".gz" as well: the content decides, not the name or a flag.
    disguised = "disguised" + backup_suffix(name).removesuffix(".gz")
    (site.backups / disguised).write_bytes((site.backups / name).read_bytes())
    site.world("mutate")

    result = site.manage("dbrestore", "--noinput", "-i", disguised)

    assert "(gzip, decompressed)" in result.stdout
    assert site.snapshot() == original
    if site.engine == "sqlite":
        assert site.sqlite_path.read_bytes()[:16] == SQLITE_HEADER


def count_ratings(connection: sqlite3.Connection) -> int:
    return connection.execute("SELECT count(*) FROM catalog_rating").fetchone()[0]


def test_trap2_a_connection_holding_the_database_in_wal_mode_sees_the_restore(sqlite_site):
    site = sqlite_site
    site.manage("dbbackup")
    other = sqlite3.connect(site.sqlite_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        other.execute("PRAGMA wal_autocheckpoint = 0")  # the deletion stays in the WAL
        ratings = count_ratings(other)
        assert ratings > 0
        other.execute("DELETE FROM catalog_rating")
        other.commit()
        assert os.path.getsize(f"{site.sqlite_path}-wal") > 0

        site.manage("dbrestore", "--noinput")

        assert count_ratings(other) == ratings
    finally:
        other.close()  # the last connection checkpoints: the old WAL would win here
    reopened = sqlite3.connect(site.sqlite_path)
    install_unicode_case(reopened)  # as Marquee's own connections have it
    try:
        assert count_ratings(reopened) == ratings
        assert reopened.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        reopened.close()


def test_trap3_restoring_into_an_empty_database_keeps_every_child_row(site, empty_site):
    original = site.snapshot()
    name = written_backup(site.manage("dbbackup").stdout)

    empty_site.manage("dbrestore", "--noinput", "-I", str(site.backups / name))

    restored = empty_site.snapshot()
    # auth_group_permissions sorts before auth_permission, the table it points to: the
    # text connector restored it first, into a database where its parents did not exist.
    assert restored["rows"]["auth_group_permissions"]
    assert restored == original


def test_trap4_the_latest_backup_is_found_even_when_renamed(site):
    first = written_backup(site.manage("dbbackup").stdout)
    mutated = site.mutate()
    second = written_backup(site.manage("dbbackup").stdout)
    renamed = "before-upgrade" + backup_suffix(second)
    (site.backups / second).rename(site.backups / renamed)
    now = time.time()
    os.utime(site.backups / first, (now - 300, now - 300))
    os.utime(site.backups / renamed, (now - 200, now - 200))
    site.manage("dbrestore", "--noinput", "-i", first)  # back to the original data
    assert site.snapshot() != mutated

    # "The latest" is the renamed file: not the dated one, not the safety backup just taken.
    result = site.manage("dbrestore", "--noinput")

    assert f"from {renamed}" in result.stdout
    assert site.snapshot() == mutated


def backup_file(folder, name, *, age_seconds, content=b"backup"):
    path = folder / name
    path.write_bytes(content)
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))
    return path


# transaction=True: SQLite's backup API cannot read a connection in an open transaction.
@pytest.mark.django_db(transaction=True)
def test_trap4_clean_keeps_the_newest_backups_renamed_ones_included(backup_storage_dir, settings):
    settings.DBBACKUP_CLEANUP_KEEP = 3
    folder = backup_storage_dir
    folder.mkdir()
    backup_file(folder, "before-upgrade.sqlite3", age_seconds=100)
    backup_file(folder, "nightly.psql.bin.gz", age_seconds=200)
    backup_file(folder, "my-copy.sqlite3", age_seconds=300)
    backup_file(folder, "marquee-default-host-2020-01-01-000000-000000.sqlite3", age_seconds=400)
    backup_file(folder, "marquee-media-host-2020-01-01-000000-000000.tar", age_seconds=500)
    backup_file(folder, "notes.txt", age_seconds=600)

    out = StringIO()
    call_command("dbbackup", "--clean", stdout=out)

    left = sorted(path.name for path in folder.iterdir() if not path.name.endswith(".metadata"))
    new = written_backup(out.getvalue())
    assert left == sorted(
        [
            new,
            "before-upgrade.sqlite3",
            "nightly.psql.bin.gz",
            "marquee-media-host-2020-01-01-000000-000000.tar",
            "notes.txt",
        ]
    )
    assert "Deleted old backup my-copy.sqlite3" in out.getvalue()


# The test database: a backup checks it is a migrated Marquee database before it is written.
@pytest.mark.django_db(transaction=True)
def test_trap5_failure_mail_goes_to_every_admin_address(settings, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder / "backups")},
        },
    }
    settings.ADMINS = ["ops@example.com", "night-shift@example.com"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    with pytest.raises(CommandError, match="MARQUEE_BACKUP_DIR must name a folder"):
        call_command("dbbackup", "--noinput")

    assert len(mail.outbox) == 1  # ours only: dbbackup's own (to "p" and "i") is off
    message = mail.outbox[0]
    assert message.to == ["ops@example.com", "night-shift@example.com"]
    assert "dbbackup failed" in message.subject
    assert "MARQUEE_BACKUP_DIR must name a folder" in message.body


def test_trap6_an_in_memory_database_is_refused_not_restored_into(
    sqlite_site, tmp_path, monkeypatch
):
    backup = sqlite_site.backups / written_backup(sqlite_site.manage("dbbackup").stdout)
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    in_memory = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "file:memorydb_default?mode=memory&cache=shared",
    }

    with temporary_alias(in_memory) as alias, pytest.raises(BackupError, match="in-memory"):
        database_restore(alias=alias, path=str(backup))

    assert sorted(tmp_path.iterdir()) == before  # no stray file named after the URI


def test_trap1_gzip_is_never_written_over_the_database(sqlite_site, tmp_path):
    original = sqlite_site.snapshot()
    plain = sqlite_site.backups / written_backup(sqlite_site.manage("dbbackup").stdout)
    packed = tmp_path / "packed.sqlite3"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    sqlite_site.world("mutate")

    sqlite_site.manage("dbrestore", "--noinput", "-I", str(packed))

    assert sqlite_site.sqlite_path.read_bytes()[:16] == SQLITE_HEADER
    assert sqlite_site.snapshot() == original
