"""Requests sent at the same moment (a double click, two people on one film), for the
tests of writes that must take turns rather than break on each other."""

import threading
import time

from django.db import connection, transaction

# Far longer than any of these writes takes: whichever request writes first still holds
# its transaction open when the other writes, so the two always overlap.
HOLD_SECONDS = 0.5


def at_once(*writes) -> list[Exception]:
    """Run each write in a thread and a transaction of its own, all let go together by a
    Barrier, each transaction kept open HOLD_SECONDS after its write, as a request's is
    until its view returns. The errors the writes raised, none when they took turns."""
    barrier = threading.Barrier(len(writes))
    errors = []

    def request(write):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                write()
                time.sleep(HOLD_SECONDS)
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
