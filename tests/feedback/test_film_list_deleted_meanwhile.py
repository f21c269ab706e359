"""A list deleted in one tab while another tab writes to it (a film added, moved, removed,
given a note; the list renamed): one wins, the other says the list is deleted already,
or takes its turn; never a 500, a deadlock, or a film left on no list.

The writes at the same moment run as the web server's would, each request a thread with
a connection of its own (tests/at_once.py), the second sent while the first is open: on
PostgreSQL it meets the first's locks, on SQLite it waits at BEGIN (IMMEDIATE) after
reading the rows as they were.
"""

import threading
import time
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from feedback import film_list_views, film_lists
from feedback.models import FilmList, FilmListEntry
from tests.at_once import PAGE_HOLD_SECONDS, Answer, held, pages_in_turn
from tests.factories import FilmListEntryFactory, FilmListFactory, MovieFactory

LISTS_URL = reverse("feedback:film_lists")
ALREADY_DELETED = "That list is already deleted."


def entry_url(name, entry):
    return reverse(f"feedback:film_list_{name}", args=[entry.film_list_id, entry.movie_id])


def a_list(user):
    """The person's list "Rewatches" of "Ran" then "Ikiru", and "Ugetsu" off it."""
    film_list = FilmListFactory(user=user, name="Rewatches")
    for title in ("Ran", "Ikiru"):
        FilmListEntryFactory(film_list=film_list, movie__title=title)
    return film_list, MovieFactory(title="Ugetsu")


# Each write of another tab, and what it says when it wins.
SAID = {
    "note": "The note on “Ran” is saved.",
    "move": "“Ran” is number 2 on your list “Rewatches”.",
    "remove": "“Ran” is off your list “Rewatches”.",
    "add": "“Ugetsu” is on your list “Rewatches”.",
    "rename": "Your list “Comfort films” is saved.",
}


def sent(write, film_list, film):
    """The page another tab posts for `write`, as a function of a client: what it posts
    is read now, before any request is sent."""
    ran = film_list.entries.get(position=1)
    url, data = {
        "note": (entry_url("note", ran), {"note": "With popcorn"}),
        "move": (entry_url("move", ran), {"position": "2"}),
        "remove": (entry_url("remove", ran), {}),
        "add": (
            reverse("feedback:movie_film_list_add", args=[film.pk]),
            {"film_list": film_list.pk},
        ),
        "rename": (film_list.get_absolute_url(), {"name": "Comfort films", "description": ""}),
    }[write]
    return lambda client: client.post(url, data)


def delete(film_list):
    return lambda client: client.post(reverse("feedback:film_list_delete", args=[film_list.pk]))


def assert_no_list_and_no_entries():
    assert not FilmList.objects.exists()
    assert not FilmListEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", SAID)
def test_a_write_sent_as_the_list_is_deleted_says_it_is_deleted(user, monkeypatch, write):
    """The write read the list (or its film) before the delete committed. It used to
    fail to validate the entry (a 500 for a note or an add), to say it moved or removed
    a film of no list, or to insert the renamed list again (save() found no row to
    update). It takes the list's lock, then finds the list gone."""
    film_list, film = a_list(user)
    went = threading.Event()
    monkeypatch.setattr(
        film_list_views, "film_list_delete", held(film_list_views.film_list_delete, went)
    )

    deleted, written = pages_in_turn(
        user, delete(film_list), sent(write, film_list, film), went=went
    )

    assert deleted == Answer(HTTPStatus.FOUND, LISTS_URL, ["Your list “Rewatches” is deleted."])
    # A film's page sends the person back to the film; the list's pages, to their lists.
    back = film.get_absolute_url() if write == "add" else LISTS_URL
    assert written == Answer(HTTPStatus.FOUND, back, [ALREADY_DELETED])
    assert_no_list_and_no_entries()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", ["note", "move", "remove", "add"])
def test_a_delete_sent_as_the_list_is_written_waits_and_deletes_it_all(user, monkeypatch, write):
    """The write has locked the list and pauses before its films (patched to, so that
    the delete comes in between). The delete used to take the films first and the list
    last: the opposite order, a deadlock on PostgreSQL (a 500 on one side); or the film
    an add put on the list was left pointing at no list (a foreign key broken at the
    delete's COMMIT, a 500). It locks the list first now, waits, then takes it all."""
    film_list, film = a_list(user)
    went = threading.Event()
    lock = film_lists.locked

    def locked_then_pause(locking):
        locking = lock(locking)
        if not went.is_set():  # the first write only: the delete then comes in between
            went.set()
            time.sleep(PAGE_HOLD_SECONDS)
        return locking

    monkeypatch.setattr(film_lists, "locked", locked_then_pause)

    written, deleted = pages_in_turn(
        user, sent(write, film_list, film), delete(film_list), went=went
    )

    assert isinstance(written, Answer), written
    assert written.messages == [SAID[write]]
    assert deleted == Answer(HTTPStatus.FOUND, LISTS_URL, ["Your list “Rewatches” is deleted."])
    assert_no_list_and_no_entries()


# The same, one request at a time: the list (or the film) deleted between the page's
# read and the write, which is given the list as the page read it.


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def deleted_first(monkeypatch, service_name, rows):
    """The view's `service_name`, patched to delete `rows` (a function of the service's
    arguments giving a queryset) before it runs."""
    service = getattr(film_list_views, service_name)

    def deleting_first(**kwargs):
        rows(kwargs).delete()
        return service(**kwargs)

    monkeypatch.setattr(film_list_views, service_name, deleting_first)


SERVICES = {
    "note": "film_list_entry_note_save",
    "move": "film_list_entry_move",
    "remove": "film_list_entry_remove",
    "add": "film_list_entry_add",
    "rename": "film_list_update",
}


def list_of(arguments):
    film_list = arguments.get("film_list") or arguments["entry"].film_list
    return FilmList.objects.filter(pk=film_list.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("write", SAID)
def test_a_write_to_a_list_deleted_after_the_page_read_it_says_so(
    user_client, user, monkeypatch, write
):
    film_list, film = a_list(user)
    deleted_first(monkeypatch, SERVICES[write], list_of)

    response = sent(write, film_list, film)(user_client)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == (film.get_absolute_url() if write == "add" else LISTS_URL)
    assert messages_of(response) == [ALREADY_DELETED]
    assert_no_list_and_no_entries()


@pytest.mark.django_db
def test_a_list_deleted_after_its_delete_page_read_it_is_said_deleted_already(
    user_client, user, monkeypatch
):
    """The same button in another tab, at the same moment."""
    film_list, _ = a_list(user)
    deleted_first(monkeypatch, "film_list_delete", list_of)

    response = delete(film_list)(user_client)

    assert response["Location"] == LISTS_URL
    assert messages_of(response) == [ALREADY_DELETED]
    assert_no_list_and_no_entries()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("write", "said"),
    [
        ("note", "That film is no longer on your list “Rewatches”: the note is not saved."),
        ("move", "That film is no longer on your list “Rewatches”: nothing was moved."),
        ("remove", "That film is already off your list “Rewatches”."),
    ],
)
def test_a_write_to_a_film_taken_off_after_the_page_read_it_says_so(
    user_client, user, monkeypatch, write, said
):
    film_list, film = a_list(user)
    deleted_first(
        monkeypatch,
        SERVICES[write],
        lambda arguments: FilmListEntry.objects.filter(pk=arguments["entry"].pk),
    )

    response = sent(write, film_list, film)(user_client)

    assert response["Location"] == film_list.get_absolute_url()
    assert messages_of(response) == [said]
    assert list(film_list.entries.values_list("movie__title", "note")) == [("Ikiru", "")]
