"""`manage.py import_movielens DIR`: films, ratings and tags from a MovieLens directory.

See docs/imports.md. Run it again as often as you like: what is already there is skipped.
"""

from catalog.importers.command import ImportCommand
from catalog.importers.movielens import DEFAULT_BATCH_SIZE, import_movielens


class Command(ImportCommand):
    help = (
        "Import a MovieLens directory (movies.csv, links.csv, ratings.csv, tags.csv): "
        "films with their genres and ids, ratings on 0.5-5 by MovieLens raters, tags."
    )
    path_help = "The MovieLens directory (for example ml-latest-small/)."
    default_batch_size = DEFAULT_BATCH_SIZE

    def run_import(self, path, **options):
        return import_movielens(path, **options)
