"""A film's popularity is a finite number: not infinity, nor NaN.

import_tmdb took `"popularity": 1e400` (and the JSON tokens Infinity and NaN, which
Python reads) as infinity: build_similarities then failed on every run, the recommendations
stopped learning, and the film could not be saved in the admin. The import now rejects
such a line, and the database refuses the value.

Films that hold one already would stop the constraint from being added; their popularity
becomes 0, the column's default and what a film without a figure (one from MovieLens)
has. That keeps the data honest, where a guard in the engine would not: infinity is no
measure of how popular a film is, so the film is left with none, which its next TMDB
import gives it again; a guard would leave the value to break the next reader (the admin
form, the slate's popularity), and learn from a figure that means nothing. Only infinity
(either database) and NaN (PostgreSQL; SQLite stores it as NULL, which the column
refuses) can be there: both are past the largest finite double, on PostgreSQL where NaN
sorts above every number, and a negative one was refused already.
"""

import sys

import catalog.bounds
import django.core.validators
from django.db import migrations, models

FLOAT_MAX = sys.float_info.max


def forget_popularity_that_is_no_number(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    films = Movie.objects.using(schema_editor.connection.alias)
    films.filter(popularity__gt=FLOAT_MAX).update(popularity=0)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0015_rating_and_tag_dates_plausible'),
    ]

    operations = [
        migrations.RunPython(forget_popularity_that_is_no_number, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='movie',
            name='popularity',
            field=models.FloatField(default=0, validators=[django.core.validators.MinValueValidator(0), catalog.bounds.finite]),
        ),
        migrations.AddConstraint(
            model_name='movie',
            constraint=catalog.bounds.FiniteCheck(condition=models.Q(('popularity__gte', -1.7976931348623157e+308), ('popularity__lte', 1.7976931348623157e+308)), name='catalog_movie_popularity_finite', violation_error_message='This number must be finite, not infinity or NaN.'),
        ),
    ]
