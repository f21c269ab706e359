"""A film's year is the year of its release date, in the database too.

Movie.clean() has always required it (filling an empty year in from the date), and the
imports and the demo write the two together, but nothing held a row written around them:
`UPDATE catalog_movie SET year = 1950` on a film released in 1992 went through, and the
film was then listed, filtered and matched by a year the page's own date contradicted.
A CHECK now refuses it, and a release date without a year.

Films that break it already would stop the constraint from being added. The year follows
the release date, as it does in clean() and in the imports: the date is the more precise
of the two and what TMDB gives, where a year is what a MovieLens title ("Heat (1995)") or
a slip of the keyboard gave, and it is kept, rather than both made unknown, because the
film's page and franchise order read it. A date whose year no film can have (before 1870
or after 2100, the bounds the year's own CHECK holds) is the mistake instead: it is
forgotten (NULL) and the film keeps its year. No row is deleted.

The year is read with YearOf (catalog/models/movies.py), not ExtractYear, whose SQLite
SQL calls a function only Django's connections know.
"""

import datetime

import catalog.bounds
import catalog.models.movies
from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import ExtractYear

FIRST_FILM_YEAR, LAST_PLAUSIBLE_YEAR = 1870, 2100


def year_follows_release_date(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    dated = Movie.objects.using(schema_editor.connection.alias).filter(release_date__isnull=False)
    dated.filter(
        Q(release_date__lt=datetime.date(FIRST_FILM_YEAR, 1, 1))
        | Q(release_date__gt=datetime.date(LAST_PLAUSIBLE_YEAR, 12, 31))
    ).update(release_date=None)
    # Through Django's connection, where ExtractYear works on SQLite too; exclude() also
    # takes the films whose year is NULL.
    dated.exclude(year=ExtractYear("release_date")).update(year=ExtractYear("release_date"))


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0016_movie_popularity_finite'),
    ]

    operations = [
        migrations.RunPython(year_follows_release_date, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='movie',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('release_date__isnull', True), models.Q(('year', catalog.models.movies.YearOf('release_date')), ('year__isnull', False)), _connector='OR'), name='catalog_movie_year_of_release_date', violation_error_message='The year must be the year of the release date.'),
        ),
    ]
