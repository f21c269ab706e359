"""An admin page saved without touching a date and time keeps it as stored, to the
microsecond (config/admin_stale.py, unchanged_moments_kept). The admin draws it to the
second: written back, it lost its microseconds at every save, and those order what they
date."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from feedback.models import NotInterested, UserFeedback, ViewingHistory
from recommendations.models import RecommendationLog
from tests import factories
from tests.admin_forms import post_form, posted_back

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 1, 20, 15, 30, 123456, tzinfo=dt.UTC)


def changed(pairs, field: str, value: str) -> list[tuple[str, str]]:
    assert field in dict(pairs), f"{field} is not on the page"
    return [(name, value if name == field else posted) for name, posted in pairs]


def saved(client, url: str, form_id: str, field: str | None = None, value: str = ""):
    pairs = posted_back(client.get(url), form_id)
    response = post_form(client, url, changed(pairs, field, value) if field else pairs)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]


PAGES = [
    # model, its page's name, the form's id, the moment's field, a field staff change
    (UserFeedback, "feedback_userfeedback", "userfeedback_form", "timestamp", "rating"),
    (NotInterested, "feedback_notinterested", "notinterested_form", "turned_down_at", None),
    (ViewingHistory, "feedback_viewinghistory", "viewinghistory_form", "started_at", None),
    (
        RecommendationLog,
        "recommendations_recommendationlog",
        "recommendationlog_form",
        "timestamp",
        "score",
    ),
]
ROWS = {
    UserFeedback: lambda: factories.UserFeedbackFactory(timestamp=MOMENT),
    NotInterested: lambda: factories.NotInterestedFactory(turned_down_at=MOMENT),
    ViewingHistory: lambda: factories.ViewingHistoryFactory(started_at=MOMENT),
    RecommendationLog: lambda: factories.RecommendationLogFactory(timestamp=MOMENT),
}
CHANGES = {"rating": "2", "score": "0.5"}


@pytest.mark.parametrize(("model", "page", "form_id", "moment", "other"), PAGES)
def test_a_page_saved_as_drawn_keeps_its_moment_to_the_microsecond(
    staff_client, model, page, form_id, moment, other
):
    row = ROWS[model]()
    url = reverse(f"admin:{page}_change", args=[row.pk])

    saved(staff_client, url, form_id)
    if other:  # and with another field changed
        saved(staff_client, url, form_id, other, CHANGES[other])

    assert getattr(model.objects.get(pk=row.pk), moment) == MOMENT


def test_an_account_saved_keeps_its_last_login_and_joining_to_the_microsecond(staff_client):
    member = factories.UserFactory(last_login=MOMENT, date_joined=MOMENT)
    url = reverse("admin:auth_user_change", args=[member.pk])

    saved(staff_client, url, "user_form", "first_name", "Ann")

    member = get_user_model().objects.get(pk=member.pk)
    assert (member.first_name, member.last_login, member.date_joined) == ("Ann", MOMENT, MOMENT)


def test_an_inline_row_changed_keeps_the_moment_staff_left(staff_client):
    feedback = factories.UserFeedbackFactory(timestamp=MOMENT, rating=4)
    url = reverse("admin:feedback_media_change", args=[feedback.media_id])
    pairs = posted_back(staff_client.get(url), "media_form")
    rating = next(name for name, _ in pairs if name.endswith("-0-rating"))

    response = post_form(staff_client, url, changed(pairs, rating, "2"))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    feedback = UserFeedback.objects.get(pk=feedback.pk)
    assert (feedback.rating, feedback.timestamp) == (2, MOMENT)


def test_a_moment_staff_change_is_written(staff_client):
    row = factories.NotInterestedFactory(turned_down_at=MOMENT)
    url = reverse("admin:feedback_notinterested_change", args=[row.pk])

    saved(staff_client, url, "notinterested_form", "turned_down_at_1", "21:00:00")

    stored = NotInterested.objects.get(pk=row.pk).turned_down_at
    assert timezone.localtime(stored).time() == dt.time(21, 0)
