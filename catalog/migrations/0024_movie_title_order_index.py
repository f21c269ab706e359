"""Films in the order "Title, A to Z" as an index reads it (catalog.querysets.by_title):
by the folded words of their own title, accents, case, punctuation and apostrophes aside,
where they went by the titles' own bytes ("Élite Squad" after "Zodiac"). The index holds
the first 64 characters of that, which the order reads first, so that the film list's
first page reads 25 index entries instead of sorting the catalog.

The expression is written out here as catalog.querysets.title_order builds it today, so
that this migration stays what it was if that function changes."""

from django.db import migrations, models
from django.db.models.functions import Left, Replace, StrIndex, Substr
from django.db.models.lookups import GreaterThan


def title_order():
    bare = Replace(models.F("search_title"), models.Value("'"), models.Value(""))
    apart = StrIndex(bare, models.Value(" | "))  # catalog.folding.TITLES_APART
    own = models.Case(
        models.When(GreaterThan(apart, 0), then=Substr(bare, 1, apart - 1)),
        default=bare,
        output_field=models.TextField(),
    )
    return Left(own, 64)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0023_usersearch_query_key"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="movie",
            options={
                "ordering": [
                    models.OrderBy(title_order()),
                    models.OrderBy(models.F("search_title")),
                    models.OrderBy(models.F("title")),
                    models.OrderBy(models.F("id")),
                ]
            },
        ),
        migrations.AddIndex(
            model_name="movie",
            index=models.Index(title_order(), name="catalog_movie_title_order_idx"),
        ),
    ]
