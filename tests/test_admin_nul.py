"""No admin page answers 500 to a NUL character: PostgreSQL refuses to be sent one in any
text (a DataError), where SQLite compares it and finds nothing. A list filtered by a value
holding one gives the admin's "incorrect lookup" redirect, and a page of one object whose
id holds one its "doesn't exist" redirect, on both databases alike."""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.test_admin_huge_ids import OBJECT_PAGES
from tests.test_admin_huge_lookups import FILTERED

pytestmark = pytest.mark.django_db

WITH_NUL = "a\x00b"
# The lists and filters first found to answer 500 on PostgreSQL.
REPORTED = [
    ("catalog_rating", "source__exact"),
    ("catalog_rating", "rater_kind__exact"),
    ("catalog_review", "source__exact"),
    ("catalog_review", "sentiment_label__exact"),
    ("catalog_movietag", "source__exact"),
    ("catalog_movierelationship", "relationship_type__exact"),
    ("feedback_media", "media_type__exact"),
    ("recommendations_recommendationlog", "engine_version"),
    ("recommendations_recommendationlog", "recommendation_type__exact"),
    ("axes_accessattempt", "path_info"),
]


def refused_as_incorrect(response) -> bool:
    return response.status_code == HTTPStatus.FOUND and response["Location"].endswith("?e=1")


@pytest.mark.parametrize(("changelist", "lookup"), REPORTED)
def test_the_reported_filters_with_a_nul_are_refused(staff_client, changelist, lookup):
    response = staff_client.get(reverse(f"admin:{changelist}_changelist"), {lookup: WITH_NUL})

    assert refused_as_incorrect(response)


@pytest.mark.parametrize(("label", "path", "_"), FILTERED)
def test_every_list_refuses_a_nul_in_any_filter(staff_client, label, path, _):
    url = reverse(f"admin:{label.replace('.', '_')}_changelist")

    for lookup in (path, f"{path}__exact", f"{path}__in"):
        assert refused_as_incorrect(staff_client.get(url, {lookup: WITH_NUL})), lookup


def test_a_filter_without_a_nul_still_answers(staff_client):
    url = reverse("admin:catalog_rating_changelist")

    assert staff_client.get(url, {"source__exact": "movielens"}).status_code == HTTPStatus.OK


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_an_id_with_a_nul_does_not_exist(staff_client, page):
    response = staff_client.get(reverse(page, args=[WITH_NUL]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:index")
    message = str(list(get_messages(response.wsgi_request))[-1])
    assert "doesn’t exist" in message
