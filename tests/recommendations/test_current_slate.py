"""The page opened several times at once (restored tabs, link prefetching) by someone with
no current slate: the loads settle on one slate, rather than each logging its own."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from recommendations.models import RecommendationLog
from recommendations.services import current_slate_id
from tests.at_once import at_once
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db(transaction=True)

LOADS = 6


@pytest.fixture
def with_no_slate(user):
    """The user, with films to be suggested and no slate yet."""
    films = [film(f"Film {n}", ["Drama", "Comedy", "Western"][n % 3]) for n in range(9)]
    fans("fans", 4, *films[:6])
    learn()
    feedback(user, films[0], rating=5)
    return user


def logged_slates(user) -> set:
    return set(RecommendationLog.objects.filter(user=user).values_list("slate_id", flat=True))


def test_loads_at_once_log_one_slate(with_no_slate):
    """PostgreSQL: the loads take turns on the person's row (lock_person). SQLite: on the
    write lock, which IMMEDIATE transactions (settings) take at BEGIN, so the second load
    waits for the first's slate and reads it."""
    answers = []

    errors = at_once(*[lambda: answers.append(current_slate_id(with_no_slate))] * LOADS)

    assert errors == []
    logged = logged_slates(with_no_slate)
    assert len(logged) == 1
    assert answers == [*logged] * LOADS


def test_page_loads_at_once_log_one_slate(with_no_slate):
    """The pages themselves, each load a thread with a connection of its own, as the web
    server's would be, in no transaction but those the page takes: the loads rank at
    once, then take turns only to log."""
    barrier = threading.Barrier(LOADS)
    statuses = []

    def load():
        client = Client()
        client.force_login(with_no_slate)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.get(reverse("recommendations:tonight")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=load) for _ in range(LOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [HTTPStatus.OK] * LOADS
    assert len(logged_slates(with_no_slate)) == 1
