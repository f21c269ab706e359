"""The ratings and tags changelists read one page, not the whole table.

Imported data sets put millions of rows in both. The date hierarchy ran a SELECT
DISTINCT over every row's date on each page, and a second full count went with the
filtered one: 1.9 s a page with 600k ratings on SQLite, tens of seconds at ml-25m size.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import MovieTagFactory, RatingFactory

pytestmark = pytest.mark.django_db

# Session, user, the count of the rows shown (filtered or not), and the page of rows
# with their films and users.
QUERIES = 4


def ratings_of_every_kind():
    for _ in range(10):
        RatingFactory()
        RatingFactory(external=True)
        RatingFactory(aggregate=True)


@pytest.mark.parametrize("filters", [{}, {"source__exact": "movielens"}], ids=["all", "source"])
def test_the_ratings_changelist_reads_one_page(staff_client, django_assert_num_queries, filters):
    ratings_of_every_kind()
    url = reverse("admin:catalog_rating_changelist")

    with django_assert_num_queries(QUERIES) as queries:
        response = staff_client.get(url, filters)

    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == (10 if filters else 30)
    assert not [query for query in queries if "DISTINCT" in query["sql"]]


def test_the_tags_changelist_reads_one_page(staff_client, django_assert_num_queries):
    for _ in range(20):
        MovieTagFactory()
    url = reverse("admin:catalog_movietag_changelist")

    with django_assert_num_queries(QUERIES) as queries:
        response = staff_client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 20
    assert not [query for query in queries if "DISTINCT" in query["sql"]]
