"""Every catalog page runs a fixed number of queries, however many rows it shows.

Each test renders a page whose rows all carry related data (genres, ratings, reviews,
relationships, feedback), so that a query per row would show as a higher count.
"""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    GenreFactory,
    MediaFactory,
    MovieFactory,
    MovieRelationshipFactory,
    RatingFactory,
    ReviewFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

LOGGED_IN = 2  # the session, then the user
# PostgreSQL first checks that full text finds something before falling back to titles.
FULL_TEXT_CHECK = 1 if connection.vendor == "postgresql" else 0


def build_catalog(count: int, *, title="Harbour"):
    """`count` films, each in three genres, with ratings from two sources and two reviews."""
    genres = GenreFactory.create_batch(4)
    movies = []
    for number in range(count):
        movie = MovieFactory(
            title=f"{title} {number:02d}",
            genres=genres[number % 2 : number % 2 + 3],
            year=2000 + number % 10,
            release_date=None,
        )
        RatingFactory(movie=movie, value=1 + number % 5)
        RatingFactory(movie=movie, aggregate=True)
        ReviewFactory(movie=movie)
        ReviewFactory(movie=movie, tweet=True)
        movies.append(movie)
    return genres, movies


def build_busy_movie(rows: int, user):
    """One film with `rows` reviews, relationships, and media items each with the user's
    feedback and two viewings."""
    movie = MovieFactory(genres=GenreFactory.create_batch(3))
    RatingFactory(movie=movie)
    RatingFactory(movie=movie, aggregate=True)
    RatingFactory(movie=movie, external=True)
    for number in range(rows):
        ReviewFactory(movie=movie, tweet=number % 2 == 0)
        ReviewFactory(movie=movie, member=True, contains_spoilers=number % 2 == 0)
        MovieRelationshipFactory(
            from_movie=movie, relationship_type=["sequel", "similar", "remake"][number % 3]
        )
        MovieRelationshipFactory(to_movie=movie, relationship_type="prequel")
        RatingFactory(movie=movie, external=True, value=0.5 + number % 10 / 2)
        media = MediaFactory(movie=movie)
        UserFeedbackFactory(user=user, media=media)
        ViewingHistoryFactory.create_batch(2, user=user, media=media)
    return movie


def rows_shown(response):
    return len(response.context["object_list"])


# count + the page's keys + its films + their genres + the genre checkboxes of the form
LIST_QUERIES = 5


# The rating sorts read the catalog's mean rating inside the page's own queries.
@pytest.mark.parametrize("ordering", ["-rating", "rating"])
def test_movie_list(client, django_assert_num_queries, ordering):
    build_catalog(30)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("catalog:movie_list"), {"ordering": ordering})
        assert response.status_code == HTTPStatus.OK

    assert rows_shown(response) == 25
    assert all(len(movie.genres.all()) == 3 for movie in response.context["object_list"])


def test_movie_list_with_every_filter_set(user_client, django_assert_num_queries):
    genres, _ = build_catalog(30)
    params = {
        "title": "harbour",
        "genres": [genre.pk for genre in genres],
        "year_min": 2000,
        "year_max": 2010,
        "runtime_min": 1,
        "runtime_max": 900,
        "rating_min": 1,
        "has_reviews": "true",
        "seen": "unseen",
        "watchlist": "off",
        "ordering": "-votes",
    }

    # + checking the ticked genres exist
    with django_assert_num_queries(LOGGED_IN + LIST_QUERIES + 1):
        response = user_client.get(reverse("catalog:movie_list"), params)

    assert rows_shown(response) == 25


def test_genre_page(client, django_assert_num_queries):
    genres, _ = build_catalog(60)
    genre = genres[2]  # in every film

    # + the genre itself
    with django_assert_num_queries(1 + LIST_QUERIES):
        response = client.get(genre.get_absolute_url())

    assert rows_shown(response) == 25


def test_search_page(user_client, django_assert_num_queries):
    build_catalog(30)

    # + recording the search + the most searched queries
    with django_assert_num_queries(LOGGED_IN + FULL_TEXT_CHECK + LIST_QUERIES + 2):
        response = user_client.get(reverse("catalog:search"), {"q": "harbour"})

    assert rows_shown(response) == 25


def test_search_page_falling_back_to_titles(client, django_assert_num_queries):
    build_catalog(30)

    with django_assert_num_queries(FULL_TEXT_CHECK + LIST_QUERIES + 2):
        response = client.get(reverse("catalog:search"), {"q": "harbo"})

    assert rows_shown(response) == 25


def test_home_page(client, django_assert_num_queries):
    _, movies = build_catalog(30)
    for movie in movies:
        RatingFactory.create_batch(3, movie=movie)

    # popular + their genres, the catalog's mean rating + top rated + their genres, the
    # genre list
    with django_assert_num_queries(6):
        response = client.get(reverse("catalog:home"))

    assert len(response.context["popular"]) == len(response.context["top_rated"]) == 8


# movie + genres + relationships both ways + ratings by source + the spread of its raters'
# values + count and page of reviews + the newest members' reviews with their authors
DETAIL_QUERIES = 9
# media items of the film + the user's feedback on them + the user's viewings of them
# + the user's own review of it + the user's lists, each saying whether it holds the film
# (one query, however many lists: tests/feedback/test_views_film_lists.py)
LIBRARY_QUERIES = 5


def test_movie_page_anonymous(client, user, django_assert_num_queries):
    movie = build_busy_movie(30, user)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(movie.get_absolute_url())

    assert len(response.context["reviews_page"]) == 25
    assert sum(len(group.movies) for group in response.context["related_groups"]) == 60
    assert len(response.context["members_reviews"]) == 5


def test_movie_page_logged_in(user_client, user, django_assert_num_queries):
    movie = build_busy_movie(30, user)
    # Put there after the viewings (a wish to see it again), so it is still there.
    WatchlistEntryFactory(user=user, movie=movie, added_at=timezone.now())

    # The watchlist comes with the film itself, in its query; "I watched this" with its
    # details costs none.
    with django_assert_num_queries(LOGGED_IN + DETAIL_QUERIES + LIBRARY_QUERIES):
        response = user_client.get(movie.get_absolute_url())
        html = response.content.decode()
        assert "On your <a" in html
        assert '<form class="watched-form"' in html

    items = response.context["movie"].library_items
    assert len(items) == 30
    assert all(len(item.user_feedback) == 1 and len(item.user_viewings) == 2 for item in items)


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("catalog:movie_list", {"ordering": "-popularity"}),
        ("catalog:movie_list", {"ordering": "-rating"}),
        ("catalog:search", {"q": "harbour"}),
        ("catalog:home", {}),
    ],
)
def test_lists_cost_the_same_with_5_rows_as_with_30(user_client, name, params):
    build_catalog(5, title="Harbour")
    few = count_queries(user_client, reverse(name), params)

    build_catalog(25, title="Harbour more")
    many = count_queries(user_client, reverse(name), params)

    assert few == many


def test_genre_page_costs_the_same_with_5_rows_as_with_30(user_client):
    genres, _ = build_catalog(5)
    few = count_queries(user_client, genres[2].get_absolute_url())

    for number in range(25):
        MovieFactory(genres=genres[1:3], title=f"More {number}")
    many = count_queries(user_client, genres[2].get_absolute_url())

    assert few == many


def test_movie_page_costs_the_same_with_5_rows_as_with_30(user_client, user):
    few = count_queries(user_client, build_busy_movie(5, user).get_absolute_url())
    many = count_queries(user_client, build_busy_movie(30, user).get_absolute_url())

    assert few == many


def films_shown(response) -> list:
    context = response.context
    if "object_list" in context:
        return list(context["object_list"])
    return [*context["popular"], *context["top_rated"]]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("catalog:movie_list", {"ordering": "-popularity"}),
        ("catalog:search", {"q": "harbour"}),
        ("catalog:home", {}),
        ("genre", {}),
    ],
)
def test_lists_mark_the_visitor_s_watchlist_without_a_query_more(
    user_client, user, other_user, name, params
):
    genres, movies = build_catalog(30)
    url = genres[2].get_absolute_url() if name == "genre" else reverse(name)
    unmarked = count_queries(user_client, url, params)
    mine = set(movies[::2])
    for movie in movies:
        WatchlistEntryFactory(user=other_user, movie=movie)
    for movie in mine:
        WatchlistEntryFactory(user=user, movie=movie)

    with CaptureQueriesContext(connection) as queries:
        response = user_client.get(url, params)
        html = response.content.decode()

    assert len(queries) == unmarked
    shown = films_shown(response)  # the home page may show a film on both its shelves
    marked = [movie for movie in shown if movie.watchlist_added_at]
    assert marked == [movie for movie in shown if movie in mine]
    assert html.count("On your watchlist</span>") == len(marked) > 0


def test_anonymous_visitors_lists_mark_nothing(client, user):
    _, movies = build_catalog(5)
    for movie in movies:
        WatchlistEntryFactory(user=user, movie=movie)

    html = client.get(reverse("catalog:movie_list")).content.decode()

    assert "On your watchlist" not in html
