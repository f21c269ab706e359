"""A review's edit date makes sense, as its posting date does (0012): not before 1888,
nor later than tomorrow. The database holds the far bounds (1888, 2200), validation the
future.

edited_at had no such rule: the admin took an edit dated 9999-12-31 23:59:59, and the
review's pages answered 500 for a member east of UTC, where that moment is in the year
10000; one dated 2099 said the review would be edited then.

Rows already out of bounds would stop the constraints from being added, or keep showing
an edit to come. They are kept edited, at the nearest date the rules allow, as 0019 dated
early edits at their posting: the text was edited, and "edited" on the film's page should
still say so, where NULL (never edited) would hide it. An edit dated in the future was
made by now at the latest (the row is here), so it is dated now, unless the review is
posted later than now (the clock's leeway allows a day ahead): then at its posting, as
review_save dates an edit, never before it. An edit dated before 1888 can only be one of
a review without a posting date (0019 holds the others to it), and is dated 1888.
"""

import catalog.bounds
import datetime
import django.core.validators
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q
from django.utils import timezone

# As catalog.bounds has them today: a migration keeps the rule it added.
FIRST_FILM = datetime.datetime(1888, 1, 1, tzinfo=datetime.UTC)
CLOCK_SKEW = datetime.timedelta(days=1)


def date_impossible_edits_at_the_nearest_plausible(apps, schema_editor):
    Review = apps.get_model("catalog", "Review")
    reviews = Review.objects.using(schema_editor.connection.alias)
    now = timezone.now()
    future = reviews.filter(edited_at__gt=now + CLOCK_SKEW)
    future.filter(Q(posted_at__isnull=True) | Q(posted_at__lte=now)).update(edited_at=now)
    future.update(edited_at=F("posted_at"))  # those left are posted after now
    reviews.filter(edited_at__lt=FIRST_FILM).update(edited_at=FIRST_FILM)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0019_member_review_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(date_impossible_edits_at_the_nearest_plausible, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='review',
            name='edited_at',
            field=models.DateTimeField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future]),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('edited_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_review_edited_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('edited_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_review_edited_before_2200', violation_error_message='This date is in the future.'),
        ),
    ]
