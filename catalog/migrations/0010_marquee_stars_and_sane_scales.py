"""A Marquee rating is whole stars on 1-5; any other rating's scale lies within ±100.

The admin accepted a Marquee rating of 4.25 stars, one on a scale of -100 to 100, and
one on 1 to 1e308 (shown as "Marquee 0.0 / 10"); other sources took such scales too.
Rows already like that would stop the constraints from being added. What the pages and
the recommendations make of a rating is its score on 0-1 (Rating.normalized), so each
is kept with that score, as near as the new rules let it:

- a Marquee rating becomes the nearest whole star on 1-5 (4.25 becomes 4);
- another rating is given on 0-100 instead, with the same score;
- a rating whose score is no number (a scale to infinity and a value at its end) says
  nothing, and is deleted.

The films whose ratings changed get their stats computed again.
"""

import math

import catalog.models
from django.conf import settings
from django.db import migrations, models

STARS_MIN, STARS_MAX = 1, 5
SCALE_LIMIT = 100

# The stats of a film from its ratings, as catalog.rating_stats computes them (as in
# migration 0005: plain SQL both engines take).
REFRESH_STATS = """
INSERT INTO catalog_movieratingstats (movie_id, votes, score)
SELECT movie_id, SUM(COALESCE(vote_count, 1)),
    SUM((value - scale_min) / (scale_max - scale_min) * COALESCE(vote_count, 1))
FROM catalog_rating WHERE movie_id = %s GROUP BY movie_id
"""


def score(rating) -> float:
    """Rating.normalized: NaN for a value at the end of a scale to infinity."""
    return (rating.value - rating.scale_min) / (rating.scale_max - rating.scale_min)


def nearest_star(score: float) -> int:
    return math.floor(STARS_MIN + score * (STARS_MAX - STARS_MIN) + 0.5)


def off_the_rules(Rating, db: str):
    marquee = Rating.objects.using(db).filter(source="marquee").exclude(
        scale_min=STARS_MIN, scale_max=STARS_MAX, value__in=range(STARS_MIN, STARS_MAX + 1)
    )
    scales = Rating.objects.using(db).exclude(source="marquee").filter(
        models.Q(scale_min__lt=-SCALE_LIMIT) | models.Q(scale_max__gt=SCALE_LIMIT)
    )
    return [*marquee, *scales]


def keep_each_score(apps, schema_editor):
    Rating = apps.get_model("catalog", "Rating")
    db = schema_editor.connection.alias  # the database being migrated, not default
    films = set()
    for rating in off_the_rules(Rating, db):
        films.add(rating.movie_id)
        kept = score(rating)
        if not math.isfinite(kept):
            rating.delete(using=db)
            continue
        if rating.source == "marquee":
            rating.value, rating.scale_min, rating.scale_max = nearest_star(kept), STARS_MIN, STARS_MAX
        else:
            rating.value, rating.scale_min, rating.scale_max = kept * SCALE_LIMIT, 0, SCALE_LIMIT
        rating.save(using=db, update_fields=["value", "scale_min", "scale_max"])
    apps.get_model("catalog", "MovieRatingStats").objects.using(db).filter(
        movie_id__in=films
    ).delete()
    with schema_editor.connection.cursor() as cursor:
        for movie_id in sorted(films):
            cursor.execute(REFRESH_STATS, [movie_id])


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_integers_fit_postgres'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep_each_score, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='rating',
            name='scale_max',
            field=models.FloatField(default=5, validators=[catalog.models.within_scale_limit]),
        ),
        migrations.AlterField(
            model_name='rating',
            name='scale_min',
            field=models.FloatField(default=1, validators=[catalog.models.within_scale_limit]),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(('scale_max__lte', 100), ('scale_min__gte', -100)), name='catalog_rating_scale_within_100', violation_error_message="A rating's scale lies within -100 to 100."),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('source', 'marquee'), _negated=True), models.Q(('scale_max', 5), ('scale_min', 1), ('value__in', range(1, 6))), _connector='OR'), name='catalog_rating_marquee_stars', violation_error_message='A Marquee rating is a whole number of stars from 1 to 5, on the 1-5 scale.'),
        ),
    ]
