"""A film the person reviewed is seen, as on Letterboxd and Trakt: never offered, its
genres tried; but a review alone says nothing of liking the film, so it pulls nothing:
not its neighbours, not its genres."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.reviews import review_save
from feedback.models import WatchlistEntry
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import MediaFactory, ReviewFactory, UserFactory, ViewingHistoryFactory
from tests.recommendations.builders import (
    assert_slates_cost_the_same,
    fans,
    feedback,
    film,
    learn,
)

pytestmark = pytest.mark.django_db

PANNED = "Saw it last night. Awful, never again."


@pytest.fixture
def crime():
    """Crime fans love five crime films; two horror films and two comedies are loved by
    a few others. Every film has a media server's item."""
    films = {
        "heat": film("Heat", "Crime", "Thriller"),
        "ronin": film("Ronin", "Crime", "Thriller"),
        "collateral": film("Collateral", "Crime", "Thriller"),
        "thief": film("Thief", "Crime", "Drama"),
        "samourai": film("Le Samouraï", "Crime", "Drama"),
        "thing": film("The Thing", "Horror", popularity=90),
        "halloween": film("Halloween", "Horror", popularity=30),
        "airplane": film("Airplane!", "Comedy", popularity=80),
        "hot shots": film("Hot Shots!", "Comedy", popularity=70),
    }
    fans("crime", 8, *(films[name] for name in ("heat", "ronin", "collateral", "thief")))
    fans("samourai", 4, films["heat"], films["samourai"])
    fans("horror", 3, films["thing"], films["halloween"])
    fans("comedy", 3, films["airplane"], films["hot shots"])
    for movie in films.values():
        MediaFactory(movie=movie)
    learn()
    return films


def reviewed(user, movie, text: str = PANNED):
    return review_save(user=user, movie=movie, text=text, contains_spoilers=False)[0]


def recommend(user) -> list[dict]:
    """`manage.py recommend USER --json --dry-run`, as the reviewer ran it."""
    out = io.StringIO()
    call_command("recommend", user.username, "--json", "--dry-run", stdout=out)
    return json.loads(out.getvalue())["picks"]


def test_the_films_of_a_slate_reviewed_are_never_offered_again(crime, user):
    feedback(user, crime["heat"], rating=5)
    first = recommend(user)
    assert len(first) == 3

    for pick in first:
        reviewed(user, crime_film(crime, pick["movie_id"]))
    second = recommend(user)

    assert {p["movie_id"] for p in first}.isdisjoint(p["movie_id"] for p in second)
    assert not {p["movie_id"] for p in first} & {p.movie_id for p in rank_for_user(user)}


def crime_film(crime, movie_id: int):
    return next(movie for movie in crime.values() if movie.pk == movie_id)


def test_a_genre_reviewed_is_tried(crime, user):
    """Reviewing a horror film is knowing the genre: the wildcard, still a horror film,
    no longer calls it untried."""
    feedback(user, crime["heat"], rating=5)
    before = slate_for_user(user, log=False).picks[-1]
    assert before.movie_id == crime["thing"].pk
    assert before.reason == "Popular and well rated in Horror, a genre you have not tried"

    reviewed(user, crime["halloween"])
    after = slate_for_user(user, log=False).picks[-1]

    assert after.movie_id == crime["thing"].pk
    assert after.reason == "Popular and well rated in Horror, outside your usual genres"


def test_a_review_alone_pulls_nothing(crime, user):
    """Whatever it says ("Awful", or "A masterpiece"), a review is no rating: the other
    films keep their scores, its genre's included, and its neighbours gain nothing."""
    unreviewed = UserFactory()
    for person in (user, unreviewed):
        feedback(person, crime["heat"], rating=5)
    reviewed(user, crime["airplane"], text="A masterpiece. Loved every minute.")

    mine = [(pick.movie_id, pick.score, pick.reason) for pick in rank_for_user(user)]
    theirs = [(pick.movie_id, pick.score, pick.reason) for pick in rank_for_user(unreviewed)]

    assert mine == [pick for pick in theirs if pick[0] != crime["airplane"].pk]
    assert crime["hot shots"].pk in {pick[0] for pick in mine}


def test_someone_who_only_reviewed_is_still_new(crime, user):
    newcomer = UserFactory()
    reviewed(user, crime["heat"], text="A masterpiece.")

    mine = [(pick.movie_id, pick.reason) for pick in rank_for_user(user)]
    theirs = [(pick.movie_id, pick.reason) for pick in rank_for_user(newcomer)]

    assert mine == [pick for pick in theirs if pick[0] != crime["heat"].pk]


def test_a_film_on_the_watchlist_reviewed_leaves_it_and_the_slate(crime, user):
    feedback(user, crime["heat"], rating=5)
    WatchlistEntry.objects.create(user=user, movie=crime["thief"], added_at=timezone.now())
    primary = slate_for_user(user, log=False).picks[0]
    assert (primary.movie_id, primary.reason[:24]) == (
        crime["thief"].pk,
        "On your watchlist since ",
    )

    reviewed(user, crime["thief"])
    picks = slate_for_user(user, log=False).picks

    assert not WatchlistEntry.objects.filter(user=user).exists()
    assert crime["thief"].pk not in {pick.movie_id for pick in picks}
    assert not [pick.reason for pick in picks if "watchlist" in pick.reason]


def test_a_film_reviewed_then_put_on_the_watchlist_again_is_seen(crime, user):
    """As a film with feedback still on the watchlist (test_watchlist.py): seen."""
    feedback(user, crime["heat"], rating=5)
    ReviewFactory(member=True, user=user, movie=crime["thief"])
    WatchlistEntry.objects.create(user=user, movie=crime["thief"], added_at=timezone.now())

    assert crime["thief"].pk not in {pick.movie_id for pick in rank_for_user(user)}


def test_a_film_started_then_reviewed_is_not_offered_again(crime, user):
    feedback(user, crime["heat"], rating=5)
    ViewingHistoryFactory(
        user=user, media=crime["ronin"].media_items.first(), completed=False, minutes_watched=20
    )
    assert crime["ronin"].pk in {pick.movie_id for pick in rank_for_user(user)}

    reviewed(user, crime["ronin"])

    assert crime["ronin"].pk not in {pick.movie_id for pick in rank_for_user(user)}


def test_someone_else_s_review_changes_nothing(crime, user, other_user):
    feedback(user, crime["heat"], rating=5)
    before = [(pick.movie_id, pick.score) for pick in rank_for_user(user)]

    reviewed(other_user, crime["ronin"])
    ReviewFactory(movie=crime["collateral"])  # a critic's

    assert [(pick.movie_id, pick.score) for pick in rank_for_user(user)] == before


@pytest.mark.parametrize("log", [False, True])
def test_reviews_cost_one_query_however_many(crime, log, django_assert_num_queries):
    few, many = UserFactory(), UserFactory()
    for person, films in ((few, ["ronin"]), (many, ["ronin", "thief", "airplane", "halloween"])):
        feedback(person, crime["heat"], rating=5)
        for name in films:
            reviewed(person, crime[name])
    # As for any slate: the reviews are one query of the profile's, however many.
    assert_slates_cost_the_same(
        (few, many), log=log, django_assert_num_queries=django_assert_num_queries
    )
