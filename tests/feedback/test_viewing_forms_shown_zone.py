"""A viewing form is read in the time zone it was shown in: a page opened before the
person changed their zone in another tab saves what it showed, not a time hours away.
The form carries its zone hidden; one the time zone data does not know is a form error."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from feedback.models import ViewingHistory
from tests.factories import MediaFactory, MovieFactory, UserTimeZoneFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db

# 20:00 in Berlin, summer time.
STARTED = dt.datetime(2025, 6, 1, 18, 0, tzinfo=dt.UTC)
UNKNOWN_ZONE = "Mars/Olympus_Mons"


@pytest.fixture
def berlin_client(client, user):
    UserTimeZoneFactory(user=user, time_zone="Europe/Berlin")
    client.force_login(user)
    return client


def zone_changed_elsewhere(client, name: str) -> None:
    """The account page's form, as another tab of the same browser sends it."""
    response = client.post(reverse("time_zone_change"), {"time_zone": name})
    assert response.status_code == HTTPStatus.FOUND


def form_sent_back(html: str) -> dict:
    """The form's fields as the page holds them (the browser sends them back)."""
    return dict(
        re.findall(r'<input type="(?:hidden|datetime-local)" name="(\w+)" value="([^"]*)"', html)
    )


def edit_url(viewing) -> str:
    return reverse("feedback:history_edit", args=[viewing.pk])


@pytest.fixture
def viewing(user):
    return ViewingHistoryFactory(
        user=user, media=MediaFactory(), started_at=STARTED, minutes_watched=40
    )


class TestCorrection:
    def test_a_start_left_as_shown_keeps_its_moment_after_a_zone_change(
        self, berlin_client, viewing
    ):
        shown = form_sent_back(berlin_client.get(edit_url(viewing)).content.decode())
        assert shown["started_at"] == "2025-06-01T20:00"
        zone_changed_elsewhere(berlin_client, "Asia/Tokyo")

        response = berlin_client.post(
            edit_url(viewing), {**shown, "minutes_watched": "95", "completed": "on"}
        )

        assert response.status_code == HTTPStatus.FOUND
        viewing.refresh_from_db()
        assert (viewing.started_at, viewing.minutes_watched) == (STARTED, 95)

    def test_the_form_says_which_zone_its_times_are_in(self, berlin_client, viewing):
        assert (
            "Times are in Europe/Berlin." in berlin_client.get(edit_url(viewing)).content.decode()
        )
        shown = form_sent_back(berlin_client.get(edit_url(viewing)).content.decode())
        zone_changed_elsewhere(berlin_client, "Asia/Tokyo")

        # Shown again with an error, it still says the zone its times were read in.
        response = berlin_client.post(edit_url(viewing), {**shown, "minutes_watched": "-1"})

        assert response.status_code == HTTPStatus.OK
        assert "Times are in Europe/Berlin." in response.content.decode()
        assert "Times are in Asia/Tokyo." in berlin_client.get(edit_url(viewing)).content.decode()

    def test_a_start_changed_is_read_in_the_zone_it_was_shown_in(self, berlin_client, viewing):
        shown = form_sent_back(berlin_client.get(edit_url(viewing)).content.decode())
        zone_changed_elsewhere(berlin_client, "Asia/Tokyo")

        berlin_client.post(
            edit_url(viewing), {**shown, "started_at": "2025-06-01T21:00", "minutes_watched": ""}
        )

        viewing.refresh_from_db()
        assert viewing.started_at == STARTED + dt.timedelta(hours=1)

    def test_the_clocks_change_is_judged_in_the_zone_it_was_shown_in(self, berlin_client, viewing):
        shown = form_sent_back(berlin_client.get(edit_url(viewing)).content.decode())
        zone_changed_elsewhere(berlin_client, "Asia/Tokyo")  # Tokyo has no summer time

        response = berlin_client.post(
            edit_url(viewing), {**shown, "started_at": "2025-03-30T02:30", "minutes_watched": ""}
        )

        assert "does not exist in Europe/Berlin" in response.content.decode()
        viewing.refresh_from_db()
        assert viewing.started_at == STARTED

    def test_a_form_without_its_zone_is_read_in_the_zone_now(self, berlin_client, viewing):
        """A page from before the forms said their zone."""
        berlin_client.post(edit_url(viewing), {"started_at": "2025-06-01T21:00"})

        viewing.refresh_from_db()
        assert viewing.started_at == STARTED + dt.timedelta(hours=1)

    @pytest.mark.parametrize("zone", [UNKNOWN_ZONE, "x" * 5000, "../../etc/passwd", "\x00"])
    def test_a_zone_no_one_knows_is_a_form_error(self, berlin_client, viewing, zone):
        shown = form_sent_back(berlin_client.get(edit_url(viewing)).content.decode())

        response = berlin_client.post(
            edit_url(viewing), {**shown, "shown_in": zone, "minutes_watched": "95"}
        )

        assert response.status_code == HTTPStatus.OK
        assert "time zone Marquee does not know" in response.content.decode()
        viewing.refresh_from_db()
        assert (viewing.started_at, viewing.minutes_watched) == (STARTED, 40)


class TestWatchedForm:
    def test_the_start_shown_is_read_in_the_zone_it_was_shown_in(self, berlin_client, user):
        movie = MovieFactory(year=2001)
        url = reverse("feedback:movie_watched", args=[movie.pk])
        shown = form_sent_back(berlin_client.get(url).content.decode())
        zone_changed_elsewhere(berlin_client, "Asia/Tokyo")

        response = berlin_client.post(
            url, {**shown, "started_at": "2025-06-01T20:00", "completed": "on"}
        )

        assert response.status_code == HTTPStatus.FOUND
        assert ViewingHistory.objects.get(user=user).started_at == STARTED

    def test_a_zone_no_one_knows_is_a_form_error(self, berlin_client, user):
        movie = MovieFactory(year=2001)
        url = reverse("feedback:movie_watched", args=[movie.pk])

        response = berlin_client.post(
            url, {"started_at": "2025-06-01T20:00", "shown_in": UNKNOWN_ZONE, "completed": "on"}
        )

        assert response.status_code == HTTPStatus.OK
        assert "time zone Marquee does not know" in response.content.decode()
        assert not ViewingHistory.objects.filter(user=user).exists()
