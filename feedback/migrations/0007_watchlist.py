"""The watchlist: the films a person means to watch, one entry per person and film.

A new table, so no row is there to break its rules. Its dates have the bounds of the
other dates people give (1888 to 2200 in the database, not in the future in
validation), and its index serves the watchlist page: one person's entries, newest first.
"""

import catalog.bounds
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0016_movie_popularity_finite'),
        ('feedback', '0006_rating_one_message'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WatchlistEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('added_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future])),
                ('movie', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='watchlist_entries', to='catalog.movie')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='watchlist_entries', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'watchlist entry',
                'verbose_name_plural': 'watchlist entries',
                'indexes': [models.Index(models.F('user'), models.OrderBy(models.F('added_at'), descending=True), name='feedback_watchlist_user_newest')],
                'constraints': [models.UniqueConstraint(fields=('user', 'movie'), name='feedback_watchlist_one_per_user_and_movie', violation_error_message='This film is already on your watchlist.'), models.CheckConstraint(condition=models.Q(('added_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_watchlist_added_from_1888', violation_error_message='This date is before 1888, the year of the first film.'), models.CheckConstraint(condition=models.Q(('added_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_watchlist_added_before_2200', violation_error_message='This date is in the future.')],
            },
        ),
    ]
