"""A film finished through the site says "watched to completion", as the imports' do.

"I watched this", the dated viewing form and a history edit that marks a viewing finished
make the person's feedback on the item say they watched it to the end
(feedback.finished_watches.finished_watch_said, the imports' rule): none yet is created, dated by
the viewing; "not said" becomes "yes"; a "did not finish" said before the viewing gives
way, one said after it stands. A viewing stopped part way changes nothing, and deleting
or un-finishing a viewing later undoes nothing. Through the real views, CSRF checked.
"""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Rating
from feedback.models import UserFeedback, ViewingHistory
from feedback.services import media_for_movie
from tests.factories import (
    MovieFactory,
    RatingFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db

LIBRARY_URL = reverse("feedback:library")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def browser(user):
    """A client that, like a browser, must send the page's CSRF token with each POST."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post_from(browser, page: str, url: str, data: dict | None = None):
    """POST `data` to `url` with the token of `page`, the page the form is on."""
    token = TOKEN.search(browser.get(page).content.decode()).group(1)
    response = browser.post(url, {**(data or {}), "csrfmiddlewaretoken": token})
    assert response.status_code == HTTPStatus.FOUND
    return response


def watched_url(movie):
    return reverse("feedback:movie_watched", args=[movie.pk])


def edit_url(viewing):
    return reverse("feedback:history_edit", args=[viewing.pk])


def as_typed(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def days_ago(days: int) -> dt.datetime:
    """That long ago, to the minute, as the form's picker gives it."""
    return (timezone.now() - dt.timedelta(days=days)).replace(second=0, microsecond=0)


def watched_on(browser, movie, started_at: dt.datetime, *, finished: bool = True):
    """The "Watched it another day" form of the film's page, sent: its hidden "false"
    before the box, then the box's "on" when ticked (feedback.forms.FinishedCheckbox)."""
    completed = "on" if finished else "false"
    data = {"started_at": as_typed(started_at), "minutes_watched": "", "completed": completed}
    post_from(browser, watched_url(movie), watched_url(movie), data)


def library_row(browser, title: str, query: str = "") -> str | None:
    """The library's row of the title (its HTML), None if the page leaves it out."""
    html = browser.get(f"{LIBRARY_URL}?{query}").content.decode()
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if title in row]
    return rows[0] if rows else None


def completion_said(row: str) -> str:
    return re.search(r'data-label="Watched to completion">([^<]*)<', row).group(1)


def feedback_of(user, movie) -> UserFeedback:
    return UserFeedback.objects.get(user=user, media__movie=movie)


def test_i_watched_this_makes_the_library_say_watched_to_completion(browser, user):
    aliens = MovieFactory(title="Aliens")

    post_from(browser, aliens.get_absolute_url(), watched_url(aliens))

    viewing = ViewingHistory.objects.get(user=user)
    assert completion_said(library_row(browser, "Aliens")) == "Yes"
    assert library_row(browser, "Aliens", "watched_completion=yes") is not None
    # Created as the imports create it: saying only that, dated by the viewing.
    feedback = feedback_of(user, aliens)
    assert (feedback.watched_completion, feedback.would_watch_again, feedback.rating) == (
        True,
        None,
        None,
    )
    assert feedback.timestamp == viewing.started_at
    assert feedback.media_id == viewing.media_id


def test_a_viewing_on_another_day_creates_feedback_dated_by_it(browser, user):
    aliens = MovieFactory(title="Aliens")
    started = days_ago(30)

    watched_on(browser, aliens, started)

    feedback = feedback_of(user, aliens)
    assert (feedback.watched_completion, feedback.timestamp) == (True, started)


def test_not_said_becomes_watched_to_completion_and_the_rating_stays(browser, user):
    aliens = MovieFactory(title="Aliens")
    rated_at = days_ago(10)
    UserFeedbackFactory(
        user=user,
        media=media_for_movie(movie=aliens),
        watched_completion=None,
        would_watch_again=True,
        rating=4,
        timestamp=rated_at,
    )
    RatingFactory(user=user, movie=aliens, value=4, rated_at=rated_at)

    post_from(browser, aliens.get_absolute_url(), watched_url(aliens))

    feedback = feedback_of(user, aliens)
    assert (feedback.watched_completion, feedback.would_watch_again, feedback.rating) == (
        True,
        True,
        4,
    )
    # Nothing but "finished" was said: the feedback keeps its date, the rating its own.
    assert feedback.timestamp == rated_at
    rating = Rating.objects.get(user=user, movie=aliens)
    assert (rating.value, rating.rated_at) == (4, rated_at)
    assert completion_said(library_row(browser, "Aliens")) == "Yes"


def test_did_not_finish_said_before_the_viewing_gives_way(browser, user):
    aliens = MovieFactory(title="Aliens")
    UserFeedbackFactory(
        user=user,
        media=media_for_movie(movie=aliens),
        watched_completion=False,
        rating=None,
        timestamp=days_ago(20),
    )
    started = days_ago(7)

    watched_on(browser, aliens, started)

    feedback = feedback_of(user, aliens)
    # Dated by the finished viewing it gave way to, as the imports date it.
    assert (feedback.watched_completion, feedback.timestamp) == (True, started)
    assert library_row(browser, "Aliens", "watched_completion=yes") is not None


def test_a_rated_did_not_finish_giving_way_keeps_the_marquee_rating_rule(browser, user):
    aliens = MovieFactory(title="Aliens")
    media = media_for_movie(movie=aliens)
    said_at = days_ago(20)
    UserFeedbackFactory(
        user=user, media=media, watched_completion=False, rating=2, timestamp=said_at
    )
    RatingFactory(user=user, movie=aliens, value=2, rated_at=said_at)
    started = days_ago(7)

    watched_on(browser, aliens, started)

    feedback = feedback_of(user, aliens)
    assert (feedback.watched_completion, feedback.rating) == (True, 2)
    # The rating follows its (now newer) feedback: same value, that feedback's date.
    rating = Rating.objects.get(user=user, movie=aliens)
    assert (rating.value, rating.rated_at) == (2, feedback.timestamp)


def test_did_not_finish_said_after_the_viewing_stands_one_said_before_does_not(browser, user):
    aliens = MovieFactory(title="Aliens")
    heat = MovieFactory(title="Heat")
    said_later, said_earlier = days_ago(3), days_ago(20)
    for movie, said_at in ((aliens, said_later), (heat, said_earlier)):
        UserFeedbackFactory(
            user=user,
            media=media_for_movie(movie=movie),
            watched_completion=False,
            rating=None,
            timestamp=said_at,
        )
    started = days_ago(7)

    watched_on(browser, aliens, started)
    watched_on(browser, heat, started)

    # The person said "did not finish" after the viewing they logged: that stands.
    aliens_feedback = feedback_of(user, aliens)
    assert (aliens_feedback.watched_completion, aliens_feedback.timestamp) == (False, said_later)
    assert completion_said(library_row(browser, "Aliens")) == "No"
    assert completion_said(library_row(browser, "Heat")) == "Yes"


def test_a_viewing_stopped_part_way_changes_nothing_until_said_finished(browser, user):
    aliens = MovieFactory(title="Aliens")
    heat = MovieFactory(title="Heat")
    UserFeedbackFactory(
        user=user,
        media=media_for_movie(movie=heat),
        watched_completion=None,
        rating=3,
        timestamp=days_ago(20),
    )
    started = days_ago(7)

    watched_on(browser, aliens, started, finished=False)
    watched_on(browser, heat, started, finished=False)

    assert not UserFeedback.objects.filter(media__movie=aliens).exists()
    assert feedback_of(user, heat).watched_completion is None
    assert completion_said(library_row(browser, "Aliens")) == "Not said"

    # "Stopped part way", then at once "no, I finished it": the same viewing, finished.
    watched_on(browser, aliens, started)

    assert ViewingHistory.objects.get(media__movie=aliens).completed is True
    assert completion_said(library_row(browser, "Aliens")) == "Yes"
    assert feedback_of(user, heat).watched_completion is None


def test_a_history_edit_marking_a_viewing_finished_says_so(browser, user):
    aliens = MovieFactory(title="Aliens")
    started = days_ago(7)
    viewing = ViewingHistoryFactory(
        user=user, media=media_for_movie(movie=aliens), started_at=started, completed=False
    )
    UserFeedbackFactory(
        user=user, media=viewing.media, watched_completion=None, rating=3, timestamp=started
    )

    post_from(
        browser,
        edit_url(viewing),
        edit_url(viewing),
        {"started_at": as_typed(started), "minutes_watched": "", "completed": "on"},
    )

    assert feedback_of(user, aliens).watched_completion is True
    assert completion_said(library_row(browser, "Aliens")) == "Yes"


def test_a_history_edit_finishing_the_only_viewing_creates_the_feedback(browser, user):
    aliens = MovieFactory(title="Aliens")
    started = days_ago(7)
    viewing = ViewingHistoryFactory(
        user=user, media=media_for_movie(movie=aliens), started_at=started, completed=False
    )
    assert completion_said(library_row(browser, "Aliens")) == "Not said"

    post_from(
        browser,
        edit_url(viewing),
        edit_url(viewing),
        {"started_at": as_typed(started), "minutes_watched": "", "completed": "on"},
    )

    feedback = feedback_of(user, aliens)
    assert (feedback.watched_completion, feedback.timestamp) == (True, started)


def test_deleting_or_unfinishing_the_viewing_later_undoes_nothing(browser, user):
    aliens = MovieFactory(title="Aliens")
    heat = MovieFactory(title="Heat")
    watched_on(browser, aliens, days_ago(7))
    watched_on(browser, heat, days_ago(7))
    aliens_viewing = ViewingHistory.objects.get(media__movie=aliens)
    heat_viewing = ViewingHistory.objects.get(media__movie=heat)

    delete_url = reverse("feedback:history_delete", args=[aliens_viewing.pk])
    post_from(browser, delete_url, delete_url)
    post_from(
        browser,
        edit_url(heat_viewing),
        edit_url(heat_viewing),
        {"started_at": as_typed(heat_viewing.started_at), "minutes_watched": "30"},
    )

    assert not ViewingHistory.objects.filter(pk=aliens_viewing.pk).exists()
    heat_viewing.refresh_from_db()
    assert heat_viewing.completed is False
    assert feedback_of(user, aliens).watched_completion is True
    assert feedback_of(user, heat).watched_completion is True
