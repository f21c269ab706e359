"""Requests sent at the same moment (a double click, two people on one film), for the
tests of writes that must take turns rather than break on each other."""

import threading
import time

from django.db import connection, transaction
from django.test import Client

# Far longer than any of these writes takes: whichever request writes first still holds
# its transaction open when the other writes, so the two always overlap.
HOLD_SECONDS = 0.5


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
