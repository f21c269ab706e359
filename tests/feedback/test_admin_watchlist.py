"""Feedback and viewings written in the admin take a film off the watchlist as the pages'
do (feedback/watchlist.py): a viewing added or changed to finished, feedback added, feedback
in a media item's inline, and an item linked to another film; each only for an entry put
there before the viewing's start or the feedback's timestamp, and only its person's."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import WatchlistEntry
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)
from tests.feedback.test_rating_rule_paths import day, post_ok
from tests.feedback.test_rating_rule_paths import media_form as item_form

pytestmark = pytest.mark.django_db


def moment(name: str, when: dt.datetime) -> dict:
    local = timezone.localtime(when)
    return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}


def listed(user) -> set:
    return set(WatchlistEntry.objects.filter(user=user).values_list("movie__title", flat=True))


@pytest.fixture
def heat():
    return MediaFactory(movie=MovieFactory(title="Heat"))


@pytest.fixture
def on_watchlists(user, other_user, heat):
    """Heat on both people's watchlists since day 1."""
    for person in (user, other_user):
        WatchlistEntryFactory(user=person, movie=heat.movie, added_at=day(1))


def viewing_form(*, user, media, on: int, completed: bool) -> dict:
    data = {
        "user": user.pk,
        "media": media.pk,
        "minutes_watched": 170,
        **moment("started_at", day(on)),
    }
    return data | ({"completed": "on"} if completed else {})


def feedback_form(*, user, media, on: int, watched_completion="true") -> dict:
    return {
        "user": user.pk,
        "media": media.pk,
        "watched_completion": watched_completion,
        "would_watch_again": "unknown",
        "rating": "5",
        **moment("timestamp", day(on)),
    }


# Viewings


def test_a_finished_viewing_added_in_the_admin_takes_the_film_off(
    staff_client, user, other_user, heat, on_watchlists
):
    post_ok(
        staff_client,
        reverse("admin:feedback_viewinghistory_add"),
        viewing_form(user=user, media=heat, on=2, completed=True),
    )

    assert listed(user) == set()
    assert listed(other_user) == {"Heat"}


def test_a_viewing_changed_to_finished_in_the_admin_takes_the_film_off(
    staff_client, user, heat, on_watchlists
):
    viewing = ViewingHistoryFactory(user=user, media=heat, started_at=day(2), completed=False)

    post_ok(
        staff_client,
        reverse("admin:feedback_viewinghistory_change", args=[viewing.pk]),
        viewing_form(user=user, media=heat, on=2, completed=True),
    )

    assert listed(user) == set()


# Feedback, on its own page


def test_feedback_added_in_the_admin_takes_the_film_off(
    staff_client, user, other_user, heat, on_watchlists
):
    post_ok(
        staff_client,
        reverse("admin:feedback_userfeedback_add"),
        feedback_form(user=user, media=heat, on=2),
    )

    assert listed(user) == set()
    assert listed(other_user) == {"Heat"}


VIEWING, FEEDBACK = "admin:feedback_viewinghistory_add", "admin:feedback_userfeedback_add"


@pytest.mark.parametrize(
    ("view", "form", "fields"),
    [
        (VIEWING, viewing_form, {"on": 2, "completed": False}),
        (VIEWING, viewing_form, {"on": 0, "completed": True}),
        (FEEDBACK, feedback_form, {"on": 2, "watched_completion": "false"}),
        (FEEDBACK, feedback_form, {"on": 0}),
    ],
    ids=[
        "a viewing not finished",
        "a viewing from before the entry",
        "feedback that says did not finish",
        "feedback from before the entry",
    ],
)
def test_what_does_not_say_watched_since_the_entry_leaves_the_film_on(
    staff_client, user, heat, on_watchlists, view, form, fields
):
    post_ok(staff_client, reverse(view), form(user=user, media=heat, **fields))

    assert listed(user) == {"Heat"}


# The media item's page: its feedback inline, and the film it is linked to


def media_form(media, *, movie, new=()) -> dict:
    """The item's change form, with new feedback rows (user, day) in its inline."""
    data = item_form(media, movie=movie) | {"feedback-TOTAL_FORMS": len(new)}
    for number, (user, on) in enumerate(new):
        row = {"media": media.pk, "user": user.pk, "watched_completion": "unknown"}
        row |= {"would_watch_again": "true", "rating": "", **moment("timestamp", day(on))}
        data |= {f"feedback-{number}-{name}": value for name, value in row.items()}
    return data


def test_feedback_added_in_the_items_inline_takes_the_film_off(
    staff_client, user, other_user, heat, on_watchlists
):
    late = UserFactory()
    WatchlistEntryFactory(user=late, movie=heat.movie, added_at=day(3))

    post_ok(
        staff_client,
        reverse("admin:feedback_media_change", args=[heat.pk]),
        media_form(heat, movie=heat.movie, new=[(user, 2), (late, 2)]),
    )

    assert listed(user) == set()
    assert listed(late) == {"Heat"}  # put there after the feedback, to see it again
    assert listed(other_user) == {"Heat"}


def test_an_item_linked_to_another_film_takes_that_film_off(staff_client, user, other_user):
    item = MediaFactory(movie=MovieFactory(title="Heat"))
    collateral = MovieFactory(title="Collateral")
    for person in (user, other_user):
        WatchlistEntryFactory(user=person, movie=collateral, added_at=day(1))
    ViewingHistoryFactory(user=user, media=item, started_at=day(2), completed=True)
    UserFeedbackFactory(user=other_user, media=item, timestamp=day(2), watched_completion=None)
    stays = UserFactory()
    WatchlistEntryFactory(user=stays, movie=collateral, added_at=day(1))
    ViewingHistoryFactory(user=stays, media=item, started_at=day(2), completed=False)

    post_ok(
        staff_client,
        reverse("admin:feedback_media_change", args=[item.pk]),
        media_form(item, movie=collateral),
    )

    assert listed(user) == set()
    assert listed(other_user) == set()
    assert listed(stays) == {"Collateral"}


@pytest.mark.parametrize("rows", [2, 12])
def test_the_inline_clears_the_watchlists_in_one_query_for_2_rows_or_12(staff_client, heat, rows):
    people = UserFactory.create_batch(rows)
    for person in people:
        WatchlistEntryFactory(user=person, movie=heat.movie, added_at=day(1))

    with CaptureQueriesContext(connection) as queries:
        post_ok(
            staff_client,
            reverse("admin:feedback_media_change", args=[heat.pk]),
            media_form(heat, movie=heat.movie, new=[(person, 2) for person in people]),
        )

    assert len([q for q in queries if "feedback_watchlistentry" in q["sql"]]) == 1
    assert not WatchlistEntry.objects.exists()
