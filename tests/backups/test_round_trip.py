"""Back up, change and delete rows, restore: every row of every table is back, unchanged.

Runs the real commands against a real database (SQLite file, or PostgreSQL in the
PostgreSQL session) filled by tests/backups/world.py, and compares the database row by row
as Django reads it, not only counts.
"""

import os

from tests.backups.world import UNICODE


def test_the_filled_database_has_rows_in_every_table(site):
    picture = site.snapshot()
    assert set(picture["tables"]) == set(picture["rows"]), "a table no model describes"
    empty = sorted(table for table, rows in picture["rows"].items() if not rows)
    assert not empty, f"no rows in {empty}: give their models a factory in tests/factories.py"


def test_every_row_of_every_table_comes_back(site):
    original = site.snapshot()
    cells = [cell for table in original["rows"].values() for row in table for cell in row]
    assert UNICODE in cells
    # Identity, not equality: 1 == True, and ids are everywhere.
    assert any(cell is None for cell in cells)
    assert any(cell is True for cell in cells)
    assert any(cell is False for cell in cells)
    assert original["rows"]["catalog_movie_genres"], "many-to-many rows"
    assert original["rows"]["auth_group_permissions"]

    site.manage("dbbackup", "--compress")
    changed = site.mutate()
    assert changed["rows"]["catalog_rating"] == []
    assert changed != original

    site.manage("dbrestore", "--noinput")

    assert site.snapshot() == original


def test_media_files_come_back_byte_for_byte(site):
    files = {
        "posters/東京物語 ★.jpg": os.urandom(70_000),
        "posters/nested/deeper/empty.txt": b"",
        "exports/zoë.csv": "id,title\n1,Zoë\n".encode(),
    }
    for name, content in files.items():
        path = site.media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    backed_up = site.manage("mediabackup", "--compress")
    assert "Backed up 3 media file(s)" in backed_up.stdout

    (site.media / "posters/東京物語 ★.jpg").write_bytes(b"overwritten")
    (site.media / "exports/zoë.csv").unlink()
    (site.media / "added-later.txt").write_bytes(b"new")
    site.manage("mediarestore", "--noinput", "--replace")

    for name, content in files.items():
        assert (site.media / name).read_bytes() == content, name
    assert (site.media / "added-later.txt").read_bytes() == b"new"


def test_media_restore_keeps_existing_files_unless_told_to_replace(site):
    (site.media).mkdir(parents=True)
    (site.media / "poster.jpg").write_bytes(b"original")
    (site.media / "gone.jpg").write_bytes(b"deleted later")
    site.manage("mediabackup")
    (site.media / "poster.jpg").write_bytes(b"edited since")
    (site.media / "gone.jpg").unlink()

    result = site.manage("mediarestore", "--noinput")

    assert (site.media / "poster.jpg").read_bytes() == b"edited since"
    assert (site.media / "gone.jpg").read_bytes() == b"deleted later"
    assert "kept 1 existing file(s)" in result.stdout
