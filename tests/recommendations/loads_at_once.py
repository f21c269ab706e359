"""Run by test_current_slate.py in a process of its own, on a SQLite database file that
`manage.py migrate` made: a new person opens /recommendations/ LOADS times at once, each
load a thread with its own connection, as the web server's would be. The in-memory test
database cannot show this (a second writer is refused there, where a file waits)."""

import threading

import django

LOADS = 6


def main() -> None:
    django.setup()
    from django.db import connection
    from django.test import Client

    from tests.factories import UserFactory
    from tests.recommendations.builders import fans, feedback, film, learn

    films = [film(f"Film {n}", ["Drama", "Comedy", "Western"][n % 3]) for n in range(9)]
    fans("fans", 4, *films[:6])
    learn()
    person = UserFactory()
    feedback(person, films[0], rating=5)
    connection.close()
    barrier = threading.Barrier(LOADS)
    failed = []

    def load():
        client = Client(HTTP_HOST="localhost")
        client.force_login(person)
        barrier.wait(timeout=10)
        try:
            if client.get("/recommendations/").status_code != 200:
                failed.append("status")
        finally:
            connection.close()

    threads = [threading.Thread(target=load) for _ in range(LOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if failed:
        raise SystemExit(f"{len(failed)} loads failed")


if __name__ == "__main__":
    main()
