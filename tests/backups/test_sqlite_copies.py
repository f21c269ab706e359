"""How a SQLite backup is copied and checked, and what a restore trusts of it.

A backup is a byte copy of the database file once the WAL is checkpointed, or SQLite's
page copy when a reader keeps the WAL from being emptied; either must hold every
committed row. It is quick-checked as it is written, and the restore skips the thorough
check only for a file whose recorded checksum vouches that it is that checked file.
"""

import hashlib
import json
import re
import sqlite3
from pathlib import Path

from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error


def metadata(site, name: str) -> dict:
    return json.loads((site.backups / f"{name}.metadata").read_text())


def ratings_in(path: Path) -> int:
    database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return database.execute("SELECT count(*) FROM catalog_rating").fetchone()[0]
    finally:
        database.close()


def commit_in_wal(connection: sqlite3.Connection) -> int:
    """Delete half the ratings in a commit that stays in the WAL; the count left."""
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("DELETE FROM catalog_rating WHERE id % 2 = 0")
    connection.commit()
    return connection.execute("SELECT count(*) FROM catalog_rating").fetchone()[0]


def test_a_backup_holds_commits_still_in_the_wal(sqlite_site):
    site = sqlite_site
    writer = sqlite3.connect(site.sqlite_path)
    try:
        left = commit_in_wal(writer)
        assert Path(f"{site.sqlite_path}-wal").stat().st_size > 0

        name = written_backup(site.manage("dbbackup").stdout)
    finally:
        writer.close()

    assert ratings_in(site.backups / name) == left
    assert metadata(site, name)["checked_when_written"] == "quick_check"


def test_a_reader_holding_an_old_snapshot_gets_the_page_copy_and_loses_nothing(sqlite_site):
    site = sqlite_site
    writer = sqlite3.connect(site.sqlite_path)
    reader = sqlite3.connect(site.sqlite_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        before = reader.execute("SELECT count(*) FROM catalog_rating").fetchone()[0]
        left = commit_in_wal(writer)  # the reader's snapshot keeps the WAL from emptying
        assert left < before

        name = written_backup(site.manage("dbbackup").stdout)

        # The reader was not disturbed, and the backup has the committed state.
        assert reader.execute("SELECT count(*) FROM catalog_rating").fetchone()[0] == before
        reader.execute("COMMIT")
    finally:
        reader.close()
        writer.close()
    assert ratings_in(site.backups / name) == left
    assert metadata(site, name)["checked_when_written"] == "quick_check"


def test_a_restore_behind_a_reader_holding_an_old_snapshot_keeps_the_last_commit(sqlite_site):
    # The file alone is not the database then (the WAL holds a commit), so the safety
    # backup cannot be copied while the restore writes: it is taken first, by page copy.
    site = sqlite_site
    name = written_backup(site.manage("dbbackup").stdout)
    backed_up = ratings_in(site.backups / name)
    writer = sqlite3.connect(site.sqlite_path)
    reader = sqlite3.connect(site.sqlite_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM catalog_rating").fetchone()
        left = commit_in_wal(writer)

        result = site.manage("dbrestore", "--noinput", "-i", name)

        reader.execute("COMMIT")
    finally:
        reader.close()
        writer.close()
    safety = result.stdout.split("as it was: ")[1].split()[0]
    assert ratings_in(site.backups / safety) == left
    assert ratings_in(site.sqlite_path) == backed_up != left


def destroy_the_ratings_root_page(source: Path, target: Path) -> None:
    """Damage a table's b-tree, and leave the schema readable so the site still starts."""
    database = sqlite3.connect(source)
    try:
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = database.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'catalog_rating'"
        ).fetchone()
        (size,) = database.execute("PRAGMA page_size").fetchone()
    finally:
        database.close()
    data = bytearray(source.read_bytes())
    data[(root - 1) * size : root * size] = b"\xff" * size
    target.write_bytes(bytes(data))


def test_a_damaged_database_is_not_backed_up(sqlite_site):
    site = sqlite_site
    destroy_the_ratings_root_page(site.sqlite_path, site.sqlite_path)

    result = site.manage("dbbackup", fails=True)

    assert "failed SQLite's quick check, so no backup was written" in command_error(result)
    assert site.backup_names() == []


def test_a_safety_backup_is_not_checked_but_records_its_checksum(sqlite_site):
    site = sqlite_site
    site.manage("dbbackup")
    site.world("mutate")

    safety = site.manage("dbrestore", "--noinput").stdout.split("as it was: ")[1].split()[0]

    recorded = metadata(site, safety)
    assert "checked_when_written" not in recorded
    # Computed while the restore copied pages, and it is the file's.
    assert recorded["sha256"] == hashlib.sha256((site.backups / safety).read_bytes()).hexdigest()


def flip_inside_a_text_value(path: Path, text: bytes) -> None:
    """Change one letter of a stored value: SQLite's own checks cannot see it."""
    data = bytearray(path.read_bytes())
    at = data.index(text)
    data[at] = ord("X")
    path.write_bytes(bytes(data))


def test_a_change_no_sqlite_check_sees_is_refused_at_the_commit(sqlite_site):
    site = sqlite_site
    name = written_backup(site.manage("dbbackup").stdout)
    flip_inside_a_text_value(site.backups / name, b"Curators")  # a group of world.fill
    before = site.mutate()

    result = site.manage("dbrestore", "--noinput", "-i", name, fails=True)

    assert "does not match the checksum recorded" in command_error(result)
    assert site.snapshot() == before
    assert not [n for n in site.backup_names() if "-pre-restore-" in n], "nothing new to keep"


def test_a_record_without_a_checksum_vouches_for_nothing(sqlite_site, tmp_path):
    site = sqlite_site
    name = written_backup(site.manage("dbbackup").stdout)
    copy = tmp_path / "elsewhere.sqlite3"
    destroy_the_ratings_root_page(site.backups / name, copy)
    # A record that claims the check, without the checksum that would prove it.
    claims = {k: v for k, v in metadata(site, name).items() if k != "sha256"}
    Path(f"{copy}.metadata").write_text(json.dumps(claims))
    before = site.snapshot()

    result = site.manage("dbrestore", "--noinput", "-I", str(copy), fails=True)

    assert re.search(r"integrity check|not a readable", command_error(result))
    assert site.snapshot() == before
