"""My library: one row per item the person has feedback on or history for."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Media, MediaType, UserFeedback
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db

LIBRARY_URL = reverse("feedback:library")


def titles(response):
    return [item.title for item in response.context["page_obj"].object_list]


def test_anonymous_visitors_are_sent_to_log_in_and_back(client, user, password):
    response = client.get(LIBRARY_URL + "?rating=5")

    assert response.status_code == HTTPStatus.FOUND
    login_url = reverse("login")
    assert response["Location"] == f"{login_url}?next=/library/%3Frating%3D5"

    logged_in = client.post(
        login_url, {"username": user.username, "password": password, "next": "/library/"}
    )
    assert logged_in.status_code == HTTPStatus.FOUND
    assert logged_in["Location"] == LIBRARY_URL
    assert client.get(LIBRARY_URL).status_code == HTTPStatus.OK


def test_library_lists_items_with_feedback_or_history_once_each(user_client, user):
    rated = UserFeedbackFactory(user=user, media__title="Alien", rating=5).media
    ViewingHistoryFactory.create_batch(3, user=user, media=rated)
    watched = ViewingHistoryFactory(user=user, media__title="Brazil").media
    MediaFactory(title="Casablanca")  # nobody said anything about it

    response = user_client.get(LIBRARY_URL)

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == ["Alien", "Brazil"]
    html = response.content.decode()
    assert reverse("feedback:media_detail", args=[rated.media_id]) in html
    assert reverse("feedback:media_detail", args=[watched.media_id]) in html
    assert reverse("catalog:movie_detail", args=[rated.movie_id]) in html
    assert "3 times" in html
    assert "Export my data" in html


def test_library_shows_the_last_watched_date_and_the_feedback(user_client, user):
    media = MediaFactory(title="Heat")
    UserFeedbackFactory(
        user=user, media=media, watched_completion=False, would_watch_again=None, rating=2
    )
    latest = timezone.now() - dt.timedelta(days=1)
    ViewingHistoryFactory(user=user, media=media, started_at=latest)
    ViewingHistoryFactory(user=user, media=media, started_at=latest - dt.timedelta(days=30))

    response = user_client.get(LIBRARY_URL)

    (item,) = response.context["page_obj"].object_list
    assert item.last_watched == latest
    assert (item.watched_completion, item.would_watch_again, item.rating) == (False, None, 2)
    assert item.times_watched == 2
    assert "2/5" in response.content.decode()


def test_someone_elses_feedback_and_history_never_show(user_client, user, other_user):
    shared = ViewingHistoryFactory(user=user, media__title="Shared").media
    UserFeedbackFactory(user=other_user, media=shared, rating=1, would_watch_again=False)
    UserFeedbackFactory(user=other_user, media__title="Theirs only")
    ViewingHistoryFactory(user=other_user, media__title="Their history")

    response = user_client.get(LIBRARY_URL)

    (item,) = response.context["page_obj"].object_list
    assert item.title == "Shared"
    assert (item.rating, item.would_watch_again, item.feedback_pk) == (None, None, None)
    html = response.content.decode()
    assert "Theirs only" not in html
    assert "Their history" not in html
    assert "1/5" not in html


@pytest.fixture
def varied_library(user):
    """Four items that differ on every filter; three of them watched, on different days."""
    now = timezone.now()
    amelie = UserFeedbackFactory(
        user=user,
        media=MediaFactory(title="Amélie", media_type=MediaType.MOVIE),
        watched_completion=True,
        would_watch_again=True,
        rating=5,
    ).media
    breaking_bad = UserFeedbackFactory(
        user=user,
        media=MediaFactory(title="Breaking Bad S1E1", media_type=MediaType.EPISODE, movie=None),
        watched_completion=False,
        would_watch_again=None,
        rating=3,
    ).media
    UserFeedbackFactory(
        user=user,
        media=MediaFactory(title="Cosmos", media_type=MediaType.DOCUMENTARY, movie=None),
        watched_completion=None,
        would_watch_again=False,
        rating=None,
    )
    dune = MediaFactory(title="Dune", media_type=MediaType.MOVIE)
    for media, days_ago in [(dune, 1), (breaking_bad, 3), (amelie, 9)]:
        ViewingHistoryFactory(user=user, media=media, started_at=now - dt.timedelta(days=days_ago))
    return user


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Amélie", "Breaking Bad S1E1", "Cosmos", "Dune"]),
        ("media_type=movie", ["Amélie", "Dune"]),
        ("media_type=episode", ["Breaking Bad S1E1"]),
        ("watched_completion=yes", ["Amélie"]),
        ("watched_completion=no", ["Breaking Bad S1E1"]),
        ("watched_completion=unknown", ["Cosmos", "Dune"]),
        ("would_watch_again=no", ["Cosmos"]),
        ("would_watch_again=unknown", ["Breaking Bad S1E1", "Dune"]),
        ("rating=3", ["Breaking Bad S1E1"]),
        ("rating_min=3", ["Amélie", "Breaking Bad S1E1"]),
        ("rating_min=4&media_type=movie", ["Amélie"]),
        ("title=COS", ["Cosmos"]),
        ("ordering=-title", ["Dune", "Cosmos", "Breaking Bad S1E1", "Amélie"]),
        ("ordering=-rating", ["Amélie", "Breaking Bad S1E1", "Cosmos", "Dune"]),
        ("ordering=rating", ["Breaking Bad S1E1", "Amélie", "Cosmos", "Dune"]),
        ("ordering=-last_watched", ["Dune", "Breaking Bad S1E1", "Amélie", "Cosmos"]),
        ("ordering=last_watched", ["Amélie", "Breaking Bad S1E1", "Dune", "Cosmos"]),
    ],
)
def test_library_filters_and_orders(user_client, varied_library, query, expected):
    response = user_client.get(f"{LIBRARY_URL}?{query}")

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("rating=7", "rating"),
        ("rating=abc", "rating"),
        ("rating_min=0", "rating_min"),
        ("watched_completion=maybe", "watched_completion"),
        ("media_type=spaceship", "media_type"),
        ("ordering=popularity", "ordering"),
    ],
)
def test_invalid_filters_show_their_error_next_to_the_field(user_client, user, query, field):
    UserFeedbackFactory(user=user, media__title="Still here")

    response = user_client.get(f"{LIBRARY_URL}?{query}")

    assert response.status_code == HTTPStatus.OK
    assert field in response.context["filter"].errors
    assert titles(response) == []
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Some filters are not valid" in html
    # What was typed is kept in the form.
    assert response.context["filter"].form[field].value() == query.split("=")[1]


def test_library_pages_by_25_and_keeps_the_filters(user_client, user):
    for number in range(30):
        UserFeedbackFactory(user=user, media__title=f"Item {number:02d}", rating=4)

    first = user_client.get(f"{LIBRARY_URL}?rating=4")
    second = user_client.get(f"{LIBRARY_URL}?rating=4&page=2")

    assert len(titles(first)) == 25
    assert titles(second) == [f"Item {number}" for number in range(25, 30)]
    assert 'href="?rating=4&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize("rows", [5, 30])
def test_library_runs_a_fixed_number_of_queries(user_client, user, django_assert_num_queries, rows):
    for _ in range(rows):
        feedback = UserFeedbackFactory(user=user, media__movie=MovieFactory())
        ViewingHistoryFactory.create_batch(3, user=user, media=feedback.media)

    # session, user, count, one page of rows with their movie and annotations
    with django_assert_num_queries(4):
        response = user_client.get(LIBRARY_URL)
        html = response.content.decode()

    shown = response.context["page_obj"].object_list
    assert len(shown) == min(rows, 25)
    for item in shown:
        assert reverse("catalog:movie_detail", args=[item.movie_id]) in html
        assert str(item.movie) in html
        assert item.times_watched == 3


def test_the_count_is_written_with_thousands_separated(client, user):
    """As on the catalog's pages: a library of 1,203 items says so."""
    media = Media.objects.bulk_create(
        Media(media_id=f"count:{n}", title=f"Item {n}", media_type=MediaType.MOVIE)
        for n in range(1203)
    )
    UserFeedback.objects.bulk_create(
        UserFeedback(user=user, media=item, rating=4) for item in media
    )
    client.force_login(user)

    html = client.get(LIBRARY_URL).content.decode()

    assert "1,203 items" in html


def test_an_item_with_feedback_and_no_viewing_is_not_called_never_watched(client, user):
    UserFeedbackFactory(user=user, media=MediaFactory(), watched_completion=True)
    client.force_login(user)

    html = client.get(LIBRARY_URL).content.decode()

    assert ">Never<" not in html
    assert "No viewing recorded" in html
