"""A film the person started and never finished is not seen: it stays on their
watchlist (feedback/watchlist.py), and the engine offers it again, saying so. Feedback
that says they did not finish it is the same: the film lists (catalog.querysets
.films_seen_by) do not count it as seen either."""

import pytest

from catalog.models import Movie
from recommendations.engine.reasons import STARTED
from recommendations.engine.sources import profile_for_user
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import (
    MediaFactory,
    ReviewFactory,
    UserFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)
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
        {"rating": 2},
        {"would_watch_again": True},
    ],
    ids=["a viewing finished", "rated", "would watch again"],
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


@pytest.mark.parametrize("rating", [None, 3], ids=["no stars", "with stars"])
def test_a_film_said_not_finished_is_offered_again_as_one_started(crime, user, rating):
    feedback(user, crime["heat"], rating=5)
    feedback(user, crime["ronin"], watched_completion=False, would_watch_again=None, rating=rating)

    ranked = {pick.movie_id: pick.reason for pick in rank_for_user(user)}

    assert ranked[crime["ronin"].pk] == f"{STARTED}; people who loved Heat loved this"


@pytest.mark.parametrize(
    "against",
    [
        {"would_watch_again": False, "rating": None},
        {"would_watch_again": None, "rating": 1},
        {"would_watch_again": None, "rating": 2},
    ],
    ids=["would not watch again", "rated 1", "rated 2"],
)
@pytest.mark.parametrize("listed", [False, True], ids=["", "on the watchlist"])
def test_a_film_turned_away_from_is_never_offered_again(crime, user, against, listed):
    """Not finished and disliked: turned away from (docs/recommendations.md), not merely
    started. Ronin is in no series, so no franchise holds it back: the film itself is,
    even on the watchlist, which feedback that says "did not finish" leaves it on."""
    feedback(user, crime["heat"], rating=5)
    if listed:
        WatchlistEntryFactory(user=user, movie=crime["ronin"])
    feedback(user, crime["ronin"], watched_completion=False, **against)

    ranked = {pick.movie_id for pick in rank_for_user(user, limit=50)}
    picks = {pick.movie_id for pick in slate_for_user(user, log=False).picks}

    assert crime["ronin"].pk not in ranked | picks
    assert len(picks) == 3


def test_the_stars_of_feedback_not_finished_still_count(crime, user):
    """Rated 5 though not finished: the film still pulls its neighbours, as before."""
    feedback(user, crime["ronin"], watched_completion=False, would_watch_again=None, rating=5)

    ranked = {pick.movie_id: pick.reason for pick in rank_for_user(user)}

    assert ranked[crime["heat"].pk] == "People who loved Ronin loved this"


def test_a_film_not_finished_then_finished_is_seen(crime, user):
    feedback(user, crime["heat"], rating=5)
    feedback(user, crime["ronin"], watched_completion=False, would_watch_again=None, rating=None)
    ViewingHistoryFactory(user=user, media=crime["ronin"].media_items.first())

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


def test_the_engine_counts_seen_as_the_film_lists_do(user):
    """Whatever a person said of a film on the site, the engine never offers it exactly
    when the film lists (?seen=unseen) call it seen, and the watchlist lets it go."""
    said = {
        "viewing finished": lambda movie: ViewingHistoryFactory(
            user=user, media=MediaFactory(movie=movie)
        ),
        "viewing started": lambda movie: started(user, movie),
        "did not finish": lambda movie: feedback(
            user, movie, watched_completion=False, would_watch_again=None, rating=None
        ),
        "did not finish, rated": lambda movie: feedback(
            user, movie, watched_completion=False, would_watch_again=None, rating=4
        ),
        "stars alone": lambda movie: feedback(
            user, movie, watched_completion=None, would_watch_again=None, rating=2
        ),
        "would watch again": lambda movie: feedback(
            user, movie, watched_completion=None, would_watch_again=True, rating=None
        ),
        "reviewed": lambda movie: ReviewFactory(member=True, user=user, movie=movie),
    }
    films = {}
    for name, saying in said.items():
        films[name] = film(name.capitalize(), "Drama")
        MediaFactory(movie=films[name])
        saying(films[name])

    seen = profile_for_user(user).seen

    assert seen == set(Movie.objects.seen_by(user).values_list("pk", flat=True))
    assert {name for name, movie in films.items() if movie.pk in seen} == {
        "viewing finished",
        "stars alone",
        "would watch again",
        "reviewed",
    }
