"""`manage.py import_imdb --ratings FILE --watchlist FILE --user NAME`: IMDb's exports,
as NAME's ratings and watchlist.

The files are what IMDb's Your Ratings → Export and Watchlist → Export give; either may
be left out, and they are told apart by their first lines, not by the option. The counts
go to standard output, then the films not found and the lines rejected to standard
error, one a line, as import_letterboxd does. All or nothing; importing the same files
again changes nothing.
"""

from pathlib import Path

from django.core.management.base import CommandError

from config.data_commands import DataCommand
from feedback.imdb import ImdbFormatError
from feedback.imdb_import import imdb_import
from feedback.management.history_imports import (
    account_to_import_into,
    file_bytes,
    summary_written,
)


class Command(DataCommand):
    help = "Import IMDb's ratings and watchlist exports (CSV) as one person's."

    def add_arguments(self, parser):
        parser.add_argument("--ratings", type=Path, help="IMDb's ratings export.")
        parser.add_argument("--watchlist", type=Path, help="IMDb's watchlist export.")
        parser.add_argument("--user", required=True, help="Whose ratings they become.")

    def handle(self, *args, ratings, watchlist, user, **options):
        paths = [path for path in (ratings, watchlist) if path is not None]
        if not paths:
            raise CommandError("Give --ratings FILE, --watchlist FILE or both.")
        # Read before the account is looked up: a mistyped path needs no database.
        files = [(path.name, file_bytes(path)) for path in paths]
        account = account_to_import_into(user)
        try:
            summary = imdb_import(user=account, files=files)
        except ImdbFormatError as exc:
            raise CommandError(str(exc)) from None
        summary_written(self, summary, given="files")
