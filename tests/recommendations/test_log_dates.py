"""A log entry's time makes sense, as the dates people give do: not before the first film,
nor later than tomorrow. An entry typed in the admin as 9999 once made the log's list
and the acceptance report answer 500 on every visit outside UTC."""

import datetime as dt
import uuid
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from catalog.bounds import BEFORE_FIRST_FILM_MESSAGE, IN_THE_FUTURE_MESSAGE
from recommendations.models import RecommendationLog
from tests.conftest import assert_refused_by_database
from tests.factories import MediaFactory, RecommendationLogFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
CHANGELIST = reverse("admin:recommendations_recommendationlog_changelist")
REPORT = reverse("admin:recommendations_recommendationlog_report")


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (dt.datetime(2099, 1, 1, tzinfo=UTC), IN_THE_FUTURE_MESSAGE),
        (dt.datetime(1850, 1, 1, tzinfo=UTC), BEFORE_FIRST_FILM_MESSAGE),
    ],
)
def test_an_impossible_time_is_refused(moment, message):
    entry = RecommendationLogFactory.build(
        media=MediaFactory(), user=UserFactory(), timestamp=moment
    )

    with pytest.raises(ValidationError) as excinfo:
        entry.full_clean()

    assert excinfo.value.message_dict["timestamp"] == [message]


def test_the_database_refuses_what_no_one_can_mean():
    row = {
        "media_id": MediaFactory().pk,
        "user_id": UserFactory().pk,
        "recommendation_type": "primary",
        "reason": "",
        "selected": False,
        "engine_version": "test",
    }
    for moment in (dt.datetime(2200, 1, 1, tzinfo=UTC), dt.datetime(1887, 12, 31, tzinfo=UTC)):
        assert_refused_by_database(
            "recommendations_recommendationlog",
            **row,
            slate_id=uuid.uuid4().hex,
            timestamp=moment,
        )


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC"])
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("9999-12-31", "23:59:59"), IN_THE_FUTURE_MESSAGE),
        (("0001-01-01", "00:00:00"), BEFORE_FIRST_FILM_MESSAGE),
    ],
)
def test_the_admin_refuses_the_time_and_the_log_and_report_still_open(
    staff_client, zone, typed, message
):
    form = {
        "media": MediaFactory().pk,
        "user": UserFactory().pk,
        "recommendation_type": "primary",
        "slate_id": str(uuid.uuid4()),
        "engine_version": "typed",
        "timestamp_0": typed[0],
        "timestamp_1": typed[1],
    }

    with override_settings(TIME_ZONE=zone):
        response = staff_client.post(reverse("admin:recommendations_recommendationlog_add"), form)
        listed = staff_client.get(CHANGELIST)
        report = staff_client.get(REPORT)

    assert response.status_code == HTTPStatus.OK, "saved"
    assert response.context["adminform"].form.errors["timestamp"] == [message]
    assert (listed.status_code, report.status_code) == (HTTPStatus.OK, HTTPStatus.OK)


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/New_York", "UTC"])
def test_the_log_and_report_open_at_the_far_ends_in_any_zone(staff_client, zone):
    """The far ends the database allows, written around validation."""
    for moment in (dt.datetime(1888, 1, 1, tzinfo=UTC), dt.datetime(2199, 12, 31, tzinfo=UTC)):
        entry = RecommendationLogFactory()
        RecommendationLog.objects.filter(pk=entry.pk).update(timestamp=moment)

    with override_settings(TIME_ZONE=zone):
        assert staff_client.get(CHANGELIST).status_code == HTTPStatus.OK
        assert staff_client.get(CHANGELIST, {"timestamp__year": 2199}).status_code == 200
        assert staff_client.get(REPORT).status_code == HTTPStatus.OK
