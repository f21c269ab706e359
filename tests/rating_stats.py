"""MovieRatingStats against the ratings it is derived from, for tests of every write path."""

import pytest
from django.db.models import FloatField, Sum

from catalog.models import MovieRatingStats, Rating
from catalog.querysets import normalized_score, rating_weight


def stats_kept() -> dict[int, tuple[int, float]]:
    return {row.movie_id: (row.votes, row.score) for row in MovieRatingStats.objects.all()}


def stats_of_the_ratings() -> dict[int, tuple[int, float]]:
    """Every film's votes and score, summed from its ratings now."""
    rows = (
        Rating.objects.order_by()
        .values("movie")
        .annotate(
            votes=Sum(rating_weight()),
            score=Sum(normalized_score() * rating_weight(), output_field=FloatField()),
        )
    )
    return {row["movie"]: (row["votes"], row["score"]) for row in rows}


def assert_stats_match_the_ratings() -> None:
    kept, truth = stats_kept(), stats_of_the_ratings()
    assert kept.keys() == truth.keys()
    for movie_id, (votes, score) in truth.items():
        assert kept[movie_id][0] == votes, movie_id
        # Added up batch by batch, a score may differ from the sum in its last bits.
        assert kept[movie_id][1] == pytest.approx(score, rel=1e-9, abs=1e-9), movie_id
