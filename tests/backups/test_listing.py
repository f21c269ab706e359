"""listbackups shows every backup of ours, renamed ones included, newest first."""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command

from backups.catalogue import latest_backup
from backups.errors import BackupError
from backups.services import backup_storage


def stored(folder, name, *, age_seconds, size=10):
    path = folder / name
    path.write_bytes(b"x" * size)
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))


def listed(**options) -> list[list[str]]:
    out = StringIO()
    call_command("listbackups", stdout=out, **options)
    return [line.split() for line in out.getvalue().splitlines()[1:]]


def test_every_backup_is_listed_newest_first_with_size_and_engine(backup_storage_dir):
    folder = backup_storage_dir
    folder.mkdir()
    stored(folder, "before-upgrade.sqlite3", age_seconds=10, size=2048)
    stored(folder, "marquee-default-host-2020-01-01-000000-000000.psql.bin.gz", age_seconds=20)
    stored(folder, "marquee-default-host-pre-restore-2021-01-01-000000-1.sqlite3", age_seconds=5)
    stored(folder, "marquee-media-host-2020-01-01-000000-000000.tar.gz", age_seconds=30)
    stored(folder, "before-upgrade.sqlite3.metadata", age_seconds=10)
    stored(folder, "notes.txt", age_seconds=1)

    rows = listed()

    assert [row[0] for row in rows] == [
        "marquee-default-host-pre-restore-2021-01-01-000000-1.sqlite3",
        "before-upgrade.sqlite3",
        "marquee-default-host-2020-01-01-000000-000000.psql.bin.gz",
        "marquee-media-host-2020-01-01-000000-000000.tar.gz",
    ]
    assert rows[0][-3:] == ["SQLite", "(safety", "backup)"]
    assert rows[1][1:3] == ["2.0", "KB"]
    assert rows[2][-1] == "PostgreSQL"
    assert rows[3][-2:] == ["Media", "files"]


def test_listing_filters_by_kind_and_compression(backup_storage_dir):
    folder = backup_storage_dir
    folder.mkdir()
    stored(folder, "a.sqlite3", age_seconds=1)
    stored(folder, "b.sqlite3.gz", age_seconds=2)
    stored(folder, "c.tar", age_seconds=3)

    assert [row[0] for row in listed(content_type="media")] == ["c.tar"]
    assert [row[0] for row in listed(content_type="db", compressed=True)] == ["b.sqlite3.gz"]
    assert [row[0] for row in listed(compressed=False)] == ["a.sqlite3", "c.tar"]


def test_an_empty_or_missing_folder_lists_nothing(backup_storage_dir):
    assert listed() == []


def test_the_latest_backup_is_never_a_safety_backup_and_says_so(backup_storage_dir):
    folder = backup_storage_dir
    folder.mkdir()
    safety = "marquee-default-host-pre-restore-2021-01-01-000000-1.sqlite3"
    stored(folder, safety, age_seconds=5)

    with pytest.raises(BackupError) as refused:
        latest_backup(backup_storage(), content_type="db", vendor="sqlite")

    assert str(refused.value) == (
        f"There is no SQLite database backup in {folder} "
        f"(only safety backups: name one with -i, e.g. -i {safety})."
    )
