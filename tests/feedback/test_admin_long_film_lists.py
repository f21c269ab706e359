"""A film list of any length the site's pages hold can be saved from its admin page.

Each film is a row of about nine fields in the page's form, and Django refuses a request
of more than DATA_UPLOAD_MAX_NUMBER_FIELDS with a 400: staff could change nothing, not
even the positions the page is there to set. The page shows the list's first films
(config/admin_inlines.py); these lists are longer than that."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.admin_inlines import INLINE_ROWS_SHOWN
from feedback.film_list_models import POSITION_TAKEN_MESSAGE
from tests import factories
from tests.admin_forms import post_form, posted_back

pytestmark = pytest.mark.django_db

FILMS = INLINE_ROWS_SHOWN + 50
LAST_SHOWN = INLINE_ROWS_SHOWN  # the position of the last film the page shows


@pytest.fixture
def long_list():
    film_list = factories.FilmListFactory()
    for _ in range(FILMS):
        factories.FilmListEntryFactory(film_list=film_list, note="Seen twice")
    return film_list


def test_a_long_list_posted_back_unchanged_is_saved(staff_client, long_list):
    url = reverse("admin:feedback_filmlist_change", args=[long_list.pk])
    pairs = posted_back(staff_client.get(url), "filmlist_form")

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.FOUND
    entries = long_list.entries.order_by("position")
    assert [entry.position for entry in entries] == list(range(1, FILMS + 1))
    assert {entry.note for entry in entries} == {"Seen twice"}


def test_a_position_edited_on_a_long_list_is_kept(staff_client, long_list):
    url = reverse("admin:feedback_filmlist_change", args=[long_list.pk])
    last = long_list.entries.get(position=LAST_SHOWN)
    pairs = posted_back(staff_client.get(url), "filmlist_form")
    [row] = [n.removesuffix("-id") for n, v in pairs if n.endswith("-id") and v == str(last.pk)]
    pairs = [(name, "500" if name == f"{row}-position" else value) for name, value in pairs]

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.FOUND
    last.refresh_from_db()
    assert last.position == 500
    assert long_list.entries.exclude(position=500).count() == FILMS - 1


def saved_with_queries(client, film_list, change) -> tuple[int, object]:
    """Post the list's admin page back with `change` made to its (name, value) pairs;
    the queries the save ran, and the response."""
    url = reverse("admin:feedback_filmlist_change", args=[film_list.pk])
    pairs = change(posted_back(client.get(url), "filmlist_form"))
    with CaptureQueriesContext(connection) as queries:
        response = post_form(client, url, pairs)
    return len(queries), response


def row_of(pairs, entry) -> str:
    [row] = [n.removesuffix("-id") for n, v in pairs if n.endswith("-id") and v == str(entry.pk)]
    return row


def moved(entry, position: int):
    def change(pairs):
        row = row_of(pairs, entry)
        return [(n, str(position) if n == f"{row}-position" else v) for n, v in pairs]

    return change


def test_saving_one_change_costs_the_same_for_20_or_150_films(staff_client, long_list):
    short_list = factories.FilmListFactory()
    for _ in range(20):
        factories.FilmListEntryFactory(film_list=short_list)
    short_last = short_list.entries.get(position=20)
    long_last = long_list.entries.get(position=LAST_SHOWN)

    few, response = saved_with_queries(staff_client, short_list, moved(short_last, 500))
    assert response.status_code == HTTPStatus.FOUND
    many, response = saved_with_queries(staff_client, long_list, moved(long_last, 500))
    assert response.status_code == HTTPStatus.FOUND

    assert many == few
    long_last.refresh_from_db()
    assert long_last.position == 500


def test_a_changed_row_is_still_checked_against_the_unchanged_ones(staff_client, long_list):
    last = long_list.entries.get(position=LAST_SHOWN)

    _, response = saved_with_queries(staff_client, long_list, moved(last, 1))

    assert response.status_code == HTTPStatus.OK
    assert POSITION_TAKEN_MESSAGE in response.content.decode()
    last.refresh_from_db()
    assert last.position == LAST_SHOWN


def test_a_row_ticked_for_deletion_is_deleted_and_only_it(staff_client, long_list):
    first = long_list.entries.get(position=1)

    def ticked(pairs):
        return [*pairs, (f"{row_of(pairs, first)}-DELETE", "on")]

    _, response = saved_with_queries(staff_client, long_list, ticked)

    assert response.status_code == HTTPStatus.FOUND
    assert not long_list.entries.filter(pk=first.pk).exists()
    assert long_list.entries.count() == FILMS - 1
