"""Backup options that would lose backups, or hide them, are refused in one line.

Each was found by a review: `MARQUEE_BACKUP_KEEP=0` deleted every backup, the new one
included, and exited 0; `-O` wrote over any file; `-o .name` made a backup that no
listing, cleaning or "latest" sees; an unknown `-d` alias and a URL without a database
ended in tracebacks.
"""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command

from backups.catalogue import SAFETY_MARK
from tests.backups.conftest import written_backup
from tests.backups.test_safety import command_error


def test_keeping_fewer_than_one_backup_is_refused_before_anything_runs(sqlite_site):
    for keep in ("0", "-2"):
        result = sqlite_site.manage(
            "dbbackup", "--clean", fails=True, env={"MARQUEE_BACKUP_KEEP": keep}
        )
        assert result.stderr.strip() == (
            f"Marquee cannot start: MARQUEE_BACKUP_KEEP must be at least 1, not {int(keep)}."
        )
    assert not list(sqlite_site.backups.glob("*"))


def test_an_existing_file_is_never_written_over(sqlite_site, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("years of notes")

    result = sqlite_site.manage("dbbackup", "-O", str(precious), fails=True)

    assert "precious.txt exists" in command_error(result)
    assert precious.read_text() == "years of notes"


@pytest.mark.parametrize("name", [".hidden.sqlite3", "sub/dir.sqlite3", " "])
def test_a_backup_name_the_listing_would_not_see_is_refused(sqlite_site, name):
    result = sqlite_site.manage("dbbackup", "-o", name, fails=True)

    assert command_error(result).startswith("CommandError: ")
    assert not any(sqlite_site.backups.rglob("*.sqlite3"))


def test_an_unknown_database_alias_is_a_one_line_error(sqlite_site):
    result = sqlite_site.manage("dbbackup", "-d", "nope", fails=True)

    assert "No database called 'nope' in DATABASES" in command_error(result)


def test_a_postgres_url_without_a_database_is_a_one_line_error(sqlite_site):
    result = sqlite_site.manage(
        "move_to_postgres", "postgres://postgres@127.0.0.1:5432/", fails=True
    )

    assert "The URL names no database" in command_error(result)


@pytest.mark.parametrize("where", ["file", "under a file"])
@pytest.mark.parametrize(
    "command",
    [["dbbackup"], ["dbbackup", "--compress"], ["listbackups"], ["mediabackup"], ["dbrestore"],
     ["mediarestore"], ["verify_backup", "x.sqlite3"]],
    ids=" ".join,
)  # fmt: skip
def test_a_backup_folder_setting_with_a_file_in_the_way_is_named(sqlite_site, command, where):
    # These were "[Errno 20] Not a directory" or "[Errno 17] File exists", naming no setting.
    blocker = sqlite_site.root / "a-file"
    blocker.write_text("notes")
    folder = blocker if where == "file" else blocker / "backups"

    result = sqlite_site.manage(
        *command, "--noinput", env={"MARQUEE_BACKUP_DIR": str(folder)}, fails=True
    )

    reason = "is a file" if where == "file" else f"is under {blocker}, which is a file"
    assert command_error(result) == (
        f"CommandError: MARQUEE_BACKUP_DIR must name a folder Marquee can create: {folder} "
        f"{reason}."
    )
    assert blocker.read_text() == "notes"


@pytest.mark.parametrize("command", ["mediabackup", "mediarestore"])
def test_a_media_folder_setting_with_a_file_in_the_way_is_named(sqlite_site, command):
    blocker = sqlite_site.root / "a-file"
    blocker.write_text("notes")

    result = sqlite_site.manage(
        command, "--noinput", env={"MARQUEE_MEDIA_DIR": str(blocker / "uploads")}, fails=True
    )

    assert command_error(result) == (
        "CommandError: MARQUEE_MEDIA_DIR must name a folder Marquee can create: "
        f"{blocker / 'uploads'} is under {blocker}, which is a file."
    )


@pytest.mark.parametrize("command", ["dbrestore", "mediarestore", "verify_backup"])
def test_a_folder_given_as_the_backup_file_is_said_to_be_one(sqlite_site, command):
    """ "dbrestore -I data/" said "There is no file at data/", which is there."""
    folder = sqlite_site.root / "data"
    folder.mkdir(exist_ok=True)
    arguments = [str(folder)] if command == "verify_backup" else ["--noinput", "-I", str(folder)]

    result = sqlite_site.manage(command, *arguments, fails=True)

    assert command_error(result) == f"CommandError: {folder} is a folder, not a backup file."


def test_a_media_restore_names_the_folder_it_restored_into(sqlite_site):
    """A mistyped MARQUEE_MEDIA_DIR is a new folder the restore fills: the output names it."""
    (sqlite_site.media / "cover.jpg").parent.mkdir(parents=True, exist_ok=True)
    (sqlite_site.media / "cover.jpg").write_bytes(b"cover")
    sqlite_site.manage("mediabackup")
    typo = sqlite_site.root / "medai"

    result = sqlite_site.manage("mediarestore", "--noinput", env={"MARQUEE_MEDIA_DIR": str(typo)})

    assert result.stdout.strip().endswith(
        f"Restored 1 media file(s) from {backup_of(result)} into {typo}"
    )
    assert (typo / "cover.jpg").read_bytes() == b"cover"


def backup_of(result) -> str:
    return result.stdout.split(" from ")[1].split(" into ")[0]


def stored(folder, name: str, age_seconds: int) -> None:
    path = folder / name
    path.write_bytes(b"backup")
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))


# transaction=True: SQLite's backup API cannot read a connection in an open transaction.
@pytest.mark.django_db(transaction=True)
def test_safety_backups_do_not_push_scheduled_ones_out(backup_storage_dir, settings):
    settings.DBBACKUP_CLEANUP_KEEP = 2
    folder = backup_storage_dir
    folder.mkdir()
    for age, name in enumerate(["nightly-3.sqlite3", "nightly-2.sqlite3", "nightly-1.sqlite3"]):
        stored(folder, name, age_seconds=1000 + 100 * age)
    for age in range(3):  # three restores today, newer than every scheduled backup
        stored(folder, f"marquee{SAFETY_MARK}{age}.sqlite3", age_seconds=10 + age)

    out = StringIO()
    call_command("dbbackup", "--clean", stdout=out)

    left = sorted(path.name for path in folder.iterdir() if not path.name.endswith(".metadata"))
    assert left == sorted(
        [
            written_backup(out.getvalue()),
            "nightly-3.sqlite3",
            f"marquee{SAFETY_MARK}0.sqlite3",
            f"marquee{SAFETY_MARK}1.sqlite3",
        ]
    )
