"""Requests sent at the same moment (a double click, two people on one film), for the
tests of writes that must take turns rather than break on each other."""

import functools
import threading
import time
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client

# Far longer than any of these writes takes: whichever request writes first still holds
# its transaction open when the other writes, so the two always overlap.
HOLD_SECONDS = 0.5
# The same for a request sent to a page: it has a session to read, a form to check and
# the rows to read before it writes, which a cold process can take longer than 0.5 s to.
PAGE_HOLD_SECONDS = 1.5


def at_once(*writes, stagger: float = 0) -> list[Exception]:
    """Run each write in a thread and a transaction of its own, all let go together by a
    Barrier, each transaction kept open HOLD_SECONDS after its write, as a request's is
    until its view returns. The errors the writes raised, none when they took turns.

    With a `stagger` (less than HOLD_SECONDS), each write begins that long after the one
    before it: still while that one is open, but surely after it, in the order given."""
    barrier = threading.Barrier(len(writes))
    errors = []

    def request(write, place):
        try:
            barrier.wait(timeout=10)
            time.sleep(place * stagger)
            with transaction.atomic():
                write()
                time.sleep(HOLD_SECONDS)
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=request, args=(write, place)) for place, write in enumerate(writes)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def requests_at_once(user, method: str, url: str, count: int, data=None) -> list[int]:
    """The person's `count` requests sent together, each a thread with a connection of its
    own, as the web server's would be, in no transaction but those the page takes; their
    status codes."""
    barrier = threading.Barrier(count)
    statuses = []

    def send():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            statuses.append(getattr(client, method)(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@dataclass
class Answer:
    """What a page answered: its status, where it sent the person, and the messages it
    left for the next page."""

    status: int
    location: str
    messages: list[str]


def held(write, went: threading.Event):
    """`write` (a service a view calls) with its transaction kept open PAGE_HOLD_SECONDS
    once it is done, as a slow request's is, setting `went` then: another request sent on
    `went` meets its locks, and its reads made before them see the rows as they were."""

    @functools.wraps(write)
    def holding(*args, **kwargs):
        with transaction.atomic():
            result = write(*args, **kwargs)
            went.set()
            time.sleep(PAGE_HOLD_SECONDS)
        return result

    return holding


def pages_in_turn(user, first, second, *, went: threading.Event, first_by=None) -> list:
    """The person's two requests (each a function of a Client: `lambda client:
    client.post(url)`) from two tabs: each a thread with a connection of its own, the
    second sent once the first has set `went` (from inside its write: held, or a lock
    patched to pause), while the first is still open. Their answers in that order: an
    Answer, or the exception the page raised (a 500). `first_by`: someone else sends the
    first (staff, in the admin)."""
    answers = [None, None]
    # Logged in before either is sent: a log-in writes the session, and on SQLite a
    # write in the second's thread would wait for the first to commit.
    clients = [Client(), Client()]
    for client, sender in zip(clients, (first_by or user, user), strict=True):
        client.force_login(sender)

    def send(page, place):
        client = clients[place]
        try:
            if place:
                went.wait(timeout=10)
            response = page(client)
            answers[place] = Answer(
                response.status_code,
                response.get("Location", ""),
                [str(message) for message in get_messages(response.wsgi_request)],
            )
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails
            answers[place] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in ((first, 0), (second, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers
