"""A film the person said something of again steers the picks by what they said last:
their latest stars, the ones their Marquee rating of it follows
(feedback.services.marquee_rating_sync), or their latest "would (not) watch again",
whichever of the film's media items each was given on, and their ratings from other
sources in among them by date. What they only did (finished it, watched it twice) counts
where they said nothing."""

import numpy as np
import pytest

from catalog.models import Rating, RatingSource, RelationshipType
from feedback.models import UserFeedback
from feedback.services import feedback_record
from recommendations.engine import data
from recommendations.engine.evaluation import profile_from
from recommendations.engine.sources import profile_for_user
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import (
    MediaFactory,
    MovieRelationshipFactory,
    ViewingHistoryFactory,
)
from tests.recommendations.builders import days_ago, fans, film, imdb, learn

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


def say(user, movie, **fields):
    """Feedback on a media item of its own, with only the `fields` given."""
    return feedback_record(user=user, media=MediaFactory(movie=movie), **fields)


def picks_naming(user, title):
    """The reasons of the person's ranking and slate that name `title`, and the films."""
    ranked = rank_for_user(user, limit=50)
    picks = slate_for_user(user, log=False).picks
    both = [*ranked, *picks]
    return [r.reason for r in both if title in r.reason], {r.movie_id for r in both}


def test_would_watch_again_then_rated_1_is_not_liked(saga, user):
    say(user, saga["first"], would_watch_again=True)
    rate(user, saga["first"], 1)

    naming, offered = picks_naming(user, "Saga Part 1")

    opinion = profile_for_user(user).opinions[saga["first"].pk]
    assert (opinion.liked, opinion.disliked) == (False, True)
    assert profile_for_user(user).strengths == {}
    assert naming == []
    assert saga["second"].pk not in offered  # disliked: its series is held back


def test_one_feedback_of_1_star_and_would_watch_again_is_not_liked(saga, user):
    """The film page edits the film's one feedback, keeping its earlier "Yes" to "would
    watch again" when the person changes only the stars to 1: stars that low outweigh it."""
    feedback_record(
        user=user,
        media=MediaFactory(movie=saga["first"]),
        rating=1,
        would_watch_again=True,
        watched_completion=True,
    )

    naming, offered = picks_naming(user, "Saga Part 1")

    opinion = profile_for_user(user).opinions[saga["first"].pk]
    assert (opinion.liked, opinion.disliked) == (False, True)
    assert naming == []
    assert saga["second"].pk not in offered


def test_never_again_then_rated_5_is_loved(saga, user):
    say(user, saga["first"], watched_completion=True, would_watch_again=False)
    rate(user, saga["first"], 5)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user, limit=50)}

    profile = profile_for_user(user)
    opinion = profile.opinions[saga["first"].pk]
    assert (opinion.liked, opinion.disliked, opinion.never_again) == (True, False, False)
    assert saga["first"].pk not in profile.turned_away
    assert reasons[saga["second"].pk] == "Sequel to Saga Part 1, which you rated 5"


@pytest.mark.parametrize("finished", [True, None], ids=["finished", "not saying"])
def test_rated_5_then_would_not_watch_again_is_not_loved(saga, user, finished):
    rate(user, saga["first"], 5)
    say(user, saga["first"], watched_completion=finished, would_watch_again=False)

    naming, offered = picks_naming(user, "Saga Part 1")

    profile = profile_for_user(user)
    opinion = profile.opinions[saga["first"].pk]
    assert opinion.liked is False
    assert profile.strengths == {}
    assert naming == []
    if finished:  # finished and not again: disliked, its series held back
        assert opinion.disliked
        assert saga["second"].pk not in offered


@pytest.mark.parametrize("stars", [1, 3])
def test_a_film_watched_twice_then_rated_low_is_not_liked(saga, user, stars):
    """Watching a film twice says a lot, but not against what the person said of it."""
    for _ in range(2):
        ViewingHistoryFactory(user=user, media=MediaFactory(movie=saga["first"]))
    rate(user, saga["first"], stars)

    naming, _ = picks_naming(user, "Saga Part 1")

    opinion = profile_for_user(user).opinions[saga["first"].pk]
    assert (opinion.rewatched, opinion.liked) == (True, False)
    assert profile_for_user(user).strengths == {}
    assert naming == []


def test_a_film_watched_twice_and_rated_5_is_quoted_by_its_stars(saga, user):
    for _ in range(2):
        ViewingHistoryFactory(user=user, media=MediaFactory(movie=saga["first"]))
    rate(user, saga["first"], 5)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user, limit=50)}

    assert reasons[saga["second"].pk] == "Sequel to Saga Part 1, which you rated 5"


def said_days_ago(feedback, days):
    UserFeedback.objects.filter(pk=feedback.pk).update(timestamp=days_ago(days))


def test_a_later_rating_from_elsewhere_outweighs_would_watch_again(saga, user):
    said_days_ago(say(user, saga["first"], would_watch_again=True), 10)
    imdb(user, saga["first"], 2, rated_at=days_ago(1))

    naming, offered = picks_naming(user, "Saga Part 1")

    opinion = profile_for_user(user).opinions[saga["first"].pk]
    assert (opinion.liked, opinion.disliked, opinion.rated) == (False, True, "2/10")
    assert naming == []
    assert saga["second"].pk not in offered


def test_would_watch_again_outweighs_an_earlier_rating_from_elsewhere(saga, user):
    imdb(user, saga["first"], 2, rated_at=days_ago(10))
    said_days_ago(say(user, saga["first"], would_watch_again=True), 1)

    reasons = {r.movie_id: r.reason for r in rank_for_user(user, limit=50)}

    opinion = profile_for_user(user).opinions[saga["first"].pk]
    assert (opinion.liked, opinion.disliked) == (True, False)
    assert reasons[saga["second"].pk] == "Sequel to Saga Part 1, which you would watch again"


def test_an_undated_rating_is_older_than_any_feedback(saga, user):
    said_days_ago(say(user, saga["first"], would_watch_again=True), 400)
    imdb(user, saga["first"], 1, rated_at=None)

    opinion = profile_for_user(user).opinions[saga["first"].pk]

    assert (opinion.liked, opinion.disliked) == (True, False)


def test_a_rating_dated_as_its_feedback_does_not_outweigh_it(saga, user):
    """The Marquee rating is dated by the feedback whose stars it holds: that feedback's
    "would not watch again" is said as late, and stands."""
    say(user, saga["first"], rating=5, watched_completion=True, would_watch_again=False)

    opinion = profile_for_user(user).opinions[saga["first"].pk]

    assert (opinion.liked, opinion.disliked, opinion.never_again) == (False, True, True)


def test_the_evaluation_follows_the_latest_word_too(saga, user):
    """The evaluation builds the profile from rows in memory (engine/evaluation.py)."""
    say(user, saga["first"], would_watch_again=True)
    rate(user, saga["first"], 1)
    said_days_ago(say(user, saga["drama"], watched_completion=True, would_watch_again=False), 3)
    imdb(user, saga["drama"], 10, rated_at=days_ago(1))

    events = data.load_events()
    mine = np.flatnonzero(events.rater == events.rater[events.is_feedback][0])
    profile = profile_from(events, mine)

    first, drama = profile.opinions[saga["first"].pk], profile.opinions[saga["drama"].pk]
    assert (first.liked, first.disliked) == (False, True)
    assert (drama.liked, drama.disliked) == (True, False)
    assert profile.strengths == {saga["drama"].pk: 1.0}
