"""A film the person turned down ("Not interested") never comes back: not in the ranking,
not in a slate, not from the watchlist; and Tonight's slate that holds it goes stale, so
the next visit shows one without it."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import NotInterested, WatchlistEntry
from feedback.not_interested import not_interested_add
from recommendations.services import current_slate_id, rank_for_user, slate_for_user
from tests.factories import NotInterestedFactory
from tests.recommendations.builders import crime_fan_of, feedback, film

pytestmark = pytest.mark.django_db

TONIGHT = reverse("recommendations:tonight")


@pytest.fixture
def crime_fan(user):
    return crime_fan_of(user)


def turn_down_url(movie):
    return reverse("feedback:movie_not_interested", args=[movie.pk])


def undo_url(movie):
    return reverse("feedback:movie_not_interested_undo", args=[movie.pk])


def test_the_best_match_turned_down_is_never_ranked_nor_picked(crime_fan, user, other_user):
    ronin = crime_fan["ronin"]
    feedback(other_user, crime_fan["heat"], rating=5)
    assert rank_for_user(user)[0].movie_id == ronin.pk

    not_interested_add(user=user, movie=ronin)

    assert ronin.pk not in {r.movie_id for r in rank_for_user(user)}
    assert ronin.pk not in {p.movie_id for p in slate_for_user(user, log=False).picks}
    # Only theirs: the other fan of Heat is offered Ronin still.
    assert rank_for_user(other_user)[0].movie_id == ronin.pk


def test_a_film_turned_down_stays_out_even_if_on_the_watchlist(crime_fan, user):
    """The pages never leave both (turning down takes it off the watchlist, adding lifts
    the "not interested"); an admin's or a file's rows may, and then the refusal wins."""
    ronin = crime_fan["ronin"]
    WatchlistEntry.objects.create(user=user, movie=ronin)
    NotInterestedFactory(user=user, movie=ronin)

    assert ronin.pk not in {p.movie_id for p in slate_for_user(user, log=False).picks}


def test_a_slate_goes_stale_when_one_of_its_films_is_turned_down(crime_fan, user):
    slate_id = current_slate_id(user)
    assert current_slate_id(user) == slate_id  # still current

    not_interested_add(user=user, movie=crime_fan["ronin"])

    assert current_slate_id(user, create=False) is None


def test_a_film_turned_down_outside_the_slate_leaves_it_current(crime_fan, user):
    slate_id = current_slate_id(user)
    outside = film("Nowhere", "Crime")  # made after the slate: not in it

    not_interested_add(user=user, movie=outside)

    assert current_slate_id(user, create=False) == slate_id


def test_not_interested_on_tonight_shows_a_slate_without_the_film_and_an_undo(
    crime_fan, user, user_client
):
    first = user_client.get(TONIGHT).context["tonight"]
    pick = next(p for p in first if p.media.movie_id == crime_fan["ronin"].pk)
    page = user_client.get(TONIGHT).content.decode()
    assert f'action="{turn_down_url(crime_fan["ronin"])}"' in page
    assert page.count(">Not interested<") == len(first)

    # The button's own `next`: back to Tonight, naming the film for the undo.
    response = user_client.post(
        turn_down_url(pick.media.movie),
        {"next": f"{TONIGHT}?turned_down={pick.media.movie_id}"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{TONIGHT}?turned_down={pick.media.movie_id}"
    now = response.context["tonight"]
    assert pick.slate_id not in {p.slate_id for p in now}
    assert crime_fan["ronin"].pk not in {p.media.movie_id for p in now}
    text = response.content.decode()
    assert "“Ronin” won’t be suggested again." in text
    assert f'action="{undo_url(crime_fan["ronin"])}"' in text
    assert response.context["turned_down"].movie == crime_fan["ronin"]


def test_the_undo_on_tonight_takes_it_back(crime_fan, user, user_client):
    ronin = crime_fan["ronin"]
    NotInterestedFactory(user=user, movie=ronin)

    response = user_client.post(undo_url(ronin), {"next": TONIGHT}, follow=True)

    assert response.redirect_chain[-1][0] == TONIGHT
    assert not NotInterested.objects.filter(user=user).exists()
    assert "“Ronin” may be suggested again." in response.content.decode()
    assert response.context["turned_down"] is None


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "²", "9" * 40, "", "0"])
def test_a_malformed_or_unknown_turned_down_offers_no_undo(crime_fan, user_client, value):
    response = user_client.get(TONIGHT, {"turned_down": value})

    assert response.status_code == HTTPStatus.OK
    assert response.context["turned_down"] is None


def test_another_members_film_offers_no_undo(crime_fan, user_client, other_user):
    NotInterestedFactory(user=other_user, movie=crime_fan["ronin"])

    response = user_client.get(TONIGHT, {"turned_down": crime_fan["ronin"].pk})

    assert response.context["turned_down"] is None


def test_the_undo_costs_one_query_more_than_a_reload(crime_fan, user, user_client):
    user_client.get(TONIGHT)
    nowhere = NotInterestedFactory(user=user, movie=film("Nowhere", "Crime"))  # in no slate

    with CaptureQueriesContext(connection) as reload:
        user_client.get(TONIGHT)
    with CaptureQueriesContext(connection) as with_undo:
        response = user_client.get(TONIGHT, {"turned_down": nowhere.movie_id})

    # The film turned down, with its title.
    assert len(with_undo) == len(reload) + 1
    assert response.context["turned_down"] == nowhere


def test_when_every_film_left_is_turned_down_the_page_says_so(crime_fan, user, user_client):
    for name in ("ronin", "thief", "tootsie"):
        not_interested_add(user=user, movie=crime_fan[name])

    page = user_client.get(TONIGHT).content.decode()

    assert "every film you have not seen is one you gave up on, disliked or turned down" in page
