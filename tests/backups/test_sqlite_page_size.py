"""A SQLite backup whose pages are another size than the live database's: SQLite cannot
change the page size of a database in WAL mode, and its backup API fails late with
"attempt to write a readonly database". The restore refuses it first, and says why."""

import shutil
import sqlite3
from pathlib import Path

from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error


def with_page_size(source: Path, target: Path, page_size: int) -> None:
    """A copy of a database with pages of `page_size` bytes, as the refusal advises."""
    shutil.copyfile(source, target)
    database = sqlite3.connect(target, isolation_level=None)
    try:
        database.execute("PRAGMA journal_mode=DELETE")
        database.execute(f"PRAGMA page_size={page_size}")
        database.execute("VACUUM")
    finally:
        database.close()


def test_a_backup_with_other_pages_is_refused_before_anything_changes(sqlite_site, tmp_path):
    site = sqlite_site
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)
    larger = tmp_path / "larger-pages.sqlite3"
    with_page_size(backup, larger, 8192)
    before = site.mutate()

    result = site.manage("dbrestore", "--noinput", "-I", str(larger), fails=True)

    error = command_error(result)
    assert "8192-byte pages" in error
    assert "4096-byte pages" in error
    assert "cannot change the page size of a database in WAL mode" in error
    assert site.snapshot() == before
    assert not [n for n in site.backup_names() if "-pre-restore-" in n], "refused before"


def test_a_copy_converted_as_advised_restores(sqlite_site, tmp_path):
    site = sqlite_site
    original = site.snapshot()
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)
    larger = tmp_path / "larger-pages.sqlite3"
    with_page_size(backup, larger, 8192)
    converted = tmp_path / "converted.sqlite3"
    with_page_size(larger, converted, 4096)
    site.mutate()

    site.manage("dbrestore", "--noinput", "-I", str(converted))

    assert site.snapshot() == original
