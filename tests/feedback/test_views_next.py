"""Where a form goes back to: its `next` when that is a path on this site, else the page
the action belongs to. Any other `next` (a bare word, a relative path, another site, a
URL name) is ignored, before and after the write, and never answers 500."""

from http import HTTPStatus

import pytest
from django.http import QueryDict
from django.urls import reverse

from feedback.models import UserFeedback, ViewingHistory, WatchlistEntry
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

HISTORY_URL = reverse("feedback:history")
LOCAL = "/library/?page=2"
NOT_LOCAL = [
    "library",  # redirect() took a word without "/" or "." for a URL name: NoReverseMatch
    "x",
    "?page=2",
    "catalog:movie_list",  # a URL name redirect() would have reversed
    "library/",
    "../admin/",
    "//evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "\n/library/",
]
A_VIEWING = {"started_at": "2024-05-01T21:30", "minutes_watched": "20"}


def movie_feedback(user):
    movie = MovieFactory()
    url = reverse("feedback:movie_feedback", args=[movie.pk])
    return url, {"rating": "2"}, movie.get_absolute_url()


def feedback_edit(user):
    media = MediaFactory()
    url = reverse("feedback:feedback_edit", args=[media.media_id])
    return url, {"rating": "2"}, media.get_absolute_url()


def feedback_new(user):
    media = MediaFactory()
    url = reverse("feedback:feedback_new")
    return url, {"media_id": media.media_id, "rating": "2"}, media.get_absolute_url()


def feedback_delete(user):
    media = UserFeedbackFactory(user=user).media
    return reverse("feedback:feedback_delete", args=[media.media_id]), {}, media.get_absolute_url()


def media_watched(user):
    media = MediaFactory()
    return reverse("feedback:media_watched", args=[media.media_id]), {}, media.get_absolute_url()


def movie_watched(user):
    movie = MovieFactory()
    return reverse("feedback:movie_watched", args=[movie.pk]), {}, movie.get_absolute_url()


def history_edit(user):
    viewing = ViewingHistoryFactory(user=user)
    return reverse("feedback:history_edit", args=[viewing.pk]), A_VIEWING, HISTORY_URL


def history_delete(user):
    viewing = ViewingHistoryFactory(user=user)
    return reverse("feedback:history_delete", args=[viewing.pk]), {}, HISTORY_URL


def movie_watchlist_add(user):
    movie = MovieFactory()
    url = reverse("feedback:movie_watchlist_add", args=[movie.pk])
    return url, {}, movie.get_absolute_url()


def movie_watchlist_remove(user):
    movie = WatchlistEntryFactory(user=user).movie
    url = reverse("feedback:movie_watchlist_remove", args=[movie.pk])
    return url, {}, movie.get_absolute_url()


ACTIONS = [
    movie_feedback,
    feedback_edit,
    feedback_new,
    feedback_delete,
    media_watched,
    movie_watched,
    history_edit,
    history_delete,
    movie_watchlist_add,
    movie_watchlist_remove,
]
FORM_PAGES = [movie_feedback, feedback_edit, feedback_new, history_edit]


def written(user):
    return (
        list(UserFeedback.objects.filter(user=user).values_list("media_id", "rating")),
        list(ViewingHistory.objects.filter(user=user).values_list("pk", "minutes_watched")),
        list(WatchlistEntry.objects.filter(user=user).values_list("movie_id", flat=True)),
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("target", NOT_LOCAL)
def test_a_next_that_is_not_a_local_path_goes_to_the_default_page(
    user_client, user, action, target
):
    url, data, default = action(user)
    before = written(user)

    response = user_client.post(url, data | {"next": target})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == default
    assert written(user) != before  # the write happened once, and the answer says so


@pytest.mark.parametrize("action", ACTIONS)
def test_a_local_next_is_followed(user_client, user, action):
    url, data, _default = action(user)

    response = user_client.post(url, data | {"next": LOCAL})

    assert response["Location"] == LOCAL


@pytest.mark.parametrize("action", FORM_PAGES)
@pytest.mark.parametrize("target", ["foo", "catalog:movie_list", "//evil.example/"])
def test_a_form_page_does_not_carry_a_bad_next_into_its_hidden_field(
    user_client, user, action, target
):
    url, _data, _default = action(user)

    html = user_client.get(url, {"next": target}).content.decode()

    assert '<input type="hidden" name="next" value="">' in html


@pytest.mark.parametrize("action", FORM_PAGES)
def test_a_form_page_carries_a_local_next_into_its_hidden_field(user_client, user, action):
    url, _data, _default = action(user)

    html = user_client.get(url, {"next": LOCAL}).content.decode()

    assert '<input type="hidden" name="next" value="/library/?page=2">' in html


@pytest.mark.parametrize(
    "action",
    [
        feedback_delete,
        media_watched,
        movie_watched,
        history_delete,
        movie_watchlist_add,
        movie_watchlist_remove,
    ],
)
def test_logging_in_first_goes_back_to_the_default_page_not_a_bad_next(client, user, action):
    url, _data, default = action(user)

    response = client.post(url, {"next": "library"})

    login, query = response["Location"].split("?")
    assert (login, QueryDict(query)["next"]) == (reverse("login"), default)
