"""A finished viewing written in the admin says "watched to completion", as one written
through the site does (feedback.services.viewing_feedback_follows): added finished,
changed to finished, or a finished one moved to another start. A change that says
nothing new of finishing (the minutes, the item) leaves the feedback alone. The admin's
writes take the person's lock, as the site's do."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Rating, RatingSource
from feedback.models import UserFeedback
from feedback.services import marquee_rating_sync
from feedback.watchlist import watchlist_add
from tests.at_once import at_once
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)
from tests.feedback.test_admin_watchlist import feedback_form, listed, moment, viewing_form
from tests.feedback.test_rating_rule_paths import day, post_ok

pytestmark = pytest.mark.django_db

ADD = reverse("admin:feedback_viewinghistory_add")


def change_url(viewing) -> str:
    return reverse("admin:feedback_viewinghistory_change", args=[viewing.pk])


def edited(viewing, *, user, media, on: int, completed: bool) -> dict:
    """The viewing's change form as a browser sends it: with the hidden copy of the start
    it showed, by which Django tells whether the start was changed (a field with a
    callable default)."""
    shown = moment("initial-started_at", viewing.started_at)
    return viewing_form(user=user, media=media, on=on, completed=completed) | shown


def said_of(user, media) -> tuple | None:
    """What the person's feedback on the item says of finishing it, and its date."""
    feedback = UserFeedback.objects.filter(user=user, media=media).first()
    return None if feedback is None else (feedback.watched_completion, feedback.timestamp)


@pytest.fixture
def heat():
    return MediaFactory(movie=MovieFactory(title="Heat"))


def test_a_finished_viewing_added_creates_feedback_dated_by_it(staff_client, user, heat):
    post_ok(staff_client, ADD, viewing_form(user=user, media=heat, on=2, completed=True))

    assert said_of(user, heat) == (True, day(2))


def test_a_viewing_added_part_way_creates_no_feedback(staff_client, user, heat):
    post_ok(staff_client, ADD, viewing_form(user=user, media=heat, on=2, completed=False))

    assert said_of(user, heat) is None


def test_a_viewing_changed_to_finished_says_so_and_the_rating_stays(staff_client, user, heat):
    UserFeedbackFactory(user=user, media=heat, watched_completion=None, rating=4, timestamp=day(1))
    viewing = ViewingHistoryFactory(user=user, media=heat, started_at=day(2), completed=False)

    post_ok(
        staff_client,
        change_url(viewing),
        edited(viewing, user=user, media=heat, on=2, completed=True),
    )

    assert said_of(user, heat) == (True, day(1))
    assert UserFeedback.objects.get(user=user, media=heat).rating == 4


def test_only_the_minutes_changed_leaves_feedback_said_since_alone(staff_client, user, heat):
    """The person cleared "watched to completion" after the viewing: correcting the
    viewing's minutes does not say again that they finished it (viewing_update's rule)."""
    viewing = ViewingHistoryFactory(user=user, media=heat, started_at=day(2), completed=True)
    UserFeedbackFactory(user=user, media=heat, watched_completion=None, rating=3, timestamp=day(3))

    form = edited(viewing, user=user, media=heat, on=2, completed=True) | {"minutes_watched": 95}
    post_ok(staff_client, change_url(viewing), form)

    assert said_of(user, heat) == (None, day(3))


def test_did_not_finish_gives_way_to_a_finished_viewing_moved_after_it(staff_client, user, heat):
    """ "Did not finish", rated, said on day 3; the finished viewing moved from day 2 to
    day 5: the person finished it since. The feedback is newer now, and the Marquee rating
    follows it to its new date."""
    viewing = ViewingHistoryFactory(user=user, media=heat, started_at=day(2), completed=True)
    UserFeedbackFactory(user=user, media=heat, watched_completion=False, rating=2, timestamp=day(3))
    marquee_rating_sync(user_id=user.pk, movie_id=heat.movie_id)

    post_ok(
        staff_client,
        change_url(viewing),
        edited(viewing, user=user, media=heat, on=5, completed=True),
    )

    assert said_of(user, heat) == (True, day(5))
    rating = Rating.objects.get(user=user, movie=heat.movie, source=RatingSource.MARQUEE)
    assert (rating.value, rating.rated_at) == (2, day(5))


@pytest.mark.parametrize("viewing_first", [True, False], ids=["viewing-first", "feedback-first"])
def test_a_finished_viewing_moved_to_another_item_leaves_its_feedback_free_to_follow(
    staff_client, user, heat, viewing_first
):
    """Staff move what an item holds to a new id (the admin's MEDIA_ID_IS_FIXED): the
    viewing and the feedback, in either order. Moving the viewing says nothing new of
    finishing, so it makes no feedback on the new item that the moved one would clash
    with."""
    viewing = ViewingHistoryFactory(user=user, media=heat, started_at=day(2), completed=True)
    feedback = UserFeedbackFactory(user=user, media=heat, watched_completion=True, timestamp=day(2))
    new = MediaFactory(media_id="jellyfin:1", movie=heat.movie)
    move_viewing = (
        change_url(viewing),
        edited(viewing, user=user, media=new, on=2, completed=True),
    )
    move_feedback = (
        reverse("admin:feedback_userfeedback_change", args=[feedback.pk]),
        feedback_form(user=user, media=new, on=2, watched_completion="true")
        | moment("initial-timestamp", feedback.timestamp),
    )

    for url, data in [move_viewing, move_feedback][:: 1 if viewing_first else -1]:
        post_ok(staff_client, url, data)

    assert said_of(user, new) == (True, day(2))
    assert said_of(user, heat) is None


WRITTEN_IN_THE_ADMIN = {
    "viewing": (
        ADD,
        lambda user, media: viewing_form(user=user, media=media, on=0, completed=True),
    ),
    "feedback": (
        reverse("admin:feedback_userfeedback_add"),
        lambda user, media: feedback_form(user=user, media=media, on=0),
    ),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("written", WRITTEN_IN_THE_ADMIN)
def test_an_admin_write_waits_for_the_persons_add_to_the_watchlist(staff_user, user, heat, written):
    """The person adds the film to their watchlist while staff log the viewing or the
    feedback that says they just saw it: the admin's write comes second, so the film
    leaves the list. Without the person's lock the admin's clean-up read the list before
    the add committed, and the film stayed (on PostgreSQL; SQLite's IMMEDIATE
    transactions take turns anyway)."""
    url, form = WRITTEN_IN_THE_ADMIN[written]
    field = "started_at" if written == "viewing" else "timestamp"
    # A minute from now: after the film went on the list, whenever the add runs.
    data = form(user, heat) | moment(field, timezone.now() + dt.timedelta(minutes=1))
    client = Client()
    client.force_login(staff_user)

    errors = at_once(
        lambda: watchlist_add(user=user, movie=heat.movie),
        lambda: post_ok(client, url, data),
        stagger=0.1,
    )

    assert errors == []
    assert listed(user) == set()
