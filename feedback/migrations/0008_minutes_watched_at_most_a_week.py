"""A viewing lasts a week of watching at most (10,080 minutes), in the database too.

The site's forms held minutes watched to a week, but the model did not: the admin and
`import_user_export` took 2,000,000 without a word, and the viewing showed it. The rule
is now the model's (a validator and a CHECK with one message), so that every way in
refuses it alike.

Rows already past it would stop the constraint from being added. They are kept, their
minutes made unknown (NULL, which the column allows, as migration 0005 did with values
past PostgreSQL's integer): such a figure was a slip (9000000 for 90), nothing of it
says what was meant, and a made-up one (a week, the film's length) would pass for a
real one. The viewing itself, its start and whether it was finished stay as they are,
and the minutes can be given again in the history.

The CHECK also covers what feedback_history_minutes_fits_integer held (PostgreSQL's
integer bound, far above a week), so that one goes.
"""

import catalog.bounds
import django.core.validators
from django.conf import settings
from django.db import migrations, models

MINUTES_WATCHED_MAX = 7 * 24 * 60


def forget_minutes_past_a_week(apps, schema_editor):
    ViewingHistory = apps.get_model("feedback", "ViewingHistory")
    viewings = ViewingHistory.objects.using(schema_editor.connection.alias)
    viewings.filter(minutes_watched__gt=MINUTES_WATCHED_MAX).update(minutes_watched=None)


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0007_watchlist'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forget_minutes_past_a_week, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='viewinghistory',
            name='feedback_history_minutes_fits_integer',
        ),
        migrations.AlterField(
            model_name='viewinghistory',
            name='minutes_watched',
            field=catalog.bounds.BoundedIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0, message='Minutes watched cannot be negative.'), django.core.validators.MaxValueValidator(10080, message='Minutes watched cannot be more than 10,080, a week of watching.')]),
        ),
        migrations.AddConstraint(
            model_name='viewinghistory',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('minutes_watched__isnull', True), ('minutes_watched__lte', 10080), _connector='OR'), name='feedback_history_minutes_at_most_a_week', violation_error_message='Minutes watched cannot be more than 10,080, a week of watching.'),
        ),
    ]
