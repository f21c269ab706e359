"""The admin's delete confirmation (config/admin_deletion.py) lists every row a deletion
takes, by name, in as many queries for a dozen lists of a dozen films as for three of
three; and the deletion itself still takes them all."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.models import Movie, Rating
from config.admin_deletion import DeletionListedInFewQueries
from feedback.models import FilmListEntry, UserFeedback, ViewingHistory
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def every_row_named(monkeypatch):
    # The page names the first rows only (tests/config/test_admin_delete_listing.py):
    # here all of them, to see that naming them costs no query each.
    monkeypatch.setattr(DeletionListedInFewQueries, "delete_confirmation_max_display", None)


# Session, account, the object, then one query per kind of row the deletion reaches.
ACCOUNT_PAGE_QUERIES = 20
FILM_PAGE_QUERIES = 17


def account_with_rows(size: int):
    """An account with `size` lists of `size` films, and feedback, viewings, logged picks,
    reviews, watchlist rows and films turned down on `size` films; and the films."""
    account = f.UserFactory(username="alice")
    films = [f.MovieFactory(title=f"Film {n}") for n in range(2 * size)]
    for n in range(size):
        film_list = f.FilmListFactory(user=account, name=f"List {n}")
        for position, film in enumerate(films[:size], start=1):
            f.FilmListEntryFactory(film_list=film_list, movie=film, position=position)
    for film, other in zip(films[:size], films[size:], strict=True):
        media = f.MediaFactory(movie=film, title=film.title)
        f.UserFeedbackFactory(user=account, media=media)
        f.ViewingHistoryFactory(user=account, media=media)
        f.RecommendationLogFactory(user=account, media=media)
        f.ReviewFactory(member=True, user=account, movie=film)
        f.WatchlistEntryFactory(user=account, movie=other)
        f.NotInterestedFactory(user=account, movie=film)
        f.RatingFactory(movie=films[0])
    return account, films


@pytest.mark.parametrize("size", [3, 12])
def test_the_account_delete_page_lists_every_row_in_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, size
):
    account, _ = account_with_rows(size)
    url = reverse("admin:auth_user_delete", args=[account.pk])

    with django_assert_num_queries(ACCOUNT_PAGE_QUERIES):
        response = admin_client.get(url)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    # Entries have their own list: linked, as the rest (their list's page shows the first).
    assert html.count("<li>Film list entry: <a ") == size * size
    assert re.search(rf"Film list entry: <a [^>]+>Film 0 \(\d+\) on List {size - 1}</a></li>", html)
    assert html.count("<li>Feedback: <a ") == size
    assert html.count("<li>Film turned down: <a ") == size
    assert "alice on Film 0</a>" in html


@pytest.mark.parametrize("size", [3, 12])
def test_the_film_delete_page_lists_every_row_in_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, size
):
    _, films = account_with_rows(size)
    url = reverse("admin:catalog_movie_delete", args=[films[0].pk])

    with django_assert_num_queries(FILM_PAGE_QUERIES):
        response = admin_client.get(url)

    html = response.content.decode()
    assert html.count("<li>Film list entry: ") == size
    assert html.count("<li>Rating: <a ") == size


def test_the_deletion_still_takes_every_row(admin_client):
    account, films = account_with_rows(3)

    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[account.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not get_user_model().objects.filter(username="alice").exists()
    assert not FilmListEntry.objects.exists()
    assert not UserFeedback.objects.exists()
    assert not ViewingHistory.objects.exists()
    assert Movie.objects.count() == len(films)  # the catalog's rows stay
    assert Rating.objects.count() == 3
