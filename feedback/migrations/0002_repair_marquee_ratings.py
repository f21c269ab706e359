"""Give back the Marquee ratings that feedback on a second media item of a film broke.

Until now each feedback wrote its film's Marquee rating by itself: deleting (or clearing
the rating of) the feedback on one media item of a film deleted the person's rating,
though their feedback on another item of the film still rated it. This applies the rule
that feedback.services.marquee_rating_sync now keeps to every person and film with rated
feedback: where their Marquee rating is missing or is not that of their latest rated
feedback on the film, it is written. Ratings of films without rated feedback are left.
"""

from django.db import migrations

# The stats of a film from its ratings, as catalog.rating_stats computes them (as in
# catalog's migration 0005: plain SQL both engines take).
REFRESH_STATS = """
INSERT INTO catalog_movieratingstats (movie_id, votes, score)
SELECT movie_id, SUM(COALESCE(vote_count, 1)),
    SUM((value - scale_min) / (scale_max - scale_min) * COALESCE(vote_count, 1))
FROM catalog_rating WHERE movie_id = %s GROUP BY movie_id
"""


def latest_rated_feedback(UserFeedback, db: str) -> dict:
    """(user id, movie id): (rating, timestamp) of the person's latest rated feedback."""
    rows = (
        UserFeedback.objects.using(db)
        .filter(media__movie__isnull=False, rating__isnull=False)
        .order_by("user_id", "media__movie_id", "-timestamp", "-feedback_id")
        .values_list("user_id", "media__movie_id", "rating", "timestamp")
    )
    latest = {}
    for user_id, movie_id, rating, timestamp in rows.iterator():
        latest.setdefault((user_id, movie_id), (rating, timestamp))
    return latest


def repair(apps, schema_editor):
    Rating = apps.get_model("catalog", "Rating")
    MovieRatingStats = apps.get_model("catalog", "MovieRatingStats")
    db = schema_editor.connection.alias  # the database being migrated, not default
    marquee = Rating.objects.using(db).filter(source="marquee", rater_kind="user")
    current = {(rating.user_id, rating.movie_id): rating for rating in marquee}
    films = set()
    for (user_id, movie_id), (value, rated_at) in latest_rated_feedback(
        apps.get_model("feedback", "UserFeedback"), db
    ).items():
        rating = current.get((user_id, movie_id))
        if rating is None:
            rating = Rating(user_id=user_id, movie_id=movie_id, source="marquee", rater_kind="user")
        elif (rating.value, rating.scale_min, rating.scale_max) == (value, 1, 5):
            continue
        rating.value, rating.scale_min, rating.scale_max = value, 1, 5
        rating.rated_at = rated_at
        rating.save(using=db)
        films.add(movie_id)
    MovieRatingStats.objects.using(db).filter(movie_id__in=films).delete()
    with schema_editor.connection.cursor() as cursor:
        for movie_id in sorted(films):
            cursor.execute(REFRESH_STATS, [movie_id])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_genre_slug_unicode"),
        ("feedback", "0001_initial"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
