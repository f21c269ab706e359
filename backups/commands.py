"""What the backup commands share: one-line errors, and failure mail for the unattended ones."""

import os
import sqlite3
import tarfile
from contextlib import contextmanager

import psycopg
from dbbackup.storage import StorageError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backups.catalogue import backups_clean
from backups.errors import BackupError, reason
from backups.mail import backup_failure_mail
from backups.stopping import stopped_by, stopping_on_signals
from backups.storage import backup_storage

# Failures with a reason an operator can act on: shown as one `CommandError:` line.
EXPECTED_FAILURES = (
    BackupError,
    StorageError,
    OSError,
    DatabaseError,
    sqlite3.Error,
    psycopg.Error,
    tarfile.TarError,
)
DATABASE_ERRORS = (DatabaseError, sqlite3.Error, psycopg.Error)


class BackupCommand(BaseCommand):
    # True for the commands a cron job runs, whose failures nobody would otherwise see.
    mail_on_failure = False
    # What --quiet leaves out: for a command that does something, all but errors; a
    # listing, whose rows are what it is run for, says its own.
    quiet_help = "Print nothing but errors."

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("-q", "--quiet", action="store_true", help=self.quiet_help)

    def add_backup_target_arguments(self, parser, *, kind: str) -> None:
        """Where a backup goes and how: dbbackup's and mediabackup's shared options."""
        parser.add_argument(
            "-c",
            "--clean",
            action="store_true",
            help=f"Then delete all but the newest MARQUEE_BACKUP_KEEP {kind} backups.",
        )
        parser.add_argument("-s", "--servername", help="Server name to put in the file name.")
        parser.add_argument("-z", "--compress", action="store_true", help="Compress with gzip.")
        parser.add_argument("-o", "--output-filename", help="File name in the storage.")

    def add_restore_source_arguments(self, parser) -> None:
        """Which backup a restore reads: dbrestore's and mediarestore's shared options."""
        parser.add_argument("-i", "--input-filename", help="Backup name in the storage.")
        parser.add_argument("-I", "--input-path", help="Backup file on the local file system.")
        parser.add_argument(
            "-s", "--servername", help="Without -i/-I: the latest backup of this server."
        )
        parser.add_argument(
            "-z",
            "--uncompress",
            action="store_true",
            help="Accepted for compatibility: compressed backups are always detected.",
        )

    @staticmethod
    def checked_output_filename(name: str | None) -> str | None:
        """-o NAME as the storage can keep it, where listing and cleaning will see it."""
        if name is None:
            return None
        if not name.strip() or "/" in name or "\\" in name:
            raise BackupError(f"-o takes a file name, not {name!r} (-O writes to a path).")
        if name.startswith("."):
            raise BackupError(
                f"{name!r} starts with a dot: listbackups, --clean and restoring the latest "
                "backup would never see it."
            )
        return name

    def get_check_kwargs(self, options):
        # Django's system checks open every database (a JSONField asks SQLite what it
        # supports), and opening a SQLite path where no file is creates an empty database:
        # a mistyped MARQUEE_DATA_DIR would gain one, which the next backup would take for
        # the database. The backup commands open the database themselves, once checked.
        return {**super().get_check_kwargs(options), "databases": []}

    @property
    def command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def execute(self, *args, **options):
        self.quiet = options.get("quiet", False)
        self.written: list[str] = []  # the backups this run wrote, for the failure mail
        try:
            with stopping_on_signals() as signals:
                return super().execute(*args, **options)
        except Exception as error:
            stopped = stopped_by(error)
            if stopped is None and signals.stopped() and raised_by_a_database(error):
                # Told to stop, the command fails because it was: the database error the
                # signal surfaced as (SQLite's, for one raised in a function SQLite calls
                # back) is not the file's. Any other error stands as it is.
                stopped = error = signals.stopped()
            if self.mail_on_failure:
                backup_failure_mail(command=self.command_name, error=error, written=self.written)
            if isinstance(error, EXPECTED_FAILURES):
                status = stopped.exit_status if stopped else 1
                raise CommandError(reason(error), returncode=status) from error
            raise

    def clean(self, *, content_type: str, keep: int) -> None:
        """--clean, once the backups are written: a failure here says they were."""
        try:
            deleted = backups_clean(backup_storage(), content_type=content_type, keep=keep)
        except EXPECTED_FAILURES as error:
            raise BackupError(
                f"{', '.join(self.written)} written, but deleting old backups failed: "
                f"{reason(error)}"
            ) from error
        for name in deleted:
            self.say(f"Deleted old backup {name}")

    def say(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message)

    @contextmanager
    def until_the_reader_leaves(self):
        """Write a listing that may be piped into `head`: once the reader has closed the
        pipe, the listing ends quietly, as `ls | head -1` does, not as a broken-pipe
        CommandError. Only writes to stdout belong inside: a broken pipe elsewhere (to
        pg_dump, say) is still a failure."""
        try:
            yield
            self.stdout.flush()  # a buffered listing meets the closed pipe here, not at exit
        except BrokenPipeError:
            # Python flushes stdout again as it exits, into the same pipe: point it at
            # /dev/null first (the standard library's "Note on SIGPIPE").
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stdout.fileno())
            os.close(devnull)


def answered_yes(question: str) -> bool:
    """Ask on the terminal; no terminal (cron, a pipe) is a no, never a crash."""
    try:
        return input(question).strip().lower().startswith("y")
    except EOFError:
        return False


def raised_by_a_database(error: BaseException | None) -> bool:
    """Whether a database's error is in `error`'s chain (its cause, or what it handled)."""
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False
