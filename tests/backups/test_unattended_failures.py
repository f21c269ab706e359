"""What a cron job's backup says when something around it fails: the folder holds a link to
nowhere, cleaning fails after the backup is written, the mail server is down."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from backups import catalogue
from tests.backups.conftest import written_backup
from tests.backups.test_listing import listed, stored

pytestmark = pytest.mark.django_db(transaction=True)  # the backup API reads committed data


@pytest.fixture
def mailed(settings):
    settings.ADMINS = ["ops@example.com"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    return mail.outbox


@pytest.fixture
def folder_cannot_be_made(settings, tmp_path):
    """The backup folder configured under a file, so that no backup can be written."""
    (tmp_path / "a-file").write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "a-file" / "backups")},
        },
    }


def test_a_link_to_nowhere_in_the_folder_hides_no_backup(backup_storage_dir, settings):
    folder = backup_storage_dir
    folder.mkdir()
    stored(folder, "old.sqlite3", age_seconds=100)
    (folder / "offsite.sqlite3").symlink_to("/nonexistent/offsite.sqlite3")  # a NAS not mounted
    settings.DBBACKUP_CLEANUP_KEEP = 1

    out = StringIO()
    call_command("dbbackup", "--clean", stdout=out)

    new = written_backup(out.getvalue())
    assert [row[0] for row in listed()] == [new]
    assert "Deleted old backup old.sqlite3" in out.getvalue()


def test_a_cleanup_that_fails_says_the_backup_was_written(
    backup_storage_dir, settings, monkeypatch, mailed
):
    folder = backup_storage_dir
    folder.mkdir()
    stored(folder, "old.sqlite3", age_seconds=100)
    settings.DBBACKUP_CLEANUP_KEEP = 1

    def refuse(storage, name):
        raise PermissionError(13, "Permission denied", str(folder / name))

    monkeypatch.setattr(catalogue, "delete_backup", refuse)

    with pytest.raises(CommandError) as failure:
        call_command("dbbackup", "--clean", stdout=StringIO())

    new = [row[0] for row in listed() if row[0] != "old.sqlite3"]
    assert len(new) == 1
    assert str(failure.value) == (
        f"{new[0]} written, but deleting old backups failed: "
        f"[Errno 13] Permission denied: '{folder / 'old.sqlite3'}'"
    )
    assert f"Written before the failure: {new[0]}." in mailed[0].body
    assert "No new backup was written" not in mailed[0].body


def test_a_backup_that_writes_nothing_says_so(folder_cannot_be_made, mailed):

    with pytest.raises(CommandError, match="MARQUEE_BACKUP_DIR must name a folder"):
        call_command("dbbackup")

    assert "No new backup was written." in mailed[0].body


def test_a_mail_server_that_is_down_adds_one_line_not_a_traceback(
    folder_cannot_be_made, settings, caplog
):
    settings.ADMINS = ["ops@example.com"]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 5},  # nothing listens
        }
    }

    with (
        caplog.at_level(logging.ERROR),
        pytest.raises(CommandError, match="MARQUEE_BACKUP_DIR must name a folder"),
    ):
        call_command("dbbackup")

    (record,) = caplog.records
    assert record.getMessage().startswith(
        "Could not send the failure mail for manage.py dbbackup: "
    )
    assert "Connection refused" in record.getMessage()
    assert record.exc_info is None, "no traceback in front of the command's own error"
