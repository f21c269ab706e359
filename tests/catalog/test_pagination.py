"""KeysFirstPaginator: the same pages as Django's Paginator, read key first."""

import pytest
from django.core.paginator import Paginator
from django.db.models import F

from catalog.models import Movie
from catalog.pagination import KeysFirstPaginator
from tests.factories import GenreFactory, MovieFactory, RatingFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 7


@pytest.fixture
def films():
    genres = GenreFactory.create_batch(3)
    for number in range(23):
        movie = MovieFactory(
            title=f"Film {number % 6}",  # ties, broken by the orderings' last key
            year=2000 + number % 4,
            popularity=number % 5,
            genres=genres[number % 2 :],
        )
        for value in range(1, 2 + number % 4):
            RatingFactory(movie=movie, value=value)


def shown(page) -> list[tuple]:
    return [
        (movie.pk, movie.rating_average, movie.rating_count, [g.pk for g in movie.genres.all()])
        for movie in page.object_list
    ]


@pytest.mark.parametrize(
    "ordering",
    [
        ("title", "id"),
        ("-year", "title", "id"),
        (F("rating_average").desc(nulls_last=True), "title", "id"),
        ("-rating_count", "-popularity", "id"),
    ],
    ids=["title", "year", "rating", "votes"],
)
def test_every_page_holds_the_films_django_s_paginator_gives(films, ordering):
    movies = Movie.objects.for_listing().order_by(*ordering)
    expected, paged = Paginator(movies, PER_PAGE), KeysFirstPaginator(movies, PER_PAGE)

    assert paged.num_pages == expected.num_pages == 4
    for number in paged.page_range:
        assert shown(paged.page(number)) == shown(expected.page(number))


def test_a_page_reads_its_keys_then_its_films_then_their_genres(films, django_assert_num_queries):
    paginator = KeysFirstPaginator(Movie.objects.for_listing().order_by("title", "id"), 7)
    paginator.count  # noqa: B018 - counted apart, as the views do

    with django_assert_num_queries(3):
        page = paginator.page(4)
        rows = shown(page)

    assert len(rows) == 2  # 23 films: the last page holds what is left
    assert all(rating_count >= 1 for _, _, rating_count, _ in rows)
