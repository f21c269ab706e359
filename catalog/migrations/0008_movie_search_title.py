"""Films' titles folded for search (catalog/folding.py), and the PostgreSQL search index
rebuilt on them: accents and case no longer keep a film from being found, and the
original title is searched by full text too.

The index expression must stay identical to the one catalog/search.py queries with.
"""

from django.db import migrations, models

from catalog.folding import search_title

BATCH = 2000
SEARCH_INDEX_SQL = (
    "CREATE INDEX catalog_movie_search_idx ON catalog_movie USING gin (("
    "setweight(to_tsvector('english'::regconfig, coalesce(search_title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(overview, '')), 'B')))"
)
# Migration 0002's, for going back.
TITLE_INDEX_SQL = (
    "CREATE INDEX catalog_movie_search_idx ON catalog_movie USING gin (("
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(overview, '')), 'B')))"
)


def fold_titles(apps, schema_editor):
    """Every film's folded titles, a batch of films at a time (memory stays flat)."""
    Movie = apps.get_model("catalog", "Movie")
    db = schema_editor.connection.alias  # the database being migrated, not default
    films = Movie.objects.using(db).order_by("pk").only("pk", "title", "original_title")
    last = 0
    while batch := list(films.filter(pk__gt=last)[:BATCH]):
        for movie in batch:
            movie.search_title = search_title(movie.title, movie.original_title)
        Movie.objects.using(db).bulk_update(batch, ["search_title"])
        last = batch[-1].pk


def index_folded_titles(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_movie_search_idx")
        schema_editor.execute(SEARCH_INDEX_SQL)


def index_titles(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_movie_search_idx")
        schema_editor.execute(TITLE_INDEX_SQL)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_tmdb_collections")]

    operations = [
        migrations.AddField(
            model_name="movie",
            name="search_title",
            field=models.TextField(db_default="", default="", editable=False),
        ),
        migrations.RunPython(fold_titles, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index_folded_titles, index_titles, elidable=False),
    ]
