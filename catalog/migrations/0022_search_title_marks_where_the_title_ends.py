"""Films' folded titles stored again, with " | " between the title's words and the
original title's (catalog/folding.py): search ranks first the film whose title is the
query, and must tell "blade runner" from a title that merely starts with it.

The search index (catalog 0008) reads the same text: "|" is no word to full text.
"""

from importlib import import_module

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

from catalog.folding import TITLES_APART

# 0008's, which folds with catalog/folding.py as it is now: with the mark.
fold_titles = import_module("catalog.migrations.0008_movie_search_title").fold_titles


def join_titles(apps, schema_editor):
    """Back to one space between the two: the words as 0008 stored them."""
    Movie = apps.get_model("catalog", "Movie")
    Movie.objects.using(schema_editor.connection.alias).update(
        search_title=Replace("search_title", Value(TITLES_APART), Value(" "))
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0021_genre_slugs_fit_their_address")]

    operations = [migrations.RunPython(fold_titles, join_titles, elidable=False)]
