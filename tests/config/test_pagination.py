"""Every paged list answers a ?page= that is no page with the nearest page, never a 404.

Each list below gets two pages of rows, then is asked for pages that do not exist.
"""

import datetime as dt
import uuid
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from config.pagination import NearestPagePaginator
from tests.factories import (
    GenreFactory,
    MovieFactory,
    RecommendationLogFactory,
    ReviewFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db

HUGE = "9" * 20  # beyond a 64-bit integer
FIRST, LAST = 1, 2
# ?page= as typed, and the page it shows when there are two.
ASKED_AND_SHOWN = [
    ("2", 2),
    ("", FIRST),
    ("0", FIRST),
    ("-1", FIRST),
    ("abc", FIRST),
    ("1.5", FIRST),
    ("\x00", FIRST),
    ("3", LAST),
    ("99999", LAST),
    (HUGE, LAST),
    ("last", LAST),
]


def films_in_drama(count: int):
    drama = GenreFactory(name="Drama", slug="drama")
    for number in range(count):
        MovieFactory(title=f"Harbour {number:02d}", genres=[drama])


def earlier_slates(user, count: int):
    for days_ago in range(1, count + 1):
        RecommendationLogFactory(
            user=user, slate_id=uuid.uuid4(), timestamp=timezone.now() - dt.timedelta(days=days_ago)
        )


def reviewed_film():
    movie = MovieFactory()
    ReviewFactory.create_batch(30, movie=movie)
    return movie.get_absolute_url()


def page_shown(client, url: str, params: dict, page: str, page_context: str) -> int:
    response = client.get(url, params | {"page": page})
    assert response.status_code == HTTPStatus.OK, page
    return response.context[page_context].number


def assert_pages_shown(client, url, params=None, page_context="page_obj"):
    shown = {
        asked: page_shown(client, url, params or {}, asked, page_context)
        for asked, _ in ASKED_AND_SHOWN
    }
    assert shown == dict(ASKED_AND_SHOWN)


def test_the_film_list(client):
    films_in_drama(30)
    assert_pages_shown(client, reverse("catalog:movie_list"))


def test_a_genre(client):
    films_in_drama(30)
    assert_pages_shown(client, reverse("catalog:genre_detail", args=["drama"]))


def test_search_results(client):
    films_in_drama(30)
    assert_pages_shown(client, reverse("catalog:search"), {"q": "harbour"})


def test_a_film_s_reviews(client):
    assert_pages_shown(client, reviewed_film(), page_context="reviews_page")


def test_the_library(user_client, user):
    UserFeedbackFactory.create_batch(30, user=user)
    assert_pages_shown(user_client, reverse("feedback:library"))


def test_the_history(user_client, user):
    ViewingHistoryFactory.create_batch(30, user=user)
    assert_pages_shown(user_client, reverse("feedback:history"))


def test_earlier_slates(user_client, user):
    earlier_slates(user, 11)  # 10 a page
    assert_pages_shown(user_client, reverse("recommendations:tonight"))


@pytest.mark.parametrize(("asked", "shown"), [(0, 1), (-3, 1), (3.0, 3), (2.5, 1), (None, 1)])
def test_the_paginator_gives_the_nearest_page(asked, shown):
    assert NearestPagePaginator(range(30), 10).get_page(asked).number == shown
