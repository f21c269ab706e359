"""Someone else's id is answered exactly as an id of nothing is.

Every page and action that takes the id of a person's row (a viewing, their feedback on
an item, their watchlist entry for a film, their list of films, a film on it, their
review) is asked twice with the same URL: once while the row is another person's, then
once the row is gone. The two answers must be the same (status, redirects, page, all but
the CSRF token), or the first tells that the id exists; and the other person's row must
come through unchanged.
"""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    ReviewFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
A_CHANGE = {"started_at": "2024-05-01T21:30", "minutes_watched": "1", "completed": "on"}


def answer(client, method: str, url: str, data: dict):
    """All a visitor sees of the answer: the redirects followed, the final status and page."""
    response = getattr(client, method)(url, data, follow=True)
    page = CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())
    return response.redirect_chain, response.status_code, page


def their_viewing(other_user):
    viewing = ViewingHistoryFactory(user=other_user, media__title="Ran", minutes_watched=95)
    return viewing, viewing.pk


def their_feedback(other_user):
    feedback = UserFeedbackFactory(user=other_user, media__title="Ran", rating=4)
    return feedback, feedback.media.media_id


def their_feedback_on_a_film(other_user):
    feedback = UserFeedbackFactory(user=other_user, media__title="Ran", rating=4)
    return feedback, feedback.media.movie_id


def their_watchlist_entry(other_user):
    entry = WatchlistEntryFactory(user=other_user, movie__title="Ran")
    return entry, entry.movie_id


def their_film_list(other_user):
    film_list = FilmListFactory(user=other_user, name="Best of Kurosawa")
    return film_list, film_list.pk


def their_film_list_entry(other_user):
    entry = FilmListEntryFactory(film_list__user=other_user, movie__title="Ran")
    return entry, (entry.film_list_id, entry.movie_id)


def their_review(other_user):
    review = ReviewFactory(member=True, user=other_user, movie__title="Ran")
    return review, review.pk


# (what the URL names, its URL name, method, form data, the answer either way)
CASES = [
    (their_viewing, "feedback:history_edit", "get", {}, HTTPStatus.NOT_FOUND),
    (their_viewing, "feedback:history_edit", "post", A_CHANGE, HTTPStatus.NOT_FOUND),
    (their_viewing, "feedback:history_delete", "get", {}, HTTPStatus.OK),
    (their_viewing, "feedback:history_delete", "post", {}, HTTPStatus.OK),
    (their_feedback, "feedback:feedback_delete", "get", {}, HTTPStatus.OK),
    (their_feedback, "feedback:feedback_delete", "post", {}, HTTPStatus.OK),
    (their_feedback, "feedback:feedback_edit", "get", {}, HTTPStatus.OK),
    (their_feedback, "feedback:media_detail", "get", {}, HTTPStatus.OK),
    (their_feedback_on_a_film, "feedback:movie_feedback", "get", {}, HTTPStatus.OK),
    (their_watchlist_entry, "feedback:movie_watchlist_remove", "post", {}, HTTPStatus.OK),
    (their_film_list, "feedback:film_list", "get", {}, HTTPStatus.NOT_FOUND),
    (their_film_list, "feedback:film_list", "post", {"name": "Mine"}, HTTPStatus.NOT_FOUND),
    (their_film_list, "feedback:film_list_delete", "get", {}, HTTPStatus.OK),
    (their_film_list, "feedback:film_list_delete", "post", {}, HTTPStatus.OK),
    (their_film_list_entry, "feedback:film_list_remove", "post", {}, HTTPStatus.OK),
    (their_review, "catalog:review_delete", "get", {}, HTTPStatus.OK),
    (their_review, "catalog:review_delete", "post", {}, HTTPStatus.OK),
]


def assert_answered_as_nothing(client, row, url: str, method: str, data: dict, status):
    before = type(row).objects.values().get(pk=row.pk)

    while_theirs = answer(client, method, url, data)
    assert type(row).objects.values().get(pk=row.pk) == before  # left as it was
    row.delete()
    once_gone = answer(client, method, url, data)

    assert while_theirs == once_gone
    assert while_theirs[1] == status


@pytest.mark.parametrize(
    ("theirs", "name", "method", "data", "status"),
    CASES,
    ids=[f"{name.split(':')[1]}-{method}" for _, name, method, _, _ in CASES],
)
def test_someone_elses_id_is_answered_as_an_id_of_nothing(
    user_client, other_user, theirs, name, method, data, status
):
    row, key = theirs(other_user)
    args = key if isinstance(key, tuple) else [key]

    assert_answered_as_nothing(user_client, row, reverse(name, args=args), method, data, status)


@pytest.mark.parametrize("old_suffix", ["feedback/", "feedback/delete/", "watched/"])
def test_an_old_action_address_is_sent_on_whoever_has_feedback_on_the_item(
    user_client, other_user, old_suffix
):
    """The actions' addresses before they had their own (library/media/<id>/feedback/)
    are sent on to the new for any item, as the new take any item."""
    row, media_id = their_feedback(other_user)
    old_url = reverse("feedback:media_detail", args=[media_id]) + old_suffix

    assert_answered_as_nothing(user_client, row, old_url, "get", {}, HTTPStatus.OK)
