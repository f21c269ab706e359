"""A review's date makes sense: not before 1888 (the first film), nor later than
tomorrow, and a tweet's not before Twitter began (21 March 2006).

import_tweets took a tweet dated 2099, and its review showed first on the film's page.
As for feedback (feedback migration 0004), the database holds the far bounds (1888,
2200) and validation the future. Rows already out of bounds would stop the constraints
from being added; they are kept, their date made unknown (NULL, which the column allows
and the page lists last): a date known to be wrong says nothing about when it was
posted, and a made-up one would misplace the review among the others.
"""

import catalog.bounds
import datetime
import django.core.validators
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

FIRST_FILM = datetime.datetime(1888, 1, 1, tzinfo=datetime.UTC)
CLOCK_SKEW = datetime.timedelta(days=1)
TWITTER_BEGAN = datetime.datetime(2006, 3, 21, tzinfo=datetime.UTC)


def forget_impossible_dates(apps, schema_editor):
    impossible = (
        Q(posted_at__lt=FIRST_FILM)
        | Q(posted_at__gt=timezone.now() + CLOCK_SKEW)
        | Q(source="twitter", posted_at__lt=TWITTER_BEGAN)
    )
    reviews = apps.get_model("catalog", "Review").objects.using(schema_editor.connection.alias)
    reviews.filter(impossible).update(posted_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0011_relationship_type_reads_to_of_from'),
    ]

    operations = [
        migrations.RunPython(forget_impossible_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='review',
            name='posted_at',
            field=models.DateTimeField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future]),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(('posted_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_review_posted_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(('posted_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='catalog_review_posted_before_2200', violation_error_message='This date is in the future.'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('source', 'twitter'), _negated=True), ('posted_at__isnull', True), ('posted_at__gte', datetime.datetime(2006, 3, 21, 0, 0, tzinfo=datetime.timezone.utc)), _connector='OR'), name='catalog_review_tweet_after_twitter_began', violation_error_message='This date is before 21 March 2006, when Twitter began.'),
        ),
    ]
