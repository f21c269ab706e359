"""The "Not interested" buttons of a film's page, taking it back, and the page of the
films turned down: each person sees and changes only their own, in a fixed number of
queries."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import NotInterested, WatchlistEntry
from feedback.views import PAGE_SIZE
from tests.factories import MovieFactory, NotInterestedFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("feedback:not_interested")
LOGGED_IN = 2  # the session, then the user


def add_url(movie):
    return reverse("feedback:movie_not_interested", args=[movie.pk])


def undo_url(movie):
    return reverse("feedback:movie_not_interested_undo", args=[movie.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def titles_on(response) -> list[str]:
    return [entry.movie.title for entry in response.context["page_obj"].object_list]


# Turning down and taking back, from a film's page


def test_not_interested_turns_the_film_down_and_goes_back_to_it(user_client, user):
    movie = MovieFactory(title="Cats")

    response = user_client.post(add_url(movie))

    assert response["Location"] == movie.get_absolute_url()
    assert NotInterested.objects.get().user == user
    assert messages_of(response) == ["“Cats” won’t be suggested again."]


def test_turning_down_a_film_on_the_watchlist_says_it_left_it(user_client, user):
    movie = MovieFactory(title="Cats")
    WatchlistEntryFactory(user=user, movie=movie)

    response = user_client.post(add_url(movie))

    assert not WatchlistEntry.objects.exists()
    assert messages_of(response) == [
        "“Cats” won’t be suggested again. It is off your watchlist now."
    ]


def test_adding_to_the_watchlist_says_the_film_may_come_back(user_client, user):
    movie = MovieFactory(title="Cats")
    NotInterestedFactory(user=user, movie=movie)

    response = user_client.post(reverse("feedback:movie_watchlist_add", args=[movie.pk]))

    assert not NotInterested.objects.exists()
    assert messages_of(response) == ["“Cats” is on your watchlist. It may be suggested again."]


def test_suggest_again_takes_it_back_and_goes_where_it_was_asked(user_client, user):
    movie = MovieFactory(title="Cats")
    NotInterestedFactory(user=user, movie=movie)

    response = user_client.post(undo_url(movie), {"next": LIST_URL})

    assert response["Location"] == LIST_URL
    assert not NotInterested.objects.exists()
    assert messages_of(response) == ["“Cats” may be suggested again."]


def test_taking_back_touches_nobody_else_s_row(user_client, user, other_user):
    movie = MovieFactory(title="Cats")
    theirs = NotInterestedFactory(user=other_user, movie=movie)

    response = user_client.post(undo_url(movie))

    assert list(NotInterested.objects.all()) == [theirs]
    assert messages_of(response) == ["“Cats” was not turned down."]


@pytest.mark.parametrize("url_of", [add_url, undo_url])
def test_the_actions_are_post_only(user_client, user, url_of):
    """A GET (a reload, a bookmark) goes to the film and changes nothing, as every action's
    does (config/actions.py); another method is refused."""
    movie = MovieFactory()
    row = NotInterestedFactory(user=user)

    response = user_client.get(url_of(movie))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == movie.get_absolute_url()
    assert user_client.put(url_of(movie)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert list(NotInterested.objects.all()) == [row]


@pytest.mark.parametrize("url_of", [add_url, undo_url])
def test_anonymous_visitors_are_sent_to_log_in(client, url_of):
    response = client.post(url_of(MovieFactory()))

    assert response["Location"].startswith(reverse("login"))
    assert not NotInterested.objects.exists()


def test_not_interested_needs_a_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(add_url(MovieFactory())).status_code == HTTPStatus.FORBIDDEN
    assert not NotInterested.objects.exists()


@pytest.mark.parametrize("url_of", [add_url, undo_url])
def test_an_unknown_or_malformed_film_is_404(user_client, url_of):
    movie = MovieFactory()
    url = url_of(movie)
    movie.delete()

    assert user_client.post(url).status_code == HTTPStatus.NOT_FOUND
    malformed = url.replace(f"/{movie.pk}/", "/abc/")
    assert user_client.post(malformed).status_code == HTTPStatus.NOT_FOUND
    too_big = url.replace(f"/{movie.pk}/", f"/{'9' * 30}/")
    assert user_client.post(too_big).status_code == HTTPStatus.NOT_FOUND


# The film's page


def test_the_film_page_offers_not_interested(user_client):
    movie = MovieFactory()

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert f'action="{add_url(movie)}"' in html
    assert f'action="{undo_url(movie)}"' not in html


def test_the_film_page_says_it_was_turned_down_and_offers_to_take_it_back(user_client, user):
    movie = MovieFactory()
    NotInterestedFactory(
        user=user, movie=movie, turned_down_at=dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
    )

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert "You turned this film down" in html
    assert "4 Mar 2026" in html
    assert f'action="{undo_url(movie)}"' in html
    assert f'action="{add_url(movie)}"' not in html


def test_the_film_page_shows_only_the_visitor_s_own(user_client, other_user):
    movie = MovieFactory()
    NotInterestedFactory(user=other_user, movie=movie)

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert "You turned this film down" not in html
    assert f'action="{add_url(movie)}"' in html


# The page of films turned down


def test_the_page_needs_an_account(client):
    response = client.get(LIST_URL)

    assert response["Location"].startswith(reverse("login"))


def test_the_page_lists_the_person_s_own_newest_first_with_suggest_again(
    user_client, user, other_user
):
    now = timezone.now()
    old = NotInterestedFactory(user=user, movie__title="Old", turned_down_at=now - dt.timedelta(2))
    new = NotInterestedFactory(user=user, movie__title="New", turned_down_at=now)
    NotInterestedFactory(user=other_user, movie__title="Theirs")

    response = user_client.get(LIST_URL)

    assert titles_on(response) == ["New", "Old"]
    html = response.content.decode()
    for row in (old, new):
        assert f'action="{undo_url(row.movie)}"' in html
    assert html.count(">Suggest<span") == 2
    assert 'Suggest<span class="visually-hidden"> Old</span> again' in html


def test_the_page_says_how_to_fill_it_when_empty(user_client):
    html = user_client.get(LIST_URL).content.decode()

    assert "You have turned down no films." in html


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "last", "1.5"])
def test_an_odd_page_number_shows_the_nearest_page(user_client, user, page):
    NotInterestedFactory.create_batch(PAGE_SIZE + 1, user=user)

    response = user_client.get(LIST_URL, {"page": page})

    assert response.status_code == HTTPStatus.OK
    assert titles_on(response)


def test_the_library_links_to_the_page(user_client):
    html = user_client.get(reverse("feedback:library")).content.decode()

    assert f'href="{LIST_URL}"' in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        response.content.decode()
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_the_page_runs_a_fixed_number_of_queries(user_client, user, django_assert_num_queries):
    NotInterestedFactory.create_batch(PAGE_SIZE + 5, user=user)

    # The count, then the page of rows with their films.
    with django_assert_num_queries(LOGGED_IN + 2):
        response = user_client.get(LIST_URL)
        html = response.content.decode()

    assert len(titles_on(response)) == PAGE_SIZE
    assert html.count(">Suggest<span") == PAGE_SIZE


def test_the_page_costs_the_same_with_3_rows_as_with_25(user_client, user):
    NotInterestedFactory.create_batch(3, user=user)
    few = count_queries(user_client, LIST_URL)

    NotInterestedFactory.create_batch(22, user=user)
    many = count_queries(user_client, LIST_URL)

    assert few == many
