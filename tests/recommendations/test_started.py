"""A film the person started and never finished is not seen: it stays on their
watchlist (feedback/watchlist.py), and the engine offers it again, saying so."""

import pytest

from recommendations.engine.reasons import STARTED
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import MediaFactory, UserFactory, ViewingHistoryFactory
from tests.recommendations.builders import (
    assert_slates_cost_the_same,
    fans,
    feedback,
    film,
    learn,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def crime():
    """Crime fans love all four crime films; every film has a media server's item."""
    films = {
        "heat": film("Heat", "Crime", "Thriller"),
        "ronin": film("Ronin", "Crime", "Thriller"),
        "collateral": film("Collateral", "Crime", "Thriller"),
        "thief": film("Thief", "Crime", "Drama"),
        "comedy": film("Airplane!", "Comedy", popularity=80),
        "western": film("Rio Bravo", "Western", popularity=60),
    }
    fans("crime", 8, films["heat"], films["ronin"], films["collateral"], films["thief"])
    fans("comedy", 3, films["comedy"], films["western"])
    for movie in films.values():
        MediaFactory(movie=movie)
    learn()
    return films


def started(user, movie, times: int = 1):
    for _ in range(times):
        ViewingHistoryFactory(
            user=user, media=movie.media_items.first(), completed=False, minutes_watched=20
        )


def test_a_film_only_started_is_offered_again_saying_so(crime, user):
    feedback(user, crime["heat"], rating=5)
    started(user, crime["ronin"], times=2)

    ranked = {pick.movie_id: pick.reason for pick in rank_for_user(user)}

    assert ranked[crime["ronin"].pk] == f"{STARTED}; people who loved Heat loved this"
    assert crime["heat"].pk not in ranked


@pytest.mark.parametrize(
    "also",
    [
        {"finished": True},
        {"watched_completion": False},
        {"rating": 2},
        {"would_watch_again": True},
    ],
    ids=["a viewing finished", "said they gave up", "rated", "would watch again"],
)
def test_a_started_film_anything_else_says_was_seen_is_not_offered(crime, user, also):
    feedback(user, crime["heat"], rating=5)
    started(user, crime["ronin"])
    if also.pop("finished", False):
        ViewingHistoryFactory(user=user, media=crime["ronin"].media_items.first())
    else:
        fields = {"watched_completion": None, "would_watch_again": None, "rating": None}
        feedback(user, crime["ronin"], **fields | also)

    assert crime["ronin"].pk not in {pick.movie_id for pick in rank_for_user(user)}


def test_a_started_film_s_genres_are_tried(crime, user):
    """Starting a Western is trying the genre: the wildcard does not call it untried."""
    feedback(user, crime["heat"], rating=5)
    started(user, crime["western"])

    picks = slate_for_user(user, log=False).picks

    assert not [
        pick.reason for pick in picks if "Western, a genre you have not tried" in pick.reason
    ]


@pytest.mark.parametrize("log", [False, True])
def test_started_films_cost_no_queries(crime, log, django_assert_num_queries):
    few, many = UserFactory(), UserFactory()
    for person, films in ((few, ["ronin"]), (many, ["ronin", "collateral", "thief", "comedy"])):
        feedback(person, crime["heat"], rating=5)
        for name in films:
            started(person, crime[name], times=3)
    assert_slates_cost_the_same(
        (few, many), log=log, django_assert_num_queries=django_assert_num_queries
    )
