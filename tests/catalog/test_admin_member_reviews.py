"""The review admin tells members' reviews from imported ones, and finds a member's."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import WatchlistEntry
from tests import factories
from tests.admin_forms import post_form, posted_back

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


# A member's review added in the admin says they saw the film, as review_save's does.


def review_form(*, user, movie, posted_at) -> dict:
    local = timezone.localtime(posted_at)
    return {
        "movie": movie.pk,
        "source": "user",
        "user": user.pk,
        "text": "Saw it at last.",
        "posted_at_0": local.strftime("%Y-%m-%d"),
        "posted_at_1": local.strftime("%H:%M:%S"),
        "sentiment_label": "",
    }


def listed(user) -> bool:
    return WatchlistEntry.objects.filter(user=user).exists()


@pytest.mark.parametrize(("days_after_the_entry", "still_listed"), [(1, False), (-1, True)])
def test_a_review_added_in_the_admin_takes_the_film_off_if_posted_after_the_entry(
    staff_client, user, other_user, days_after_the_entry, still_listed
):
    movie = factories.MovieFactory()
    added = timezone.now().replace(microsecond=0) - dt.timedelta(days=10)
    for person in (user, other_user):
        factories.WatchlistEntryFactory(user=person, movie=movie, added_at=added)
    posted_at = added + dt.timedelta(days=days_after_the_entry)

    response = staff_client.post(
        reverse("admin:catalog_review_add"),
        review_form(user=user, movie=movie, posted_at=posted_at),
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert listed(user) is still_listed
    assert listed(other_user)


def edited_in_the_admin(client, review, **fields):
    """The review's change page posted back as drawn, with `fields` changed."""
    url = reverse("admin:catalog_review_change", args=[review.pk])
    pairs = [(k, v) for k, v in posted_back(client.get(url), "review_form") if k not in fields]
    return post_form(client, url, [*pairs, *fields.items()])


@pytest.fixture
def liked():
    """A review scored from its words, as the site scores it."""
    return factories.ReviewFactory(
        text="A wonderful, joyous film. I loved it.",
        sentiment_score=0.9,
        sentiment_label="positive",
    )


def test_a_text_changed_in_the_admin_is_scored_again(staff_client, liked):
    review = liked
    response = edited_in_the_admin(
        staff_client, review, text="A dreadful, boring mess. I hated every minute."
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    review.refresh_from_db()
    assert review.sentiment_label == "negative"
    assert review.sentiment_score < 0


def test_a_score_staff_give_with_the_text_is_kept(staff_client, liked):
    review = liked
    response = edited_in_the_admin(
        staff_client,
        review,
        text="A dreadful, boring mess. I hated every minute.",
        sentiment_score="0.5",
        sentiment_label="positive",
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    review.refresh_from_db()
    assert (review.sentiment_score, review.sentiment_label) == (0.5, "positive")
