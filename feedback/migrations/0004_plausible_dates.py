"""The dates people give make sense: not before 1888 (the first film), not in the future.

Rows already out of bounds would stop the constraints from being added. They are kept,
their date moved to the nearest one allowed: before 1888 to the start of 1888, later than
tomorrow to now. Such a date was a slip (0001-01-01 is an empty date picker, 9999 a
typo), but the row is real: deleting it would lose that someone watched or rated
something. The moved date keeps it where it sorted (oldest, or newest), and a viewing's
date can be corrected in the history.
"""

import datetime
import django.core.validators
import django.db.models.functions.datetime
import django.utils.timezone
import feedback.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

FIRST_FILM = datetime.datetime(1888, 1, 1, tzinfo=datetime.UTC)
CLOCK_SKEW = datetime.timedelta(days=1)


def move_into_bounds(apps, schema_editor):
    now = timezone.now()
    for model, field in (("ViewingHistory", "started_at"), ("UserFeedback", "timestamp")):
        rows = apps.get_model("feedback", model).objects.using(schema_editor.connection.alias)
        rows.filter(**{f"{field}__lt": FIRST_FILM}).update(**{field: FIRST_FILM})
        rows.filter(**{f"{field}__gt": now + CLOCK_SKEW}).update(**{field: now})


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0003_media_movie_set_null'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_into_bounds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='userfeedback',
            name='timestamp',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), feedback.models.not_in_the_future]),
        ),
        migrations.AlterField(
            model_name='viewinghistory',
            name='started_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), feedback.models.not_in_the_future]),
        ),
        migrations.AddConstraint(
            model_name='userfeedback',
            constraint=models.CheckConstraint(condition=models.Q(('timestamp__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_timestamp_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='userfeedback',
            constraint=models.CheckConstraint(condition=models.Q(('timestamp__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_timestamp_before_2200', violation_error_message='This date is in the future.'),
        ),
        migrations.AddConstraint(
            model_name='viewinghistory',
            constraint=models.CheckConstraint(condition=models.Q(('started_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_history_started_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='viewinghistory',
            constraint=models.CheckConstraint(condition=models.Q(('started_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_history_started_before_2200', violation_error_message='This date is in the future.'),
        ),
    ]
