""" "I watched this" with its details: when (a day past as well as now), how long and
whether to the end, from a film's page, its own form page and the watchlist.

The one-click button of the film's page and of the watchlist still records a finished
viewing that starts now (tests/feedback/test_views_media.py).
"""

import datetime as dt
import re
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import BEFORE_FIRST_FILM_MESSAGE, IN_THE_FUTURE_MESSAGE
from feedback.models import ViewingHistory, WatchlistEntry
from tests.factories import MediaFactory, MovieFactory, ViewingHistoryFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db

WATCHLIST_URL = reverse("feedback:watchlist")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def watched_url(movie):
    return reverse("feedback:movie_watched", args=[movie.pk])


def a_week_ago() -> dt.datetime:
    """A week ago, to the minute, as the form's picker gives it."""
    return (timezone.now() - dt.timedelta(days=7)).replace(second=0, microsecond=0)


def as_typed(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def as_said(moment: dt.datetime) -> str:
    """As the messages say it: 8 May 2026, 21:30."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"


def the_form(html: str) -> str:
    return re.search(r'<form class="watched-form".*?</form>', html, re.DOTALL).group(0)


# The form


def test_the_film_page_offers_the_one_click_button_and_the_form_with_details(user_client):
    movie = MovieFactory(title="Ugetsu")

    html = user_client.get(movie.get_absolute_url()).content.decode()

    # One click: nothing but the button, so a finished viewing that starts now.
    one_click = re.search(r'<form [^>]*class="movie-watched-form">.*?</form>', html, re.DOTALL)
    assert f'action="{watched_url(movie)}"' in one_click.group(0)
    assert "started_at" not in one_click.group(0)
    assert "<summary>Watched it another day, or not to the end?</summary>" in html
    form = the_form(html)
    assert f'action="{watched_url(movie)}"' in form
    assert f'<input type="hidden" name="next" value="{movie.get_absolute_url()}">' in form
    assert 'type="datetime-local" name="started_at"' in form
    assert 'name="minutes_watched"' in form
    assert 'name="completed" id="id_completed" checked' in form
    assert "Add to my history</button>" in form


def test_the_form_starts_at_now_and_its_picker_offers_no_day_after_today(user_client):
    movie = MovieFactory()
    before = as_typed(timezone.now())

    html = user_client.get(watched_url(movie)).content.decode()

    after = as_typed(timezone.now())
    started_at = re.search(r'name="started_at" value="([^"]+)"', html).group(1)
    assert before <= started_at <= after
    assert f'max="{timezone.localdate():%Y-%m-%d}T23:59"' in html


def test_the_form_is_in_the_site_s_time_zone(user_client, user, settings):
    settings.TIME_ZONE = "Europe/Paris"
    movie = MovieFactory()

    user_client.post(watched_url(movie), {"started_at": "2024-05-01T21:30", "completed": "on"})

    paris = dt.datetime(2024, 5, 1, 21, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert ViewingHistory.objects.get(user=user).started_at == paris


# Recording with details


def test_a_viewing_of_last_week_not_finished_is_recorded_as_said(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    when = a_week_ago()

    response = user_client.post(
        watched_url(movie),
        {
            "started_at": as_typed(when),
            "minutes_watched": "40",
            "completed": "false",
            "next": movie.get_absolute_url(),
        },
    )

    assert response["Location"] == movie.get_absolute_url()
    viewing = ViewingHistory.objects.get(user=user)
    assert (viewing.started_at, viewing.minutes_watched, viewing.completed) == (when, 40, False)
    said = as_said(when)
    assert messages_of(response) == [f"“Ugetsu”, watched on {said}, is added to your history."]


def test_an_empty_date_means_now(user_client, user):
    movie = MovieFactory()
    before = timezone.now()

    user_client.post(watched_url(movie), {"started_at": "", "completed": "on"})

    assert ViewingHistory.objects.get(user=user).started_at >= before


@pytest.mark.parametrize(
    ("started_at", "message"),
    [
        ((timezone.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), IN_THE_FUTURE_MESSAGE),
        ("1887-12-31T23:59", BEFORE_FIRST_FILM_MESSAGE),
        ("last week", "Enter a valid date/time."),
    ],
)
def test_a_wrong_date_is_shown_with_what_was_typed_and_nothing_is_recorded(
    user_client, started_at, message
):
    movie = MovieFactory()

    response = user_client.post(
        watched_url(movie), {"started_at": started_at, "minutes_watched": "12"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["started_at"] == [message]
    html = response.content.decode()
    assert f'id="id_started_at_error"><p class="error">{message}</p>' in html
    assert f'value="{started_at}"' in html
    assert 'value="12"' in html
    assert not ViewingHistory.objects.exists()


def test_the_same_dated_form_sent_twice_records_one_viewing_and_says_so(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    data = {"started_at": as_typed(a_week_ago()), "completed": "on"}

    user_client.post(watched_url(movie), data)
    again = user_client.post(watched_url(movie), data)

    assert ViewingHistory.objects.filter(user=user).count() == 1
    said = as_said(a_week_ago())
    assert messages_of(again)[-1] == (
        f"Your viewing of “Ugetsu” on {said} was already in your history."
    )


def test_a_dated_form_sent_again_saying_otherwise_corrects_that_viewing(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    when = a_week_ago()

    user_client.post(watched_url(movie), {"started_at": as_typed(when), "completed": "on"})
    again = user_client.post(
        watched_url(movie),
        {
            "started_at": as_typed(when + dt.timedelta(minutes=2)),
            "minutes_watched": "30",
            "completed": "false",
        },
    )

    viewing = ViewingHistory.objects.get(user=user)
    assert (viewing.started_at, viewing.minutes_watched, viewing.completed) == (when, 30, False)
    said = as_said(when)
    assert messages_of(again)[-1] == f"Your viewing of “Ugetsu” on {said} is updated with this."


def test_another_viewing_a_day_apart_is_a_second_viewing(user_client, user):
    media = MediaFactory()
    ViewingHistoryFactory(user=user, media=media, started_at=a_week_ago())

    user_client.post(
        reverse("feedback:media_watched", args=[media.pk]),
        {"started_at": as_typed(a_week_ago() + dt.timedelta(days=1))},
    )

    assert ViewingHistory.objects.filter(user=user, media=media).count() == 2


# The watchlist


def test_a_dated_viewing_takes_the_film_off_the_watchlist_only_if_after_it_was_added(
    user_client, user
):
    before, after = MovieFactory(title="Before"), MovieFactory(title="After")
    for movie in (before, after):
        WatchlistEntryFactory(user=user, movie=movie, added_at=a_week_ago())
    day_before = as_typed(a_week_ago() - dt.timedelta(days=1))
    day_after = as_typed(a_week_ago() + dt.timedelta(days=1))

    seen_before = user_client.post(watched_url(before), {"started_at": day_before})
    seen_after = user_client.post(watched_url(after), {"started_at": day_after})

    assert messages_of(seen_before)[-1].endswith("It stays on your watchlist.")
    assert messages_of(seen_after)[-1].endswith("It is off your watchlist now.")
    assert list(WatchlistEntry.objects.values_list("movie__title", flat=True)) == ["Before"]


def test_each_watchlist_row_leads_to_the_form_and_back(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    WatchlistEntryFactory(user=user, movie=movie)

    html = user_client.get(WATCHLIST_URL, {"ordering": "title"}).content.decode()
    link = f"{watched_url(movie)}?next=/watchlist/%3Fordering%3Dtitle"
    form = user_client.get(link).content.decode()

    assert f'<a class="watched-details-link" href="{link}">Another day, or not' in html
    assert '<input type="hidden" name="next" value="/watchlist/?ordering=title">' in form
    assert '<a href="/watchlist/?ordering=title">Cancel</a>' in form
