"""The dates people give: when they watched, and when they said what they thought.

Nothing was watched before the first film (1888) nor in the future (give or take a
day, for a clock or a time zone that is off). The forms, the services and the import of
a user export refuse both with one message each; the database holds the same lower
bound and a far upper one (2200), since a check constraint cannot read the clock.
"""

import datetime as dt
import json
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import CLOCK_SKEW
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_json
from feedback.models import ViewingHistory
from feedback.services import viewing_record
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import MediaFactory, RatingFactory, UserFeedbackFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db

BEFORE_1888 = "This date is before 1888, the year of the first film."
FUTURE = "This date is in the future."
UTC = dt.UTC


@pytest.fixture(autouse=True)
def new_york(settings):
    # West of Greenwich, where the extreme dates overflowed once turned into UTC and back.
    settings.TIME_ZONE = "America/New_York"


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# The history form


def edit(client, viewing, started_at: str):
    url = reverse("feedback:history_edit", args=[viewing.pk])
    return client.post(url, {"started_at": started_at, "minutes_watched": "40"})


@pytest.mark.parametrize(
    ("started_at", "message"),
    [
        ("9999-12-31T23:59", FUTURE),
        ("2199-06-01T20:00", FUTURE),
        ("0001-01-01T00:00", BEFORE_1888),
        ("1887-06-01T20:00", BEFORE_1888),
    ],
)
def test_the_form_refuses_a_start_out_of_bounds_and_says_why(
    user_client, user, started_at, message
):
    viewing = ViewingHistoryFactory(user=user, minutes_watched=95)

    response = edit(user_client, viewing, started_at)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["started_at"] == [message]
    assert message in response.content.decode()
    assert f'value="{started_at}"' in response.content.decode()
    viewing.refresh_from_db()
    assert viewing.minutes_watched == 95


def test_the_form_refuses_the_day_after_tomorrow(user_client, user):
    viewing = ViewingHistoryFactory(user=user)

    response = edit(user_client, viewing, local_input(timezone.now() + dt.timedelta(days=2)))

    assert response.context["form"].errors["started_at"] == [FUTURE]


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(1888, 1, 1, 12, tzinfo=UTC),
        # A clock a few hours ahead, or a time zone mixed up, is not an error.
        timezone.now() + CLOCK_SKEW - dt.timedelta(hours=1),
    ],
)
def test_the_form_takes_the_first_films_year_and_a_slightly_fast_clock(user_client, user, moment):
    # An episode: a film's viewings start no earlier than the year before the film's
    # (tests/feedback/test_viewing_before_the_film.py).
    viewing = ViewingHistoryFactory(user=user, media=MediaFactory(movie=None))

    response = edit(user_client, viewing, local_input(moment))

    assert response.status_code == HTTPStatus.FOUND
    viewing.refresh_from_db()
    assert viewing.started_at == moment.replace(second=0, microsecond=0)


# The services and the database


@pytest.mark.parametrize(
    ("started_at", "message"),
    [
        (dt.datetime(1, 1, 1, tzinfo=UTC), BEFORE_1888),
        (timezone.now() + dt.timedelta(days=30), FUTURE),
    ],
)
def test_a_viewing_out_of_bounds_is_refused_by_the_service(user, started_at, message):
    with pytest.raises(ValidationError) as excinfo:
        viewing_record(user=user, media=MediaFactory(), started_at=started_at)

    assert excinfo.value.message_dict == {"started_at": [message]}
    assert not ViewingHistory.objects.exists()


def test_feedback_dated_out_of_bounds_is_invalid(user):
    for timestamp, message in (
        (dt.datetime(1850, 1, 1, tzinfo=UTC), BEFORE_1888),
        (timezone.now() + dt.timedelta(days=3), FUTURE),
    ):
        with pytest.raises(ValidationError) as excinfo:
            UserFeedbackFactory.build(
                user=user, media=MediaFactory(), timestamp=timestamp
            ).full_clean()
        assert excinfo.value.message_dict == {"timestamp": [message]}


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(1, 1, 1, tzinfo=UTC),
        dt.datetime(1887, 12, 31, 23, 59, 59, tzinfo=UTC),
        dt.datetime(2200, 1, 1, tzinfo=UTC),
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
def test_the_database_refuses_dates_no_one_could_mean(user, moment):
    media = MediaFactory()
    viewing = {"user_id": user.pk, "media_id": media.media_id, "completed": True}
    feedback = {"user_id": user.pk, "media_id": media.media_id, "rating": 3}

    assert_refused_by_database("feedback_viewinghistory", **viewing, started_at=moment)
    assert_refused_by_database("feedback_userfeedback", **feedback, timestamp=moment)


def test_the_database_takes_the_bounds_it_can_check(user):
    media = MediaFactory()
    first_film = dt.datetime(1888, 1, 1, tzinfo=UTC)
    far_ahead = dt.datetime(2199, 12, 31, 23, 59, tzinfo=UTC)

    for started_at in (first_film, far_ahead):
        raw_insert(
            "feedback_viewinghistory",
            user_id=user.pk,
            media_id=media.media_id,
            started_at=started_at,
            completed=True,
        )

    assert ViewingHistory.objects.count() == 2


# The import of a user export


@pytest.fixture
def exported(user) -> dict:
    media = MediaFactory()
    UserFeedbackFactory(user=user, media=media)
    ViewingHistoryFactory(user=user, media=media)
    RatingFactory(user=user, movie=media.movie)
    return json.loads(export_json(user))


@pytest.mark.parametrize(
    ("kind", "column", "value", "message"),
    [
        ("history", "started_at", "0001-01-01T00:00:00+00:00", f"started_at: {BEFORE_1888}"),
        ("history", "started_at", "2150-01-01T00:00:00+00:00", f"started_at: {FUTURE}"),
        ("feedback", "timestamp", "1850-06-01T12:00:00+00:00", f"timestamp: {BEFORE_1888}"),
        ("feedback", "timestamp", "9999-12-31T23:59:00+00:00", f"timestamp: {FUTURE}"),
        ("ratings", "rated_at", "1850-06-01T12:00:00+00:00", f"rated_at: {BEFORE_1888}"),
        ("ratings", "rated_at", "9999-12-31T23:59:00+00:00", f"rated_at: {FUTURE}"),
        # Before the year 1, or after 9999, once in UTC: no column can hold these.
        ("history", "started_at", "0001-01-01T00:00:00+05:00", "out of range"),
        ("feedback", "timestamp", "9999-12-31T23:59:00-05:00", "out of range"),
        ("ratings", "rated_at", "0001-01-01T00:00:00+05:00", "out of range"),
    ],
)
def test_an_import_refuses_a_date_out_of_bounds_on_one_line(
    user, exported, kind, column, value, message
):
    exported[kind][0][column] = value

    with pytest.raises(ExportFormatError) as excinfo:
        user_export_import(user=user, rows=read_export(json.dumps(exported).encode()))

    assert str(excinfo.value).startswith(f"{kind} row 1: ")
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
