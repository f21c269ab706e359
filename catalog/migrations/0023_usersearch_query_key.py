"""Each logged search stored with its key, the query as search reads it (folding.query_key):
"What people search for most" counts "Schindler’s List" and "schindler's list", "amelie"
and "amélie" as one query, by that key.

The keys of searches logged before are folded in Python, a batch at a time, with the
function the model's save() uses: neither database folds accents as folding.fold does.
"""

from django.conf import settings
from django.db import migrations, models

from catalog.folding import query_key

BATCH = 2000


def key_searches(apps, schema_editor):
    """Each search's key, a batch of searches at a time (memory stays flat). Not by
    bulk_update, which builds a CASE of the whole batch for each row in Python: 66 s over
    200,000 searches on SQLite."""
    UserSearch = apps.get_model("catalog", "UserSearch")
    connection = schema_editor.connection  # the database being migrated, not default
    table = connection.ops.quote_name(UserSearch._meta.db_table)
    if connection.vendor == "postgresql":
        # One statement a batch: one a row spent 21 of 23 s on the server's round trips.
        update = (
            f"UPDATE {table} SET query_key = keyed.query_key FROM unnest(%s::bigint[], "
            f"%s::text[]) AS keyed (id, query_key) WHERE {table}.id = keyed.id"
        )
    else:
        update = f"UPDATE {table} SET query_key = %s WHERE id = %s"
    searches = UserSearch.objects.using(connection.alias).order_by("pk").values_list("pk", "query")
    last = 0
    while batch := list(searches.filter(pk__gt=last)[:BATCH]):
        keyed = [(query_key(query), pk) for pk, query in batch]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(update, [[pk for _, pk in keyed], [key for key, _ in keyed]])
            else:
                cursor.executemany(update, keyed)
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0022_search_title_marks_where_the_title_ends"),
        # It rebuilds, on SQLite, the index on LOWER(query) that this drops.
        ("feedback", "0015_unicode_case_on_sqlite"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="usersearch",
            name="query_key",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(key_searches, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="usersearch",
            name="query_key",
            field=models.TextField(
                editable=False,
                help_text="The query as search reads it: without accents, case or extra "
                "spaces, with plain quotes. Searches with the same key count as one query "
                "in the public most-searched list.",
            ),
        ),
        # The list counted the database's lower case of the query; the admin's "keep off
        # the list" read it too. Both read the key now.
        migrations.RemoveIndex(model_name="usersearch", name="catalog_usersearch_query_ci"),
        migrations.AddIndex(
            model_name="usersearch",
            index=models.Index(
                fields=["query_key", "user", "created_at", "names_a_film", "results_count"],
                name="catalog_usersearch_listable",
                condition=models.Q(
                    ("names_a_film", True),
                    ("results_count__gt", 0),
                    ("user__isnull", False),
                    models.Q(("query_key", ""), _negated=True),
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="usersearch",
            index=models.Index(fields=["query_key"], name="catalog_usersearch_query_key"),
        ),
    ]
