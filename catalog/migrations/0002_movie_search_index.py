"""Full-text search index on PostgreSQL; nothing on SQLite, which searches without one.

The indexed expression must stay identical to the one catalog/search.py queries with,
or PostgreSQL will not use the index.
"""

from django.db import migrations

SEARCH_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS catalog_movie_search_idx ON catalog_movie USING gin (("
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(overview, '')), 'B')))"
)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX_SQL)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_movie_search_idx")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_search_index, drop_search_index, elidable=False)]
