"""A person's own lists of films, and the films on each in order.

Two new tables, so no row is there to break their rules. The name's CHECKs trim each
character str.strip() does (TrimCharacters, as catalog 0019), so that a name of line
breaks is blank in the database as on the form; the name is unique per person in any
letter case (an index on LOWER(name), which both databases build). Positions are unique
per list: feedback/film_lists.py renumbers in two steps that never collide, since
neither SQLite nor Django's SQLite backend defers a UNIQUE to the commit.
"""

import catalog.bounds
import catalog.models.reviews
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.datetime
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0019_member_review_rules'),
        ('feedback', '0011_usernames_unique_in_any_case'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FilmList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('description', models.TextField(blank=True, max_length=1000)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future])),
                ('updated_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future])),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='film_lists', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'film list',
            },
        ),
        migrations.CreateModel(
            name='FilmListEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', catalog.bounds.BoundedIntegerField(validators=[django.core.validators.MinValueValidator(1, message='A position on a list is 1 or more.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')])),
                ('note', models.TextField(blank=True, max_length=500)),
                ('added_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, validators=[django.core.validators.MinValueValidator(datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), message='This date is before 1888, the year of the first film.'), catalog.bounds.not_in_the_future])),
                ('film_list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='feedback.filmlist', verbose_name='list')),
                ('movie', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='film_list_entries', to='catalog.movie')),
            ],
            options={
                'verbose_name': 'film list entry',
                'verbose_name_plural': 'film list entries',
            },
        ),
        migrations.AddIndex(
            model_name='filmlist',
            index=models.Index(models.F('user'), models.OrderBy(models.F('updated_at'), descending=True), name='feedback_film_list_user_recent'),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.UniqueConstraint(models.F('user'), django.db.models.functions.text.Lower('name'), name='feedback_film_list_name_unique_per_user', violation_error_message='You already have a list of this name.'),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.GreaterThan(django.db.models.functions.text.Length(catalog.models.reviews.TrimCharacters('name', models.Value('\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'))), 0), name='feedback_film_list_name_not_blank', violation_error_message='Give the list a name.'),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.Exact(models.F('name'), catalog.models.reviews.TrimCharacters('name', models.Value('\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'))), name='feedback_film_list_name_trimmed', violation_error_message="A list's name cannot start or end with a space."),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('name'), 100), name='feedback_film_list_name_length', violation_error_message="A list's name can be at most 100 characters long."),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('description'), 1000), name='feedback_film_list_description_length', violation_error_message="A list's description can be at most 1,000 characters long."),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=models.Q(('created_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_film_list_created_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=models.Q(('created_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_film_list_created_before_2200', violation_error_message='This date is in the future.'),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=models.Q(('updated_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_film_list_updated_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=models.CheckConstraint(condition=models.Q(('updated_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_film_list_updated_before_2200', violation_error_message='This date is in the future.'),
        ),
        migrations.AddConstraint(
            model_name='filmlistentry',
            constraint=models.UniqueConstraint(fields=('film_list', 'movie'), name='feedback_film_list_entry_one_per_film', violation_error_message='This film is on the list already.'),
        ),
        migrations.AddConstraint(
            model_name='filmlistentry',
            constraint=models.UniqueConstraint(fields=('film_list', 'position'), name='feedback_film_list_entry_one_per_position', violation_error_message='Another film of the list has this position.'),
        ),
        migrations.AddConstraint(
            model_name='filmlistentry',
            constraint=models.CheckConstraint(condition=models.Q(('position__gte', 1)), name='feedback_film_list_entry_position_positive', violation_error_message='A position on a list is 1 or more.'),
        ),
        migrations.AddConstraint(
            model_name='filmlistentry',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('position__isnull', True), ('position__lte', 2147483647), _connector='OR'), name='feedback_film_list_entry_position_fits', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
        migrations.AddConstraint(
            model_name='filmlistentry',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('note'), 500), name='feedback_film_list_entry_note_length', violation_error_message='A note can be at most 500 characters long.'),
        ),
        migrations.AddConstraint(
            model_name='filmlistentry',
            constraint=models.CheckConstraint(condition=models.Q(('added_at__gte', datetime.datetime(1888, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_film_list_entry_added_from_1888', violation_error_message='This date is before 1888, the year of the first film.'),
        ),
        migrations.AddConstraint(
            model_name='filmlistentry',
            constraint=models.CheckConstraint(condition=models.Q(('added_at__lt', datetime.datetime(2200, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='feedback_film_list_entry_added_before_2200', violation_error_message='This date is in the future.'),
        ),
    ]
