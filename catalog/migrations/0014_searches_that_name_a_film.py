"""Searches remember whether they named a film they found: only those can reach the public
"most searched" list, so that text around a title ("alien or buy pills at evil.example")
cannot.

Searches already logged are marked where their words start a word of some film's title:
the films they found then are not kept, and a title that holds the words is what the
search matched on. Those that do not name one drop off the list.
"""

from django.db import migrations, models
from django.db.models import Q

from catalog.folding import words

BATCH = 2000


def mark_searches_naming_a_film(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    UserSearch = apps.get_model("catalog", "UserSearch")
    queries = (
        UserSearch.objects.filter(user__isnull=False, results_count__gt=0)
        .values_list("query", flat=True)
        .distinct()
        .order_by("query")
    )
    named = []
    for query in queries.iterator(chunk_size=BATCH):
        wanted = words(query).split()
        if wanted and Movie.objects.filter(
            *(Q(search_title__contains=f" {word}") for word in wanted)
        ).exists():
            named.append(query)
    for start in range(0, len(named), BATCH):
        UserSearch.objects.filter(query__in=named[start : start + BATCH]).update(
            names_a_film=True
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_year_one_message")]

    operations = [
        migrations.AddField(
            model_name="usersearch",
            name="names_a_film",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Every word of the query starts a word of the title of a film it "
                "found on its first page. Only such queries are shown in the public "
                "most-searched list.",
            ),
        ),
        migrations.RunPython(
            mark_searches_naming_a_film, migrations.RunPython.noop, elidable=False
        ),
    ]
