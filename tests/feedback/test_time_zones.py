"""Each person's pages in their own time zone (feedback.time_zones): the history shows
times in it, the viewing forms read typed times in it, and the zone rides on the session,
so that no page asks the database for it.
"""

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import ViewingHistory
from feedback.time_zones import SESSION_KEY
from tests.factories import (
    DEFAULT_PASSWORD,
    MediaFactory,
    MovieFactory,
    UserTimeZoneFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db

HISTORY_URL = reverse("feedback:history")
# Half an hour after Europe's clocks went forward: 03:30 in Berlin, and still Saturday
# evening in New York.
STARTED = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
# The history page's queries: the session, the user, the count, one page of viewings.
HISTORY_QUERIES = 4


def log_in_with_zone(client, user, name: str):
    UserTimeZoneFactory(user=user, time_zone=name)
    client.force_login(user)
    return client


def zone_queries(captured) -> list[str]:
    return [query["sql"] for query in captured if "feedback_usertimezone" in query["sql"]]


@pytest.mark.parametrize(
    ("zone", "day", "time"),
    [
        ("Europe/Berlin", "Sunday 29 March 2026", "03:30"),
        ("America/New_York", "Saturday 28 March 2026", "21:30"),
        ("", "Sunday 29 March 2026", "01:30"),  # the site's: UTC in the tests
    ],
)
def test_the_history_shows_a_viewing_in_the_person_s_zone(client, user, zone, day, time):
    ViewingHistoryFactory(user=user, started_at=STARTED)
    log_in_with_zone(client, user, zone)

    html = client.get(HISTORY_URL).content.decode()

    assert f">{day}</time>" in html
    assert f">{time}</time>" in html


def test_without_a_zone_of_their_own_the_person_sees_the_site_s(user_client, user, settings):
    settings.TIME_ZONE = "America/New_York"
    ViewingHistoryFactory(user=user, started_at=STARTED)

    html = user_client.get(HISTORY_URL).content.decode()

    assert ">Saturday 28 March 2026</time>" in html
    assert ">21:30</time>" in html


def test_the_watched_form_reads_the_typed_time_in_the_person_s_zone(client, user):
    movie = MovieFactory()
    log_in_with_zone(client, user, "America/New_York")

    response = client.post(
        reverse("feedback:movie_watched", args=[movie.pk]),
        {"started_at": "2026-03-28T21:30", "completed": "on"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert ViewingHistory.objects.get(user=user).started_at == STARTED


def test_a_correction_reads_and_shows_the_start_in_the_person_s_zone(client, user):
    viewing = ViewingHistoryFactory(user=user, started_at=STARTED, media=MediaFactory())
    log_in_with_zone(client, user, "Europe/Berlin")
    url = reverse("feedback:history_edit", args=[viewing.pk])

    shown = client.get(url).content.decode()
    client.post(url, {"started_at": "2026-03-29T04:30", "minutes_watched": "", "completed": "on"})

    assert 'value="2026-03-29T03:30"' in shown
    viewing.refresh_from_db()
    assert viewing.started_at == STARTED + dt.timedelta(hours=1)


def test_the_clocks_change_is_refused_in_the_person_s_zone(client, user):
    log_in_with_zone(client, user, "Europe/Berlin")

    response = client.post(
        reverse("feedback:movie_watched", args=[MovieFactory().pk]),
        {"started_at": "2026-03-29T02:30", "completed": "on"},
    )

    assert "does not exist in Europe/Berlin" in response.content.decode()
    assert not ViewingHistory.objects.exists()


def test_the_zone_costs_no_query_on_a_page(client, user, django_assert_num_queries):
    ViewingHistoryFactory.create_batch(3, user=user, started_at=STARTED)
    log_in_with_zone(client, user, "Europe/Berlin")

    with django_assert_num_queries(HISTORY_QUERIES):
        html = client.get(HISTORY_URL).content.decode()

    assert ">03:30</time>" in html


def test_logging_in_puts_the_zone_on_the_session(client, user):
    UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")

    client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})

    assert client.session[SESSION_KEY] == "Asia/Tokyo"


def test_a_session_from_before_reads_the_zone_once(client, user):
    ViewingHistoryFactory(user=user, started_at=STARTED)
    log_in_with_zone(client, user, "Europe/Berlin")
    session = client.session
    del session[SESSION_KEY]
    session.save()

    with CaptureQueriesContext(connection) as first:
        first_html = client.get(HISTORY_URL).content.decode()
    with CaptureQueriesContext(connection) as second:
        second_html = client.get(HISTORY_URL).content.decode()

    assert len(zone_queries(first)) == 1
    assert ">03:30</time>" in first_html
    assert zone_queries(second) == []
    assert len(second) == HISTORY_QUERIES
    assert ">03:30</time>" in second_html


def test_anonymous_visitors_cost_no_query_and_see_the_site_s_zone(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("catalog:home"))

    assert response.status_code == HTTPStatus.OK
    assert zone_queries(captured) == []
    assert SESSION_KEY not in client.session


def test_a_zone_the_time_zone_data_no_longer_knows_falls_back_to_the_site_s(client, user):
    ViewingHistoryFactory(user=user, started_at=STARTED)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = "Europe/Atlantis"
    session.save()

    response = client.get(HISTORY_URL)

    assert response.status_code == HTTPStatus.OK
    assert ">01:30</time>" in response.content.decode()


def test_the_zone_does_not_outlive_the_request(client, user):
    log_in_with_zone(client, user, "Asia/Tokyo")
    client.get(HISTORY_URL)

    assert timezone.get_current_timezone_name() == "UTC"
