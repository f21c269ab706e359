"""The URLs that act on a POST only, opened with a GET: sent to the page the action
belongs to, or for a delete a page that asks first, or for "I watched this" its whole
form; never a blank 405, and nothing changes. Every such view of the site is here but
logging out, which asks instead (tests/config/test_accounts.py)."""

from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from feedback.models import UserFeedback, ViewingHistory
from recommendations.models import RecommendationLog
from tests.factories import (
    MediaFactory,
    MovieFactory,
    RecommendationLogFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(user):
    media = MediaFactory(media_id="plex://movie/5d77", movie=MovieFactory())
    return {
        "media": media,
        "movie": media.movie,
        "feedback": UserFeedbackFactory(user=user, media=media),
        "viewing": ViewingHistoryFactory(user=user, media=media),
        "pick": RecommendationLogFactory(user=user, media=media),
    }


def actions(rows) -> list[tuple[str, str]]:
    """(the action's URL, the page it belongs to)."""
    tonight = reverse("recommendations:tonight")
    return [
        (reverse("recommendations:select", args=[rows["pick"].pk]), tonight),
        (reverse("recommendations:another"), tonight),
        (reverse("time_zone_change"), reverse("account_settings")),
        *form_actions(rows),
        *confirmed_actions(rows),
    ]


def form_actions(rows) -> list[tuple[str, str]]:
    """ "I watched this", whose button says less than its form: a GET shows the form."""
    media_id = rows["media"].media_id
    return [
        (
            reverse("feedback:media_watched", args=[media_id]),
            reverse("feedback:media_detail", args=[media_id]),
        ),
        (
            reverse("feedback:movie_watched", args=[rows["movie"].pk]),
            rows["movie"].get_absolute_url(),
        ),
    ]


def confirmed_actions(rows) -> list[tuple[str, str]]:
    """The deletes, which cannot be undone: a GET of their URL asks first."""
    media_id = rows["media"].media_id
    return [
        (
            reverse("feedback:feedback_delete", args=[media_id]),
            reverse("feedback:media_detail", args=[media_id]),
        ),
        (
            reverse("feedback:history_delete", args=[rows["viewing"].pk]),
            reverse("feedback:history"),
        ),
    ]


def what_is_stored(user):
    return (
        ViewingHistory.objects.filter(user=user).count(),
        UserFeedback.objects.filter(user=user).count(),
        list(RecommendationLog.objects.filter(user=user).values_list("slate_id", "selected")),
    )


@pytest.mark.parametrize("logged_in", [True, False], ids=["logged-in", "anonymous"])
def test_a_get_goes_to_the_action_s_page_and_changes_nothing(client, user, rows, logged_in):
    if logged_in:
        client.force_login(user)
    before = what_is_stored(user)

    for url, page in actions(rows):
        if (url, page) in [*form_actions(rows), *confirmed_actions(rows)]:
            continue
        get, head = client.get(url), client.head(url)

        assert (get.status_code, get["Location"]) == (HTTPStatus.FOUND, page), url
        assert (head.status_code, head["Location"]) == (HTTPStatus.FOUND, page), url
    assert what_is_stored(user) == before


def test_a_get_of_a_delete_asks_first_and_changes_nothing(user_client, user, rows):
    before = what_is_stored(user)

    for url, _ in confirmed_actions(rows):
        get, head = user_client.get(url), user_client.head(url)

        assert (get.status_code, head.status_code) == (HTTPStatus.OK, HTTPStatus.OK), url
        assert f'<form class="form-actions" method="post" action="{url}">' in get.content.decode()
    assert what_is_stored(user) == before


def test_a_get_of_i_watched_this_shows_its_form_and_changes_nothing(user_client, user, rows):
    before = what_is_stored(user)

    for url, page in form_actions(rows):
        get, head = user_client.get(url), user_client.head(url)

        assert (get.status_code, head.status_code) == (HTTPStatus.OK, HTTPStatus.OK), url
        html = get.content.decode()
        assert f'<form class="watched-form" method="post" action="{url}" novalidate>' in html
        assert f'<a href="{page}">Cancel</a>' in html
    assert what_is_stored(user) == before


def test_someone_logged_out_asking_to_delete_logs_in_and_comes_back_to_the_question(
    client, user, rows
):
    before = what_is_stored(user)

    for url, _ in [*form_actions(rows), *confirmed_actions(rows)]:
        response = client.get(url)

        assert response["Location"] == f"{reverse('login')}?{urlencode({'next': url}, safe='/')}"
    assert what_is_stored(user) == before


def test_other_methods_are_refused_with_the_ones_allowed(user_client, user, rows):
    before = what_is_stored(user)

    for url, _ in actions(rows):
        response = user_client.put(url)

        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, url
        assert response["Allow"] == "GET, HEAD, POST"
    assert what_is_stored(user) == before


def test_someone_logged_out_is_sent_to_log_in_and_back_to_the_action_s_page(client, user, rows):
    before = what_is_stored(user)

    for url, page in actions(rows):
        response = client.post(url)

        assert (
            response["Location"] == f"{reverse('login')}?{urlencode({'next': page}, safe='/')}"
        ), url
    assert what_is_stored(user) == before
