"""A SQLite file copied with a log beside it that the file alone lacks, and a backup file is
read as immutable, logs ignored. Restoring or verifying the file alone would quietly lose
what the log holds, so the file is refused until the log has been dealt with:

- a `-wal` holding commits, which are part of that database;
- a hot `-journal`: the file was copied in the middle of a transaction in rollback-journal
  mode and may hold part of it, which only the journal can undo. A journal left over from
  a finished transaction is no reason.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest

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


def copied_mid_transaction(live: Path, copy: Path) -> int:
    """Copy, as `cp` would, a rollback-journal database whose open transaction deleted every
    rating and already wrote part of that into the file; the ratings before it."""
    source = sqlite3.connect(live)
    source.backup(journalled := sqlite3.connect(copy.with_suffix(".live")))
    source.close()
    journalled.execute("PRAGMA journal_mode = DELETE")
    before = journalled.execute("SELECT count(*) FROM catalog_rating").fetchone()[0]
    journalled.execute("PRAGMA cache_size = 1")  # too small for the change: pages spill
    journalled.execute("BEGIN")
    journalled.execute("DELETE FROM catalog_rating")
    try:
        shutil.copyfile(copy.with_suffix(".live"), copy)
        shutil.copyfile(f"{copy.with_suffix('.live')}-journal", f"{copy}-journal")
    finally:
        journalled.rollback()
        journalled.close()
    return before


@pytest.mark.parametrize(
    ("copied_with_a_log", "log", "refusal", "advice"),
    [
        (copied_with_its_wal, "-wal", "(copy.sqlite3-wal) holds changes", "dbbackup"),
        (
            copied_mid_transaction,
            "-journal",
            "(copy.sqlite3-journal) holds a transaction",
            "PRAGMA quick_check",
        ),
    ],
    ids=["wal", "hot-journal"],
)
def test_a_file_with_a_log_beside_it_is_neither_restored_nor_verified(
    sqlite_site, tmp_path, copied_with_a_log, log, refusal, advice
):
    site = sqlite_site
    copy = tmp_path / "copy.sqlite3"
    copied_with_a_log(site.sqlite_path, copy)
    log_bytes = Path(f"{copy}{log}").read_bytes()
    before = site.mutate()

    restored = site.manage("dbrestore", "--noinput", "-I", str(copy), fails=True)
    verified = site.manage("verify_backup", str(copy), fails=True)

    for result in (restored, verified):
        assert refusal in command_error(result)
        assert advice in command_error(result)
    assert site.snapshot() == before
    assert not site.backups.exists(), "refused before the safety backup"
    assert Path(f"{copy}{log}").read_bytes() == log_bytes, "the copy is left as it was"


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


def test_the_advice_rolls_the_transaction_back_and_the_file_then_restores(sqlite_site, tmp_path):
    site = sqlite_site
    copy = tmp_path / "copy.sqlite3"
    before = copied_mid_transaction(site.sqlite_path, copy)
    assert before > 0
    # What the message advises: sqlite3 COPY 'PRAGMA quick_check'.
    database = sqlite3.connect(copy)
    assert database.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    database.close()
    site.mutate()

    site.manage("dbrestore", "--noinput", "-I", str(copy))

    assert ratings_in(site.sqlite_path) == before


@pytest.mark.parametrize(
    ("log", "leftover"),
    [
        ("-wal", b""),  # emptied by a checkpoint
        ("-journal", bytes(512)),  # journal_mode=PERSIST: its header zeroed once committed
    ],
    ids=["empty-wal", "finished-journal"],
)
def test_a_log_of_nothing_unfinished_beside_the_file_is_ignored(
    sqlite_site, tmp_path, log, leftover
):
    site = sqlite_site
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(site.sqlite_path, copy)
    Path(f"{copy}{log}").write_bytes(leftover)

    site.manage("verify_backup", str(copy))
