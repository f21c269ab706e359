"""A list's own page adds films: "Add a film" finds them by title as the site's search
does, and each one found is added at the list's end, by the owner alone."""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from catalog.search import QUERY_MAX_LENGTH
from feedback.film_list_views import FILMS_FOUND, LIST_ALREADY_DELETED
from tests.factories import FilmListEntryFactory, FilmListFactory, GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db

LOGGED_IN = 2  # the session, then the user
# PostgreSQL's search counts the full-text matches first, to choose the fallback or not.
FULL_TEXT_CHECK = 1 if connection.vendor == "postgresql" else 0


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_url(film_list):
    return reverse("feedback:film_list_add", args=[film_list.pk])


def titles(film_list):
    return list(film_list.entries.order_by("position").values_list("movie__title", flat=True))


def found(response):
    return [(movie.title, movie.on_list) for movie in response.context["films_found"]]


@pytest.fixture
def film_list(user):
    film_list = FilmListFactory(user=user, name="Harbour films")
    FilmListEntryFactory(film_list=film_list, movie=MovieFactory(title="The Harbour Lights"))
    return film_list


def test_the_page_offers_the_search_and_no_results_before_a_search(user_client, film_list):
    response = user_client.get(film_list.get_absolute_url())

    assert response.context["films_found"] is None
    html = response.content.decode()
    assert 'name="find"' in html
    assert "Add a film" in html


def test_the_search_finds_films_by_title_and_marks_those_on_the_list(user_client, film_list):
    MovieFactory(title="Harbour of Shadows")
    MovieFactory(title="Alphaville")

    response = user_client.get(film_list.get_absolute_url(), {"find": "harbour"})

    assert sorted(found(response)) == [("Harbour of Shadows", False), ("The Harbour Lights", True)]
    html = response.content.decode()
    assert f'action="{add_url(film_list)}"' in html
    assert html.count('name="film"') == 1  # no button for the film already on the list
    assert "on this list" in html


def test_the_search_shows_the_best_matches_only(user_client, film_list):
    MovieFactory.create_batch(FILMS_FOUND + 5, title="Harbour")

    response = user_client.get(film_list.get_absolute_url(), {"find": "harbour"})

    assert len(found(response)) == FILMS_FOUND


def test_a_search_that_finds_nothing_says_so(user_client, film_list):
    response = user_client.get(film_list.get_absolute_url(), {"find": "zzzyx"})

    assert response.context["films_found"] == []
    assert "No film matches “zzzyx”." in response.content.decode()


@pytest.mark.parametrize(
    ("find", "error"),
    [
        ("a" * (QUERY_MAX_LENGTH + 1), "Ensure this value has at most"),
        ("harbour\x00", "Null characters are not allowed."),
    ],
)
def test_a_search_the_form_refuses_says_why_and_searches_nothing(
    user_client, film_list, find, error
):
    response = user_client.get(film_list.get_absolute_url(), {"find": find})

    assert response.status_code == HTTPStatus.OK
    assert response.context["films_found"] is None
    assert error in response.content.decode()


def test_a_film_found_is_added_at_the_end_and_the_search_is_kept(user_client, film_list):
    movie = MovieFactory(title="Harbour of Shadows")
    searched = f"{film_list.get_absolute_url()}?find=harbour"

    response = user_client.post(add_url(film_list), {"film": movie.pk, "next": searched})

    assert response["Location"] == searched
    assert titles(film_list) == ["The Harbour Lights", "Harbour of Shadows"]
    assert messages_of(response) == ["“Harbour of Shadows” is on your list “Harbour films”."]


def test_a_film_added_twice_stays_once_and_says_so(user_client, film_list):
    movie = film_list.entries.get().movie

    response = user_client.post(add_url(film_list), {"film": movie.pk})

    assert response["Location"] == film_list.get_absolute_url()
    assert titles(film_list) == ["The Harbour Lights"]
    assert messages_of(response) == [
        "“The Harbour Lights” was already on your list “Harbour films”."
    ]


@pytest.mark.parametrize("film", ["", "abc", "0", "999999", "9" * 30])
def test_a_film_that_is_none_adds_nothing_and_says_so(user_client, film_list, film):
    response = user_client.post(add_url(film_list), {"film": film})

    assert response.status_code == HTTPStatus.FOUND
    assert titles(film_list) == ["The Harbour Lights"]
    assert messages_of(response) == ["That film is not in the catalog: nothing was added."]


def test_only_the_owner_sees_the_page_and_adds_to_the_list(client, film_list, other_user):
    movie = MovieFactory(title="Harbour of Shadows")
    client.force_login(other_user)

    assert client.get(film_list.get_absolute_url(), {"find": "harbour"}).status_code == 404
    response = client.post(add_url(film_list), {"film": movie.pk})

    assert titles(film_list) == ["The Harbour Lights"]
    assert messages_of(response) == [LIST_ALREADY_DELETED]


def test_adding_is_a_post_with_a_csrf_token(user, film_list):
    movie = MovieFactory()
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(user)

    assert checked.post(add_url(film_list), {"film": movie.pk}).status_code == 403
    assert checked.get(add_url(film_list)).url == film_list.get_absolute_url()
    assert titles(film_list) == ["The Harbour Lights"]


@pytest.mark.parametrize("films", [3, 30])
def test_the_page_with_films_found_runs_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries, films
):
    genres = GenreFactory.create_batch(2)
    film_list = FilmListFactory(user=user)
    for number in range(films):
        movie = MovieFactory(title=f"Harbour {number}", genres=genres)
        if number % 2:
            FilmListEntryFactory(film_list=film_list, movie=movie)

    # the list, the count of its films, a page of them, their genres; the films found,
    # each marked on the list or not
    with django_assert_num_queries(LOGGED_IN + 5 + FULL_TEXT_CHECK):
        response = user_client.get(film_list.get_absolute_url(), {"find": "harbour"})
        html = response.content.decode()

    assert len(found(response)) == min(films, FILMS_FOUND)
    assert "on this list" in html
