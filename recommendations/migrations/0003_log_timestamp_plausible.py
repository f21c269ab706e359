"""A recommendation log entry's time makes sense: not before 1888, nor later than tomorrow,
as the dates people give (catalog.bounds).

The admin took an entry dated 9999-12-31, and from then on the log's date hierarchy and
the acceptance report failed on every visit in a time zone other than UTC. Entries
already out of bounds would stop the constraints from being added. The column may not be
empty, so, as for feedback (feedback migration 0004), they are kept with their time
moved to the nearest one allowed: before 1888 to the start of 1888, later than tomorrow
to now. The entry is real (it says what a person was shown and whether they chose it,
which the report counts), and the moved time keeps it where it sorted, oldest or newest.
"""

import catalog.bounds
import datetime
import django.core.validators
import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

FIRST_FILM = datetime.datetime(1888, 1, 1, tzinfo=datetime.UTC)
CLOCK_SKEW = datetime.timedelta(days=1)


def move_into_bounds(apps, schema_editor):
    now = timezone.now()
    entries = apps.get_model("recommendations", "RecommendationLog").objects.using(
        schema_editor.connection.alias
    )
    entries.filter(timestamp__lt=FIRST_FILM).update(timestamp=FIRST_FILM)
    entries.filter(timestamp__gt=now + CLOCK_SKEW).update(timestamp=now)


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0006_rating_one_message'),
        ('recommendations', '0002_movie_similarity_and_prior'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_into_bounds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='recommendationlog',
            name='timestamp',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future]),
        ),
        migrations.AddConstraint(
            model_name='recommendationlog',
            constraint=models.CheckConstraint(condition=models.Q(('timestamp__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='recs_log_timestamp_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='recommendationlog',
            constraint=models.CheckConstraint(condition=models.Q(('timestamp__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='recs_log_timestamp_before_2200', violation_error_message='This date is in the future.'),
        ),
    ]
