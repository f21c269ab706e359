"""The review admin tells members' reviews from imported ones, and finds a member's."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_review_changelist"


@pytest.fixture
def reviews():
    member = factories.ReviewFactory(member=True, user__username="ripley")
    imported = factories.ReviewFactory(author="A critic")
    return member, imported


@pytest.mark.parametrize(("origin", "expected"), [("member", 0), ("imported", 1)])
def test_the_list_filters_by_origin(staff_client, reviews, origin, expected):
    response = staff_client.get(reverse(CHANGELIST), {"origin": origin})
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["cl"].result_list) == [reviews[expected]]


def test_the_list_shows_and_finds_the_member(staff_client, reviews):
    response = staff_client.get(reverse(CHANGELIST), {"q": "ripley"})
    assert list(response.context["cl"].result_list) == [reviews[0]]
    assert "ripley" in response.content.decode()
    by_user = staff_client.get(reverse(CHANGELIST), {"user__id__exact": reviews[0].user_id})
    assert list(by_user.context["cl"].result_list) == [reviews[0]]


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(CHANGELIST)).status_code == HTTPStatus.OK
    return len(captured)


def test_the_list_reads_its_members_with_the_reviews(staff_client):
    factories.ReviewFactory.create_batch(5, member=True)
    few = changelist_queries(staff_client)
    factories.ReviewFactory.create_batch(25, member=True)
    assert changelist_queries(staff_client) == few


def test_the_user_field_is_an_autocomplete(staff_client, reviews):
    response = staff_client.get(reverse("admin:catalog_review_change", args=[reviews[0].pk]))
    assert response.status_code == HTTPStatus.OK
    assert "admin-autocomplete" in str(response.context["adminform"].form["user"])
