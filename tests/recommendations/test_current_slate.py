"""The page opened several times at once (restored tabs, link prefetching) by someone with
no current slate: the loads settle on one slate, rather than each logging its own."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from recommendations.models import RecommendationLog
from recommendations.services import current_slate_id, recommendation_select
from tests.at_once import at_once, requests_at_once
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
    """The pages themselves: the loads rank at once, then take turns only to log."""
    statuses = requests_at_once(with_no_slate, "get", reverse("recommendations:tonight"), LOADS)

    assert statuses == [HTTPStatus.OK] * LOADS
    assert len(logged_slates(with_no_slate)) == 1


def test_another_slate_clicked_twice_at_once_logs_one(with_no_slate):
    """A double click on "Another slate": both clicks rank the same films, then take
    turns to log them, and the second shows the slate the first logged."""
    first = current_slate_id(with_no_slate)

    statuses = requests_at_once(with_no_slate, "post", reverse("recommendations:another"), 2)

    assert statuses == [HTTPStatus.FOUND] * 2
    assert len(logged_slates(with_no_slate) - {first}) == 1


def test_two_picks_of_a_slate_chosen_at_once_leave_one_chosen(with_no_slate):
    """Two tabs, each choosing another pick of the slate: they take turns on the person's
    row, and the later choice stands. Each used to lock its own pick only, and the second
    to unselect the other met the one-chosen-per-slate index: a 500 on PostgreSQL."""
    slate_id = current_slate_id(with_no_slate)
    picks = list(RecommendationLog.objects.filter(slate_id=slate_id).values_list("pk", flat=True))

    errors = at_once(
        *[lambda pk=pk: recommendation_select(user=with_no_slate, log_id=pk) for pk in picks[:2]],
        stagger=0.1,
    )

    assert errors == []
    chosen = RecommendationLog.objects.filter(slate_id=slate_id, selected=True)
    assert list(chosen.values_list("pk", flat=True)) == [picks[1]]
