"""A SQLite file copied with its `-wal` beside it: the committed changes in the WAL are part
of that database, and a backup file is read as immutable, WAL ignored. Restoring or
verifying the main file alone would quietly drop them, so the file is refused."""

import shutil
import sqlite3
from pathlib import Path

from tests.backups.test_safety import command_error
from tests.backups.test_sqlite_copies import commit_in_wal, ratings_in


def copied_with_its_wal(live: Path, copy: Path) -> None:
    """Copy a database whose last commit is still in the WAL, as `cp live* folder/` would."""
    writer = sqlite3.connect(live)
    try:
        commit_in_wal(writer)
        shutil.copyfile(live, copy)
        shutil.copyfile(f"{live}-wal", f"{copy}-wal")
    finally:
        writer.close()


def test_a_file_with_a_wal_beside_it_is_neither_restored_nor_verified(sqlite_site, tmp_path):
    site = sqlite_site
    copy = tmp_path / "copy.sqlite3"
    copied_with_its_wal(site.sqlite_path, copy)
    wal = Path(f"{copy}-wal").read_bytes()
    before = site.mutate()

    restored = site.manage("dbrestore", "--noinput", "-I", str(copy), fails=True)
    verified = site.manage("verify_backup", str(copy), fails=True)

    for result in (restored, verified):
        assert "(copy.sqlite3-wal) holds changes" in command_error(result)
        assert "dbbackup" in command_error(result)
    assert site.snapshot() == before
    assert not site.backups.exists(), "refused before the safety backup"
    assert Path(f"{copy}-wal").read_bytes() == wal, "the copy is left as it was"


def test_the_advice_folds_the_wal_in_and_the_file_then_restores(sqlite_site, tmp_path):
    site = sqlite_site
    copy = tmp_path / "copy.sqlite3"
    copied_with_its_wal(site.sqlite_path, copy)
    # What the message advises: sqlite3 COPY 'PRAGMA wal_checkpoint(TRUNCATE)'.
    with sqlite3.connect(copy) as database:
        committed = database.execute("SELECT count(*) FROM catalog_rating").fetchone()[0]
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    site.mutate()

    site.manage("dbrestore", "--noinput", "-I", str(copy))

    assert ratings_in(site.sqlite_path) == committed


def test_an_empty_wal_beside_the_file_is_ignored(sqlite_site, tmp_path):
    site = sqlite_site
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(site.sqlite_path, copy)
    Path(f"{copy}-wal").write_bytes(b"")

    site.manage("verify_backup", str(copy))
