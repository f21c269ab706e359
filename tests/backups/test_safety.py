"""The safety promises: a safety backup before every restore, and a restore that fails
changes nothing, exits non-zero and says why in one line."""

import contextlib
import gzip
import os
import re
import sqlite3
import sys

import pytest

from backups.errors import BackupError
from backups.postgres_tools import run_tool
from backups.sqlite_checks import sqlite_file_check
from tests.backups.conftest import written_backup


def command_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: ")
    return lines[0]


def test_a_safety_backup_is_taken_named_and_undoes_the_restore(site):
    original = site.snapshot()
    site.manage("dbbackup")
    mutated = site.mutate()

    result = site.manage("dbrestore", "--noinput")

    safety = re.search(r"Safety backup of the database as it was: (\S+)", result.stdout)[1]
    assert "-pre-restore-" in safety
    assert (site.backups / safety).is_file()
    assert site.snapshot() == original
    site.manage("dbrestore", "--noinput", "-i", safety)
    assert site.snapshot() == mutated


TITLE_IN_A_ROW = "東京物語".encode()
DAMAGE = {
    "cut in half": lambda data: data[: len(data) // 2],
    "cut near the end": lambda data: data[: len(data) * 9 // 10],
    "overwritten in the middle": lambda data: (
        data[: len(data) // 2] + os.urandom(8192) + data[len(data) // 2 + 8192 :]
    ),
    "empty": lambda data: b"",
    "random bytes": lambda data: os.urandom(len(data)),
    "truncated gzip": lambda data: gzip.compress(data)[:-100],
}


def test_damaged_files_fail_one_by_one_and_change_nothing(site, tmp_path):
    backup = site.backups / written_backup(site.manage("dbbackup").stdout)
    before = site.mutate()  # a wrongful restore, even a partial one, would show

    for damage, damaged_bytes in DAMAGE.items():
        damaged = tmp_path / ("damaged" + backup.name[backup.name.index(".") :])
        damaged.write_bytes(damaged_bytes(backup.read_bytes()))
        result = site.manage("dbrestore", "--noinput", "-I", str(damaged), fails=True)
        assert command_error(result), damage

    assert site.snapshot() == before


def test_a_damaged_stored_backup_is_caught_by_its_recorded_checksum(site):
    name = written_backup(site.manage("dbbackup").stdout)
    stored = site.backups / name
    data = bytearray(stored.read_bytes())
    # One byte: only the checksum can tell. In a SQLite file, a byte of a film's title, as
    # no check reads rows before the restore (one of the schema is the next test's); a
    # PostgreSQL dump is compressed, and any byte will do.
    at = data.index(TITLE_IN_A_ROW) + 1 if site.engine == "sqlite" else len(data) // 2
    data[at] ^= 0xFF
    stored.write_bytes(bytes(data))
    before = site.mutate()

    result = site.manage("dbrestore", "--noinput", "-i", name, fails=True)

    assert "does not match the checksum recorded" in command_error(result)
    assert site.snapshot() == before
    assert not [n for n in site.backup_names() if "-pre-restore-" in n], "refused before"


def test_a_sqlite_file_whose_schema_is_not_text_is_refused_not_a_traceback(tmp_path):
    # Damage in the schema that SQLite quotes in its error: Python cannot decode the
    # message itself (a byte of a stored backup did this in a run).
    path = tmp_path / "damaged.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE django_migrations (app text, name text)")
        db.execute("CREATE TABLE film (title text)")
        db.execute("PRAGMA writable_schema = ON")
        damaged = b"CREATE TABLE film (title text) \xdf\xdf"
        db.execute("UPDATE sqlite_master SET sql = CAST(? AS TEXT) WHERE name = 'film'", [damaged])
        db.commit()

    with pytest.raises(BackupError, match="is not a readable SQLite database: its schema is"):
        sqlite_file_check(path, label="damaged.sqlite3", thorough=False)


def test_a_file_for_the_other_engine_is_refused(site, filled_sites, tmp_path):
    if site.engine == "sqlite":
        other = tmp_path / "other.psql.bin"
        other.write_bytes(b"PGDMP\x01\x0e\x00\x04\x08\x01\x01" + os.urandom(2000))
        expected = "is a PostgreSQL custom-format dump, and database 'default' is SQLite"
    else:
        other = filled_sites["sqlite"][0].sqlite_path
        expected = "is a SQLite database, and database 'default' is PostgreSQL"
    before = site.snapshot()

    result = site.manage("dbrestore", "--noinput", "-I", str(other), fails=True)

    assert expected in command_error(result)
    assert site.snapshot() == before


def test_a_sqlite_file_that_is_not_marquees_is_refused(sqlite_site, tmp_path):
    stranger = tmp_path / "stranger.sqlite3"
    with sqlite3.connect(stranger) as database:
        database.execute("CREATE TABLE notes (body TEXT)")
    database.close()
    before = sqlite_site.snapshot()

    result = sqlite_site.manage("dbrestore", "--noinput", "-I", str(stranger), fails=True)

    assert "not Marquee's" in command_error(result)
    assert sqlite_site.snapshot() == before


def test_a_missing_backup_is_a_one_line_error(site):
    result = site.manage("dbrestore", "--noinput", "-i", "no-such-backup.sqlite3", fails=True)
    assert "There is no backup named no-such-backup.sqlite3" in command_error(result)
    result = site.manage("dbrestore", "--noinput", fails=True)
    assert "There is no" in command_error(result)


def test_a_restore_that_cannot_ask_for_confirmation_does_nothing(sqlite_site):
    sqlite_site.manage("dbbackup")
    before = sqlite_site.mutate()

    result = sqlite_site.manage("dbrestore", fails=True)  # no --noinput, no terminal

    assert "Restore cancelled; nothing was changed." in command_error(result)
    assert sqlite_site.snapshot() == before
    assert not [n for n in sqlite_site.backup_names() if "-pre-restore-" in n]


def test_a_tool_writing_bytes_that_are_not_utf8_gives_its_output_not_a_traceback():
    printed = run_tool([sys.executable, "-c", "import sys; sys.stdout.buffer.write(b'a\\x98b')"])

    assert printed == "a\ufffdb"
