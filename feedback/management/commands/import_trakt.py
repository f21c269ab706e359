"""`manage.py import_trakt FILE [FILE ...] --user NAME`: Trakt's history, ratings and
watchlist (JSON, as Trakt's API v2 and its export give them), as NAME's.

The files are told apart by their items, not their names or order; the export's others
are skipped and named, and a ZIP of them is read alone, as the page reads it. The counts
go to standard output, then the films not found and the items rejected to standard
error, one a line, as import_imdb does. All or nothing; importing the same files again
changes nothing.
"""

from pathlib import Path

from django.core.management.base import CommandError

from config.data_commands import DataCommand
from feedback.management.history_imports import (
    account_to_import_into,
    file_bytes,
    summary_written,
)
from feedback.trakt import TraktFormatError
from feedback.trakt_import import trakt_import


class Command(DataCommand):
    help = (
        "Import Trakt's history, ratings and watchlist (JSON files, or their ZIP) as one person's."
    )

    def add_arguments(self, parser):
        # "*", not "+": none given is said on one line, not with argparse's usage.
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            metavar="FILE",
            help="A JSON file, or a ZIP of them alone.",
        )
        parser.add_argument("--user", required=True, help="Whose history they become.")

    def handle(self, *args, files, user, **options):
        if not files:
            raise CommandError("Give one Trakt JSON file or more: history, ratings, watchlist.")
        # Read before the account is looked up: a mistyped path needs no database.
        read = [(path.name, file_bytes(path)) for path in files]
        account = account_to_import_into(user)
        try:
            summary = trakt_import(user=account, files=read)
        except TraktFormatError as exc:
            raise CommandError(str(exc)) from None
        summary_written(self, summary, given="files")
