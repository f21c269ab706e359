"""Correcting a viewing keeps its start exactly unless the person changed it.

The form shows the start to the minute, in the site's time zone. Sent back as shown, it
is the stored start, seconds included, even in the hour a DST change makes happen twice
(which, typed, could be either). A start the person changed is read; one in an hour the
clocks skip or go through twice is refused in words.
"""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from feedback.models import ViewingHistory
from tests.factories import MediaFactory, MovieFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def edit_url(viewing):
    return reverse("feedback:history_edit", args=[viewing.pk])


def shown_start(client, viewing) -> str:
    """The start as the edit page's input shows it."""
    html = client.get(edit_url(viewing)).content.decode()
    return re.search(r'name="started_at" value="([^"]*)"', html).group(1)


def test_changing_only_the_minutes_watched_keeps_the_seconds_of_the_start(user_client, user):
    started = dt.datetime(2024, 5, 1, 21, 14, 37, 250000, tzinfo=UTC)
    viewing = ViewingHistoryFactory(user=user, started_at=started, minutes_watched=95)
    shown = shown_start(user_client, viewing)
    assert shown == "2024-05-01T21:14"

    response = user_client.post(
        edit_url(viewing), {"started_at": shown, "minutes_watched": "40", "completed": "on"}
    )

    assert response.status_code == HTTPStatus.FOUND
    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched) == (started, 40)


def test_a_start_changed_to_another_minute_is_that_minute(user_client, user):
    viewing = ViewingHistoryFactory(
        user=user, started_at=dt.datetime(2024, 5, 1, 21, 14, 37, tzinfo=UTC)
    )

    user_client.post(edit_url(viewing), {"started_at": "2024-05-01T21:20", "minutes_watched": ""})

    viewing.refresh_from_db()
    assert viewing.started_at == dt.datetime(2024, 5, 1, 21, 20, tzinfo=UTC)


@pytest.fixture
def new_york(settings):
    settings.TIME_ZONE = "America/New_York"


# 2 November 2025: New York's clocks go back from 2:00 EDT to 1:00 EST, so 1:00 to 1:59
# happen twice; 9 March 2025 they go forward from 2:00 to 3:00, so 2:00 to 2:59 never do.
FIRST_ONE_THIRTY = dt.datetime(2025, 11, 2, 5, 30, 15, tzinfo=UTC)  # 1:30:15 EDT
SECOND_ONE_THIRTY = dt.datetime(2025, 11, 2, 6, 30, 15, tzinfo=UTC)  # 1:30:15 EST


@pytest.mark.usefixtures("new_york")
@pytest.mark.parametrize("started", [FIRST_ONE_THIRTY, SECOND_ONE_THIRTY])
def test_a_viewing_started_in_the_hour_that_happens_twice_can_be_corrected(
    user_client, user, started
):
    viewing = ViewingHistoryFactory(user=user, started_at=started, completed=False)
    shown = shown_start(user_client, viewing)
    assert shown == "2025-11-02T01:30"

    response = user_client.post(
        edit_url(viewing), {"started_at": shown, "minutes_watched": "40", "completed": "on"}
    )

    assert response.status_code == HTTPStatus.FOUND
    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched, viewing.completed) == (
        started,
        40,
        True,
    )


@pytest.mark.usefixtures("new_york")
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "2025-11-02T01:45",
            "1:45 on 2 November 2025 happens twice in America/New_York, where the clocks go "
            "back that night, so it could be either. Choose a time outside that hour.",
        ),
        (
            "2025-03-09T02:30",
            "2:30 on 9 March 2025 does not exist in America/New_York: the clocks skip it "
            "that night. Choose a time outside that hour.",
        ),
    ],
)
def test_a_start_changed_into_an_hour_the_clocks_change_is_refused_in_words(
    user_client, user, typed, message
):
    started = dt.datetime(2025, 6, 1, 21, 14, 37, tzinfo=UTC)
    viewing = ViewingHistoryFactory(user=user, started_at=started, minutes_watched=95)

    response = user_client.post(edit_url(viewing), {"started_at": typed, "minutes_watched": "40"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["started_at"] == [message]
    assert message in response.content.decode()
    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched) == (started, 95)


@pytest.mark.usefixtures("new_york")
def test_i_watched_this_refuses_an_hour_that_happens_twice_in_the_same_words(user_client, user):
    movie = MovieFactory(title="Ugetsu")

    response = user_client.post(
        reverse("feedback:movie_watched", args=[movie.pk]),
        {"started_at": "2025-11-02T01:45", "completed": "on"},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["started_at"] == [
        "1:45 on 2 November 2025 happens twice in America/New_York, where the clocks go "
        "back that night, so it could be either. Choose a time outside that hour."
    ]
    assert not ViewingHistory.objects.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_edit_page_and_its_save_run_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries, rows
):
    viewings = [
        ViewingHistoryFactory(user=user, media=MediaFactory(movie=MovieFactory()))
        for _ in range(rows)
    ]
    viewing = viewings[-1]

    # session, user, the viewing with its media and film
    with django_assert_num_queries(3):
        html = user_client.get(edit_url(viewing)).content.decode()
    assert viewing.media.title in html

    # Session, user, the viewing; is the film on the watchlist; viewing_update in a
    # savepoint (2), the person's row locked (an add to the watchlist at the same moment
    # takes turns with it), the viewing read again and locked (a delete in another tab
    # may have come first), the one validation: its user and media exist (2; its
    # constraints are its fields' validators', which ask no query); the update, taking the
    # film off the watchlist. The form checks only what was typed: no query. The same for
    # any history.
    with django_assert_num_queries(12):
        response = user_client.post(
            edit_url(viewing),
            {"started_at": shown_start_of(viewing), "minutes_watched": "12", "completed": "on"},
        )
    assert response.status_code == HTTPStatus.FOUND
    viewing.refresh_from_db()
    assert viewing.minutes_watched == 12


def shown_start_of(viewing) -> str:
    return viewing.started_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
