"""A media item's duration and a viewing's minutes hold what PostgreSQL's integer holds,
on SQLite too.

SQLite stored larger values (a duration of 99999999999 typed in the admin), and rows
holding them would stop the constraints from being added. Both columns may be empty:
such a value, never true, becomes unknown, and the row stays.
"""

import catalog.bounds
import django.core.validators
from django.conf import settings
from django.db import migrations, models

INTEGER_MAX = 2**31 - 1


def empty_what_no_column_holds(apps, schema_editor):
    for model, field in (("Media", "duration"), ("ViewingHistory", "minutes_watched")):
        rows = apps.get_model("feedback", model).objects.using(schema_editor.connection.alias)
        rows.filter(**{f"{field}__gt": INTEGER_MAX}).update(**{field: None})


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_integers_fit_postgres'),
        ('feedback', '0004_plausible_dates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(empty_what_no_column_holds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='media',
            name='duration',
            field=catalog.bounds.BoundedIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1, message='The duration must be at least one minute.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')], verbose_name='duration (minutes)'),
        ),
        migrations.AlterField(
            model_name='viewinghistory',
            name='minutes_watched',
            field=catalog.bounds.BoundedIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0, message='Minutes watched cannot be negative.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')]),
        ),
        migrations.AddConstraint(
            model_name='media',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('duration__isnull', True), ('duration__lte', 2147483647), _connector='OR'), name='feedback_media_duration_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
        migrations.AddConstraint(
            model_name='viewinghistory',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('minutes_watched__isnull', True), ('minutes_watched__lte', 2147483647), _connector='OR'), name='feedback_history_minutes_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
    ]
