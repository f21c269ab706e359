"""`manage.py import_tweets FILE`: tweets about films as reviews, with their sentiment.

See docs/imports.md. Run it again as often as you like: what is already there is skipped.
"""

from catalog.importers.command import ImportCommand
from catalog.importers.tweets import DEFAULT_BATCH_SIZE, import_tweets


class Command(ImportCommand):
    help = (
        "Import tweets (JSON lines) as Twitter reviews of the films they name, scored for "
        "sentiment offline by VADER."
    )
    path_help = "A JSON-lines file of tweets, one a line."
    default_batch_size = DEFAULT_BATCH_SIZE

    def run_import(self, path, **options):
        return import_tweets(path, **options)
