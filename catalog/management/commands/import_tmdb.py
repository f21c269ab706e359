"""`manage.py import_tmdb FILE`: TMDB movie details, one JSON object or JSON lines.

See docs/imports.md. Run it again as often as you like: what is already there is skipped.
"""

from catalog.importers.command import ImportCommand
from catalog.importers.tmdb import DEFAULT_BATCH_SIZE, import_tmdb


class Command(ImportCommand):
    help = (
        "Import TMDB movie details (as TMDB's API returns them): fields, genres, the vote "
        "average as an aggregate rating, and collections as franchise, sequel and prequel "
        "relationships."
    )
    path_help = "A JSON file of one movie, or a JSON-lines file of one movie a line."
    default_batch_size = DEFAULT_BATCH_SIZE

    def run_import(self, path, **options):
        return import_tmdb(path, **options)
