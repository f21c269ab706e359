"""Searches remember whether they named a film they found: only those can reach the public
"most searched" list, so that text around a title ("alien or buy pills at evil.example")
cannot.

Searches already logged that the list could show are marked where their words start a
word of some film's title: the films they found then are not kept, and a title that holds
the words is what the search matched on. Those that do not name one drop off the list.
"""

import datetime as dt

from django.db import migrations, models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from catalog.folding import words

BATCH = 2000
# The public list's rules when this migration was written (catalog.querysets): copied, as
# a migration must not change when they do.
LIST_DAYS = 90
LIST_MIN_PEOPLE = 3


def mark_searches_naming_a_film(apps, schema_editor):
    """Only the queries the public list could show today are looked at: those of the last
    90 days (catalog.querysets.MOST_SEARCHED_DAYS) that at least three signed-in people
    made and found films with. One query each, where every logged query would have taken
    a scan of the films per distinct query on a large site; older searches keep False,
    and new ones record it as they are made."""
    Movie = apps.get_model("catalog", "Movie")
    UserSearch = apps.get_model("catalog", "UserSearch")
    db = schema_editor.connection.alias  # the database being migrated, not default
    recent = UserSearch.objects.using(db).filter(
        user__isnull=False,
        results_count__gt=0,
        created_at__gte=timezone.now() - dt.timedelta(days=LIST_DAYS),
    ).annotate(folded=Lower("query"))
    popular = (
        recent.values("folded")
        .annotate(people=Count("user", distinct=True))
        .filter(people__gte=LIST_MIN_PEOPLE)
        .values_list("folded", flat=True)
    )
    named = []
    for folded in popular:
        wanted = words(folded).split()
        if wanted and Movie.objects.using(db).filter(
            *(Q(search_title__contains=f" {word}") for word in wanted)
        ).exists():
            named.append(folded)
    for start in range(0, len(named), BATCH):
        recent.filter(folded__in=named[start : start + BATCH]).update(names_a_film=True)


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
