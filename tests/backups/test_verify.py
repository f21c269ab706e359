"""verify_backup restores a backup somewhere harmless and reports what it holds."""

import gzip
import os
import sqlite3
import subprocess
import sys

from tests.backups.conftest import ROOT, postgres_databases, written_backup
from tests.backups.test_safety import command_error


def reported_tables(stdout: str) -> dict[str, tuple[int, str]]:
    tables = {}
    for line in stdout.splitlines()[2:-1]:
        table, rows, checksum = line.split()
        tables[table] = (int(rows), checksum)
    return tables


def test_verify_reports_every_table_and_leaves_the_live_database_alone(site):
    original = site.snapshot()
    name = written_backup(site.manage("dbbackup", "--compress").stdout)
    mutated = site.mutate()

    result = site.manage("verify_backup", name)

    assert "restores cleanly" in result.stdout
    tables = reported_tables(result.stdout)
    assert {table: rows for table, (rows, _) in tables.items()} == {
        table: len(rows) for table, rows in original["rows"].items()
    }
    assert all(len(checksum) == 64 for _, checksum in tables.values())
    assert site.snapshot() == mutated
    if site.engine == "postgresql":
        assert not postgres_databases("marquee_backups_%_verify_"), "scratch database left"


def test_the_same_data_gives_the_same_checksums_and_changed_data_does_not(site):
    first = written_backup(site.manage("dbbackup").stdout)
    again = written_backup(site.manage("dbbackup", "--compress").stdout)
    site.world("mutate")
    changed = written_backup(site.manage("dbbackup").stdout)

    checksums = [
        reported_tables(site.manage("verify_backup", n).stdout) for n in (first, again, changed)
    ]

    assert checksums[0] == checksums[1]
    differing = {t for t in checksums[0] if checksums[0][t] != checksums[2][t]}
    assert {"catalog_rating", "catalog_movie", "catalog_genre"} <= differing
    assert "auth_user" not in differing


def test_verify_fails_on_a_damaged_file(site, tmp_path):
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)
    damaged = tmp_path / "damaged.gz"
    damaged.write_bytes(gzip.compress(backup.read_bytes())[:-500])

    result = site.manage("verify_backup", str(damaged), fails=True)

    assert "truncated or damaged" in command_error(result)
    result = site.manage("verify_backup", "nothing-by-this-name", fails=True)
    assert "There is no backup or file named nothing-by-this-name" in command_error(result)


def test_verify_lists_the_files_of_a_media_backup(site):
    site.media.mkdir(parents=True)
    (site.media / "poster.jpg").write_bytes(b"x" * 1234)
    name = site.manage("mediabackup", "-z").stdout.split(" to ")[1].strip()

    result = site.manage("verify_backup", name)

    assert "a tar archive, gzip-compressed, restores cleanly" in result.stdout
    assert reported_tables(result.stdout)["poster.jpg"][0] == 1234


def test_a_name_is_the_stored_backup_before_a_file_of_that_name_here(sqlite_site, tmp_path):
    name = written_backup(sqlite_site.manage("dbbackup").stdout)
    here = tmp_path / "here"
    here.mkdir()
    (here / name).write_bytes((sqlite_site.backups / name).read_bytes()[:300_000])  # damaged

    stored = sqlite_site.manage("verify_backup", name, cwd=here)
    local = sqlite_site.manage("verify_backup", f"./{name}", cwd=here, fails=True)

    assert "restores cleanly" in stored.stdout
    assert f"{name} is not a readable SQLite database" in command_error(local)


def test_rows_whose_foreign_key_points_nowhere_are_told_not_refused(sqlite_site, tmp_path):
    database = sqlite3.connect(sqlite_site.sqlite_path)
    database.execute("PRAGMA foreign_keys = OFF")
    database.execute(
        "UPDATE catalog_review SET movie_id = 999999"
        " WHERE id = (SELECT min(id) FROM catalog_review)"
    )
    database.commit()
    database.close()
    before = sqlite_site.snapshot()
    name = written_backup(sqlite_site.manage("dbbackup").stdout)
    copy = tmp_path / "from-elsewhere.sqlite3"  # no record: the restore checks it through
    copy.write_bytes((sqlite_site.backups / name).read_bytes())
    sqlite_site.mutate()

    verified = sqlite_site.manage("verify_backup", name)
    restored = sqlite_site.manage("dbrestore", "--noinput", "-I", str(copy))

    assert "restores cleanly" in verified.stdout
    for result in (verified, restored):
        assert "1 row(s) whose foreign key points nowhere (first: catalog_review row" in (
            result.stdout
        )
    assert sqlite_site.snapshot() == before


def test_a_reader_that_leaves_early_ends_the_report_quietly(sqlite_site):
    """`verify_backup NAME | head -1` and the like: the reader has gone before the report
    is written (here, before the command starts), and the command still ends as verified,
    with nothing on stderr, as `listbackups | head -1` does."""
    name = written_backup(sqlite_site.manage("dbbackup").stdout)
    reader, writer = os.pipe()
    os.close(reader)

    verifying = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "verify_backup", name],
        cwd=ROOT,
        env=sqlite_site.env(),
        stdin=subprocess.DEVNULL,
        stdout=writer,
        stderr=subprocess.PIPE,
        timeout=300,
    )
    os.close(writer)

    assert (verifying.returncode, verifying.stderr) == (0, b"")
