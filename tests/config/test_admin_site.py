"""The admin site refuses a NUL in a query string: a 400, never a 500.

PostgreSQL cannot take a NUL in a text parameter, so a search term holding one raised a
DataError there (a 500) while SQLite answered. Both now answer the same.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

AUTOCOMPLETE_FIELDS = [
    {"app_label": "catalog", "model_name": "rating", "field_name": "movie"},
    {"app_label": "catalog", "model_name": "rating", "field_name": "user"},
    {"app_label": "feedback", "model_name": "media", "field_name": "movie"},
]


@pytest.mark.parametrize(
    "field", AUTOCOMPLETE_FIELDS, ids=lambda f: f"{f['model_name']}.{f['field_name']}"
)
def test_an_autocomplete_term_with_a_nul_is_a_bad_request(staff_client, field):
    MovieFactory(title="ab")
    response = staff_client.get(reverse("admin:autocomplete"), {"term": "a\x00b", **field})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_an_autocomplete_term_without_a_nul_still_finds(staff_client):
    movie = MovieFactory(title="Amarcord")
    response = staff_client.get(
        reverse("admin:autocomplete"), {"term": "amar", **AUTOCOMPLETE_FIELDS[0]}
    )
    assert response.status_code == HTTPStatus.OK
    assert [row["text"] for row in response.json()["results"]] == [str(movie)]
