"""A film rated again steers the picks by its latest stars, the ones the person's Marquee
rating of it follows (feedback.services.marquee_rating_sync), whichever of the film's
media items each rating was given on."""

import pytest

from catalog.models import Rating, RatingSource, RelationshipType
from feedback.services import feedback_record
from recommendations.engine.sources import profile_for_user
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import MediaFactory, MovieRelationshipFactory
from tests.recommendations.builders import fans, film, learn

pytestmark = pytest.mark.django_db


@pytest.fixture
def saga():
    """A two-film series whose fans also love a standalone drama."""
    first, second = film("Saga Part 1", "Adventure"), film("Saga Part 2", "Adventure")
    MovieRelationshipFactory(
        from_movie=first, to_movie=second, relationship_type=RelationshipType.SEQUEL
    )
    drama = film("Quiet Drama", "Drama")
    fans("saga", 6, first, second, drama)
    film("Western", "Western", popularity=50)
    learn()
    return {"first": first, "second": second, "drama": drama}


def rate(user, movie, stars):
    """Stars on a media item of its own: the film on another server each time."""
    return feedback_record(
        user=user, media=MediaFactory(movie=movie), rating=stars, watched_completion=True
    )


def marquee_stars(user, movie):
    row = Rating.objects.get(user=user, movie=movie, source=RatingSource.MARQUEE)
    return row.value


def test_a_film_rated_5_then_1_is_no_longer_loved(saga, user):
    rate(user, saga["first"], 5)
    rate(user, saga["first"], 1)
    assert marquee_stars(user, saga["first"]) == 1

    ranked = rank_for_user(user, limit=50)
    picks = slate_for_user(user, log=False).picks

    opinion = profile_for_user(user).opinions[saga["first"].pk]
    assert (opinion.stars, opinion.liked, opinion.disliked) == (1, False, True)
    assert not [r.reason for r in [*ranked, *picks] if "Saga Part 1" in r.reason]
    # Disliked and not liked since: turned away from, so its series is held back.
    assert saga["second"].pk not in {r.movie_id for r in [*ranked, *picks]}


def test_a_film_rated_1_then_5_is_loved(saga, user):
    rate(user, saga["first"], 1)
    rate(user, saga["first"], 5)
    assert marquee_stars(user, saga["first"]) == 5

    reasons = {r.movie_id: r.reason for r in rank_for_user(user, limit=50)}

    assert reasons[saga["second"].pk] == "Sequel to Saga Part 1, which you rated 5"
    assert profile_for_user(user).opinions[saga["first"].pk].stars == 5


def test_a_film_rated_5_then_3_is_quoted_as_rated_3(saga, user):
    """No longer loved, nor disliked: its sequel is no longer brought in by it."""
    rate(user, saga["first"], 5)
    rate(user, saga["first"], 3)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user, limit=50)}

    assert not [reason for reason in reasons.values() if "Saga Part 1" in reason]
    assert profile_for_user(user).strengths == {}
