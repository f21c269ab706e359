"""Every integer column holds what PostgreSQL's integer holds, on SQLite too; TMDB ids
and collection ids start at 1, and an aggregate rating counts at least one vote.

SQLite stored what PostgreSQL refuses (a runtime of 99999999999 typed in the admin), and
rows holding such values would stop the constraints from being added. They are kept,
with a value the column holds:

- a column that may be empty becomes empty, "unknown", as TMDB's runtime of 0 means:
  a runtime of 99999999999 minutes, or a TMDB id of 0, was never true;
- a count that may not be empty becomes the largest allowed: an aggregate rating keeps
  its score and still sorts among the most voted, a search among the most found;
- an aggregate rating of 0 votes is deleted: it weighs nothing in any average (the TMDB
  import deletes those it meets), and alone it broke its film's rating stats.

The films whose aggregates changed get their stats computed again.
"""

import catalog.bounds
import django.core.validators
from django.conf import settings
from django.db import migrations, models

INTEGER_MAX = 2**31 - 1

# The stats of a film from its ratings, as catalog.rating_stats computes them (as in
# migration 0005: plain SQL both engines take).
REFRESH_STATS = """
INSERT INTO catalog_movieratingstats (movie_id, votes, score)
SELECT movie_id, SUM(COALESCE(vote_count, 1)),
    SUM((value - scale_min) / (scale_max - scale_min) * COALESCE(vote_count, 1))
FROM catalog_rating WHERE movie_id = %s GROUP BY movie_id
"""


def out_of_range(field: str, minimum: int) -> models.Q:
    return models.Q(**{f"{field}__lt": minimum}) | models.Q(**{f"{field}__gt": INTEGER_MAX})


def empty_what_no_column_holds(apps, db: str):
    for model, fields in (
        ("Movie", ["runtime_minutes", "tmdb_id", "tmdb_collection_id"]),
        ("MovieRelationship", ["derived_from_collection"]),
    ):
        rows = apps.get_model("catalog", model).objects.using(db)
        for field in fields:
            rows.filter(out_of_range(field, 1)).update(**{field: None})


def bound_the_counts(apps, db: str) -> set[int]:
    """The largest count allowed where one was larger; the films whose aggregates changed."""
    searches = apps.get_model("catalog", "UserSearch").objects.using(db)
    searches.filter(results_count__gt=INTEGER_MAX).update(results_count=INTEGER_MAX)
    ratings = apps.get_model("catalog", "Rating").objects.using(db)
    too_many = ratings.filter(vote_count__gt=INTEGER_MAX)
    none = ratings.filter(vote_count__lt=1)
    films = set(too_many.values_list("movie_id", flat=True))
    films |= set(none.values_list("movie_id", flat=True))
    too_many.update(vote_count=INTEGER_MAX)
    none.delete()
    return films


def refresh_stats(apps, schema_editor, films: set[int]) -> None:
    stats = apps.get_model("catalog", "MovieRatingStats").objects
    stats.using(schema_editor.connection.alias).filter(movie_id__in=films).delete()
    with schema_editor.connection.cursor() as cursor:
        for movie_id in sorted(films):
            cursor.execute(REFRESH_STATS, [movie_id])


def make_integers_fit(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated, not default
    empty_what_no_column_holds(apps, db)
    refresh_stats(apps, schema_editor, bound_the_counts(apps, db))


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0008_movie_search_title'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(make_integers_fit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='movie',
            name='runtime_minutes',
            field=catalog.bounds.BoundedIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1, message='The runtime must be at least one minute.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')], verbose_name='runtime (minutes)'),
        ),
        migrations.AlterField(
            model_name='movie',
            name='tmdb_collection_id',
            field=catalog.bounds.BoundedIntegerField(blank=True, db_index=True, null=True, validators=[django.core.validators.MinValueValidator(1, message='A TMDB collection id is a positive number.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')], verbose_name='TMDB collection id'),
        ),
        migrations.AlterField(
            model_name='movie',
            name='tmdb_id',
            field=catalog.bounds.BoundedIntegerField(blank=True, null=True, unique=True, validators=[django.core.validators.MinValueValidator(1, message='A TMDB id is a positive number.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')], verbose_name='TMDB id'),
        ),
        migrations.AlterField(
            model_name='movierelationship',
            name='derived_from_collection',
            field=catalog.bounds.BoundedIntegerField(blank=True, help_text='Empty for a link entered by hand. The TMDB import recomputes the others.', null=True, validators=[django.core.validators.MinValueValidator(1, message='A TMDB collection id is a positive number.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')], verbose_name='derived from TMDB collection'),
        ),
        migrations.AlterField(
            model_name='rating',
            name='vote_count',
            field=catalog.bounds.BoundedIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1, message='An aggregate rating counts at least one vote.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')]),
        ),
        migrations.AlterField(
            model_name='usersearch',
            name='results_count',
            field=catalog.bounds.BoundedIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0, message='The number of results cannot be negative.'), django.core.validators.MaxValueValidator(2147483647, message='This number is past 2,147,483,647, the largest the database holds.')]),
        ),
        migrations.AddConstraint(
            model_name='movie',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('runtime_minutes__isnull', True), ('runtime_minutes__lte', 2147483647), _connector='OR'), name='catalog_movie_runtime_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
        migrations.AddConstraint(
            model_name='movie',
            constraint=models.CheckConstraint(condition=models.Q(('tmdb_id__isnull', True), ('tmdb_id__gte', 1), _connector='OR'), name='catalog_movie_tmdb_id_positive', violation_error_message='A TMDB id is a positive number.'),
        ),
        migrations.AddConstraint(
            model_name='movie',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('tmdb_id__isnull', True), ('tmdb_id__lte', 2147483647), _connector='OR'), name='catalog_movie_tmdb_id_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
        migrations.AddConstraint(
            model_name='movie',
            constraint=models.CheckConstraint(condition=models.Q(('tmdb_collection_id__isnull', True), ('tmdb_collection_id__gte', 1), _connector='OR'), name='catalog_movie_tmdb_collection_id_positive', violation_error_message='A TMDB collection id is a positive number.'),
        ),
        migrations.AddConstraint(
            model_name='movie',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('tmdb_collection_id__isnull', True), ('tmdb_collection_id__lte', 2147483647), _connector='OR'), name='catalog_movie_tmdb_collection_id_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
        migrations.AddConstraint(
            model_name='movierelationship',
            constraint=models.CheckConstraint(condition=models.Q(('derived_from_collection__isnull', True), ('derived_from_collection__gte', 1), _connector='OR'), name='catalog_relationship_collection_positive', violation_error_message='A TMDB collection id is a positive number.'),
        ),
        migrations.AddConstraint(
            model_name='movierelationship',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('derived_from_collection__isnull', True), ('derived_from_collection__lte', 2147483647), _connector='OR'), name='catalog_relationship_collection_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('vote_count__isnull', True), ('vote_count__gte', 1), _connector='OR'), name='catalog_rating_vote_count_positive', violation_error_message='An aggregate rating counts at least one vote.'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('vote_count__isnull', True), ('vote_count__lte', 2147483647), _connector='OR'), name='catalog_rating_vote_count_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
        migrations.AddConstraint(
            model_name='usersearch',
            constraint=catalog.bounds.IntegerBoundCheck(condition=models.Q(('results_count__isnull', True), ('results_count__lte', 2147483647), _connector='OR'), name='catalog_usersearch_results_count_fits_integer', violation_error_message='This number is past 2,147,483,647, the largest the database holds.'),
        ),
    ]
