"""`manage.py import_letterboxd ZIP --user NAME`: a Letterboxd export, as NAME's history.

ZIP is what Letterboxd's Settings → Data → Export your data gives. The counts go to
standard output, then the films not found or not told apart and the lines rejected go to
standard error, one a line, as the other imports list theirs. All or nothing; importing
the same file again changes nothing.
"""

from pathlib import Path

from django.core.management.base import CommandError

from config.data_commands import DataCommand
from feedback.letterboxd import LetterboxdFormatError
from feedback.letterboxd_import import letterboxd_import
from feedback.management.history_imports import (
    account_to_import_into,
    file_bytes,
    summary_written,
)


class Command(DataCommand):
    help = "Import a Letterboxd export (its .zip) as one person's history."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="Whose history it becomes.")

    def handle(self, *args, path, user, **options):
        account = account_to_import_into(user)
        data = file_bytes(Path(path))
        try:
            summary = letterboxd_import(user=account, data=data)
        except LetterboxdFormatError as exc:
            raise CommandError(f"{Path(path).name}: {exc}") from None
        summary_written(self, summary, given="file")
