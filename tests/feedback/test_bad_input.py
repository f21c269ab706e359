"""Malformed query strings, ids and form input: an answer that fits, never a 500.

The test client re-raises any exception a view lets through, so a crash fails the test
before its status is even looked at.
"""

from http import HTTPStatus

import pytest

from feedback.models import FilmList, UserFeedback, ViewingHistory
from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    MediaFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db

OK, FOUND, NOT_FOUND, NOT_ALLOWED = (
    HTTPStatus.OK,
    HTTPStatus.FOUND,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.METHOD_NOT_ALLOWED,
)
HUGE = "9" * 30
LONG_ID = "plex:" + "x" * 1000

# (method, url with {media} / {viewing} / {movie} placeholders, form data, expected status)
CASES = [
    # library query strings
    ("get", "/library/?page=abc", None, OK),
    ("get", "/library/?page=0", None, OK),
    ("get", "/library/?page=-1", None, OK),
    ("get", f"/library/?page={HUGE}", None, OK),
    ("get", "/library/?page=last", None, OK),
    ("get", "/library/?rating=7", None, OK),
    ("get", "/library/?rating=abc", None, OK),
    ("get", f"/library/?rating_min={HUGE}", None, OK),
    ("get", "/library/?rating=%00", None, OK),
    ("get", "/library/?media_type=%27%3B+DROP+TABLE+feedback_media%3B--", None, OK),
    ("get", "/library/?watched_completion=1&would_watch_again=true", None, OK),
    ("get", "/library/?ordering=-popularity", None, OK),
    ("get", "/library/?ordering=&media_type=&rating=", None, OK),
    ("get", "/library/?title=%00", None, OK),
    ("get", "/library/?title=" + "a" * 5000, None, OK),
    ("get", "/library/?rating=1&rating=2&rating=9", None, OK),
    ("get", "/library/?unknown=1&%FF=%FE", None, OK),
    # history query strings and ids
    ("get", "/history/?page=abc", None, OK),
    ("get", f"/history/?page={HUGE}", None, OK),
    ("get", "/history/?page=%00", None, OK),
    # stats' year: all time, said so (tests/feedback/test_views_stats.py)
    ("get", "/stats/?year=abc", None, OK),
    ("get", f"/stats/?year={HUGE}", None, OK),
    ("get", "/stats/?year=%00", None, OK),
    ("get", "/history/0/edit/", None, NOT_FOUND),
    ("get", f"/history/{HUGE}/edit/", None, NOT_FOUND),
    ("post", f"/history/{HUGE}/edit/", {"minutes_watched": "1"}, NOT_FOUND),
    # a viewing id that is nobody's: gone, so said to be already deleted
    ("post", f"/history/{HUGE}/delete/", {}, FOUND),
    ("get", f"/history/{HUGE}/delete/", None, FOUND),
    ("get", "/history/{viewing}/delete/?next=%0D%0ALocation:+x", None, OK),
    ("get", "/history/abc/edit/", None, NOT_FOUND),
    ("get", "/history/-1/edit/", None, NOT_FOUND),
    ("post", "/history/{viewing}/edit/", {"started_at": "%00", "minutes_watched": "x"}, OK),
    ("post", "/history/{viewing}/edit/", {"started_at": "2024-13-45T99:99"}, OK),
    (
        "post",
        "/history/{viewing}/edit/",
        {"started_at": "2024-05-01T10:00", "minutes_watched": HUGE},
        OK,
    ),
    (
        "post",
        "/history/{viewing}/edit/?next=%0D%0ALocation:+x",
        {"started_at": "2024-05-01T10:00"},
        FOUND,
    ),
    ("put", "/history/{viewing}/edit/", {}, NOT_ALLOWED),
    # media ids in the path
    ("get", "/library/media/plex:missing/", None, NOT_FOUND),
    ("get", "/library/media/a%00b/", None, NOT_FOUND),
    ("get", f"/library/media/{LONG_ID}/", None, NOT_FOUND),
    ("get", "/library/media/%E2%80%9C%F0%9F%8E%AC/", None, NOT_FOUND),
    ("get", "/library/media/%FF%FE/", None, NOT_FOUND),
    ("get", "/library/media-feedback/a%00b/", None, NOT_FOUND),
    ("post", "/library/media-feedback-delete/a%00b/", {}, NOT_FOUND),
    ("get", "/library/media-feedback-delete/a%00b/", None, NOT_FOUND),
    ("get", f"/library/media-feedback-delete/{LONG_ID}/", None, NOT_FOUND),
    ("post", "/library/media-watched/a%00b/", {}, NOT_FOUND),
    ("post", f"/library/media-watched/{LONG_ID}/", {}, NOT_FOUND),
    # the actions' old addresses, sent on to the new when they name an item
    ("get", "/library/media/a%00b/feedback/", None, NOT_FOUND),
    ("get", "/library/media/a%00b/feedback/delete/", None, NOT_FOUND),
    ("get", f"/library/media/{LONG_ID}/feedback/delete/", None, NOT_FOUND),
    ("get", "/library/media/a%00b/watched/", None, NOT_FOUND),
    ("get", "/library/media/{media}/feedback/?next=//evil.example/", None, FOUND),
    ("get", "/library/media/{media}/watched/?next=%0D%0ALocation:+x&%FF=%FE", None, FOUND),
    ("post", "/library/media/{media}/feedback/", {"rating": "3"}, NOT_FOUND),
    ("get", f"/movies/{HUGE}/feedback/", None, NOT_FOUND),
    ("post", f"/movies/{HUGE}/watched/", {}, NOT_FOUND),
    ("get", "/movies/0/feedback/", None, NOT_FOUND),
    # feedback forms
    ("post", "/library/media-feedback/{media}/", {"rating": "7"}, OK),
    (
        "post",
        "/library/media-feedback/{media}/",
        {"rating": "%00", "watched_completion": "maybe"},
        OK,
    ),
    ("post", "/library/media-feedback/{media}/", {"rating": HUGE}, OK),
    ("post", "/library/media-feedback/{media}/", {}, OK),
    ("post", "/library/media-feedback/{media}/", {"rating": ["1", "x"]}, OK),
    ("get", "/library/media-feedback/{media}/?next=javascript:alert(1)", None, OK),
    ("post", "/library/feedback/new/", {}, OK),
    ("post", "/library/feedback/new/", {"media_id": "a\x00b", "rating": "3"}, OK),
    ("post", "/library/feedback/new/", {"media_id": LONG_ID, "rating": "3"}, OK),
    ("post", "/library/feedback/new/", {"media_id": "   ", "rating": "3"}, OK),
    ("get", "/library/feedback/new/?media_id=%00", None, OK),
    ("delete", "/library/feedback/new/", None, NOT_ALLOWED),
    # "I watched this"
    ("post", "/library/media-watched/{media}/", {"minutes_watched": "-1"}, OK),
    ("post", "/library/media-watched/{media}/", {"minutes_watched": HUGE}, OK),
    ("post", "/library/media-watched/{media}/", {"minutes_watched": "%00"}, OK),
    ("post", "/library/media-watched/{media}/", {"completed": "maybe"}, FOUND),
    ("post", "/library/media-watched/{media}/", {"next": "/x\r\nSet-Cookie: a=b"}, FOUND),
    ("post", "/library/media-watched/{media}/", {"next": "\x00/library/"}, FOUND),
    ("post", "/library/media-watched/{media}/", {"next": "https://evil.example/"}, FOUND),
    ("post", "/library/media-watched/{media}/", {"started_at": "yesterday"}, OK),
    ("post", "/library/media-watched/{media}/", {"started_at": "%00"}, OK),
    ("post", "/library/media-watched/{media}/", {"started_at": "2024-13-45T99:99"}, OK),
    ("post", "/library/media-watched/{media}/", {"started_at": "9999-12-31T23:59"}, OK),
    ("post", "/library/media-watched/{media}/", {"started_at": "0001-01-01T00:00"}, OK),
    ("post", "/library/media-watched/{media}/", {"started_at": ["2024-05-01T10:00", "x"]}, OK),
    ("get", "/library/media-watched/{media}/", None, OK),
    ("get", "/library/media-watched/{media}/?next=%0D%0ALocation:+x", None, OK),
    ("get", "/library/media-watched/a%00b/", None, NOT_FOUND),
    ("put", "/library/media-watched/{media}/", {}, NOT_ALLOWED),
    ("post", "/movies/{movie}/watched/", {"minutes_watched": "abc"}, OK),
    ("post", "/movies/{movie}/watched/", {"started_at": "1887-12-31T23:59"}, OK),
    ("get", f"/movies/{HUGE}/watched/", None, NOT_FOUND),
    # the watchlist's query strings, and its actions
    ("get", "/watchlist/?page=abc", None, OK),
    ("get", f"/watchlist/?page={HUGE}", None, OK),
    ("get", "/watchlist/?page=%00", None, OK),
    ("get", "/watchlist/?page=1&page=x&page=-3", None, OK),
    ("get", "/watchlist/?ordering=zzz", None, OK),
    ("get", "/watchlist/?ordering=%00", None, OK),
    ("get", "/watchlist/?ordering=title&ordering=zzz", None, OK),
    ("get", "/watchlist/?ordering=" + "t" * 5000, None, OK),
    ("get", "/watchlist/?sort=zzz&%FF=%FE", None, OK),
    ("post", "/watchlist/", {}, NOT_ALLOWED),
    ("post", f"/movies/{HUGE}/watchlist/add/", {}, NOT_FOUND),
    ("post", f"/movies/{HUGE}/watchlist/remove/", {}, NOT_FOUND),
    ("post", "/movies/0/watchlist/add/", {}, NOT_FOUND),
    ("get", "/movies/{movie}/watchlist/add/", None, FOUND),
    ("get", "/movies/{movie}/watchlist/remove/", None, FOUND),
    ("put", "/movies/{movie}/watchlist/add/", {}, NOT_ALLOWED),
    ("post", "/movies/{movie}/watchlist/remove/", {"next": "/x\r\nSet-Cookie: a=b"}, FOUND),
    ("post", "/movies/{movie}/watchlist/remove/", {"next": "https://evil.example/"}, FOUND),
    # lists: pages, ids, positions and names (tests/feedback/test_views_film_lists.py)
    ("get", "/lists/?page=abc", None, OK),
    ("get", f"/lists/?page={HUGE}", None, OK),
    ("get", "/lists/?page=%00", None, OK),
    ("post", "/lists/", {"name": ""}, OK),
    ("post", "/lists/", {"name": "x" * 101}, OK),
    ("post", "/lists/", {"name": "\x00"}, OK),
    ("post", "/lists/", {"name": "Mine", "description": "x" * 1001}, OK),
    ("post", "/lists/", {"name": "MINE"}, OK),
    ("post", "/lists/", {"name": "\u200b\u2060"}, OK),  # nothing left once made visible
    ("post", "/lists/", {"name": "Min\u200be"}, OK),  # "Mine" once made visible: taken
    ("get", f"/lists/{HUGE}/", None, NOT_FOUND),
    ("get", "/lists/0/", None, NOT_FOUND),
    ("get", "/lists/{their_list}/", None, NOT_FOUND),
    ("post", "/lists/{their_list}/", {"name": "Taken"}, NOT_FOUND),
    ("post", "/lists/{film_list}/", {"name": ""}, OK),
    ("post", "/lists/{film_list}/", {"name": "\x00"}, OK),
    ("get", "/lists/{their_list}/delete/", None, FOUND),
    ("post", "/lists/{their_list}/delete/", {}, FOUND),
    ("post", f"/lists/{HUGE}/delete/", {}, FOUND),
    ("post", f"/reviews/{HUGE}/delete/", {}, FOUND),
    ("get", f"/reviews/{HUGE}/delete/", None, FOUND),
    ("post", "/lists/{film_list}/films/{listed}/move/", {"position": "abc"}, FOUND),
    ("post", "/lists/{film_list}/films/{listed}/move/", {"position": HUGE}, FOUND),
    ("post", "/lists/{film_list}/films/{listed}/move/", {"position": "\x00"}, FOUND),
    ("post", "/lists/{film_list}/films/{listed}/move/", {}, FOUND),
    ("post", "/lists/{film_list}/films/{listed}/note/", {"note": "x" * 501}, FOUND),
    ("post", "/lists/{film_list}/films/{listed}/note/", {"note": "\x00"}, FOUND),
    ("post", "/lists/{film_list}/films/{movie}/move/", {"position": "1"}, FOUND),
    ("post", f"/lists/{{film_list}}/films/{HUGE}/remove/", {}, FOUND),
    ("post", f"/lists/{HUGE}/films/{{movie}}/remove/", {}, FOUND),
    ("post", "/lists/{their_list}/films/{theirs_listed}/move/", {"position": "1"}, FOUND),
    ("post", "/lists/{their_list}/films/{theirs_listed}/remove/", {}, FOUND),
    ("post", "/lists/{their_list}/films/{theirs_listed}/note/", {"note": "x"}, FOUND),
    ("get", "/lists/{film_list}/films/{listed}/move/", None, FOUND),
    ("post", "/movies/{movie}/lists/add/", {"film_list": "abc"}, FOUND),
    ("post", "/movies/{movie}/lists/add/", {"film_list": HUGE}, FOUND),
    ("post", "/movies/{movie}/lists/add/", {"film_list": "\x00"}, FOUND),
    ("post", f"/movies/{HUGE}/lists/add/", {"film_list": "1"}, NOT_FOUND),
    # someone else's feedback: the URL names one's own, which there is none of
    ("post", "/library/media-feedback-delete/{their_media}/", {}, FOUND),
    ("get", "/library/media-feedback-delete/{their_media}/?next=//evil.example/", None, FOUND),
]


@pytest.fixture
def rows(user, other_user):
    media = MediaFactory(media_id="plex:1")
    viewing = ViewingHistoryFactory(user=user, media=media, minutes_watched=95)
    theirs = UserFeedbackFactory(user=other_user, media__media_id="plex:theirs")
    film_list = FilmListFactory(user=user, name="Mine")
    listed = FilmListEntryFactory(film_list=film_list)
    FilmListEntryFactory(film_list=film_list)
    their_entry = FilmListEntryFactory(film_list__user=other_user, film_list__name="Taken")
    return {
        "film_list": film_list.pk,
        "listed": listed.movie_id,
        "their_list": their_entry.film_list_id,
        "theirs_listed": their_entry.movie_id,
        "media": media.media_id,
        "movie": media.movie_id,
        "viewing": viewing.pk,
        "their_media": theirs.media.media_id,
    }


@pytest.mark.parametrize(("method", "url", "data", "expected"), CASES)
def test_bad_input_gets_a_fitting_answer(user_client, rows, method, url, data, expected):
    call = getattr(user_client, method)
    response = call(url.format(**rows), data) if data is not None else call(url.format(**rows))

    assert response.status_code == expected
    if expected == FOUND:
        location = response["Location"]
        assert location.startswith("/")
        assert not location.startswith("//")
        assert "\n" not in location
        assert "\r" not in location


def test_bad_input_changes_nothing(user_client, user, other_user, rows):
    viewing = ViewingHistory.objects.get(pk=rows["viewing"])
    before = (viewing.started_at, viewing.minutes_watched, viewing.completed)

    for method, url, data, expected in CASES:
        # The deletes here all name rows that are not the person's: they must not write.
        if method == "post" and (expected != FOUND or "delete/" in url):
            user_client.post(url.format(**rows), data)

    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched, viewing.completed) == before
    assert not UserFeedback.objects.filter(user=user).exists()
    assert UserFeedback.objects.filter(user=other_user).count() == 1
    assert ViewingHistory.objects.filter(user=user).count() == 1
    mine, theirs = FilmList.objects.get(user=user), FilmList.objects.get(user=other_user)
    assert (mine.name, mine.description) == ("Mine", "Films for a rainy Sunday.")
    assert list(mine.entries.order_by("position").values_list("movie_id", "note"))[0] == (
        rows["listed"],
        "",
    )
    assert theirs.name == "Taken"
    assert theirs.entries.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/library/?rating=7",
        "/library/?media_type=nope&watched_completion=maybe",
    ],
)
def test_bad_filters_are_shown_not_hidden(user_client, rows, url):
    response = user_client.get(url)

    assert response.context["filter"].errors
    assert 'class="error"' in response.content.decode()
