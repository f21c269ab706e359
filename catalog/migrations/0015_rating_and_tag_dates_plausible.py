"""A rating's and a tag's date make sense: not before 1888 (the first film), nor later
than tomorrow, as for reviews (migration 0012) and feedback.

The admin took a rating dated 9999-12-31 (or 0001-01-01), and from then on the ratings'
date hierarchy failed, on every visit in a time zone other than UTC. The database holds
the far bounds (1888, 2200) and validation the future. Rows already out of bounds would
stop the constraints from being added; they are kept, their date made unknown (NULL,
which both columns allow): the rating or tag itself is real, and counts in the film's
stats and the recommendations whatever its date, but a date known to be wrong says
nothing of when it was given, and a made-up one would misplace it among the others
(the recommendations read a rater's ratings in their order). Such rows came from the
admin, and from MovieLens files, whose Unix times of up to ten digits reach 2286: the
import now refuses a time later than tomorrow, as it is validated here.
"""

import catalog.bounds
import datetime
import django.core.validators
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

FIRST_FILM = datetime.datetime(1888, 1, 1, tzinfo=datetime.UTC)
CLOCK_SKEW = datetime.timedelta(days=1)


def forget_impossible_dates(apps, schema_editor):
    latest = timezone.now() + CLOCK_SKEW
    for model, field in (("Rating", "rated_at"), ("MovieTag", "tagged_at")):
        impossible = Q(**{f"{field}__lt": FIRST_FILM}) | Q(**{f"{field}__gt": latest})
        rows = apps.get_model("catalog", model).objects.using(schema_editor.connection.alias)
        rows.filter(impossible).update(**{field: None})


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0014_searches_that_name_a_film'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forget_impossible_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='movietag',
            name='tagged_at',
            field=models.DateTimeField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future]),
        ),
        migrations.AlterField(
            model_name='rating',
            name='rated_at',
            field=models.DateTimeField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future]),
        ),
        migrations.AddConstraint(
            model_name='movietag',
            constraint=models.CheckConstraint(condition=models.Q(('tagged_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_movietag_tagged_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='movietag',
            constraint=models.CheckConstraint(condition=models.Q(('tagged_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_movietag_tagged_before_2200', violation_error_message='This date is in the future.'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('rated_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_rating_rated_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('rated_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_rating_rated_before_2200', violation_error_message='This date is in the future.'),
        ),
    ]
