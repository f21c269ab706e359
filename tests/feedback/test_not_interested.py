"""Turning a film down and taking it back (feedback/not_interested.py), and how it meets
the watchlist: turning down takes the film off it, adding it there lifts the refusal."""

import pytest
from django.db import IntegrityError, transaction

from feedback.models import NotInterested, WatchlistEntry
from feedback.not_interested import not_interested_add, not_interested_remove
from feedback.watchlist import watchlist_add
from tests.factories import MovieFactory, NotInterestedFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db


def turned_down(user) -> set:
    return set(NotInterested.objects.filter(user=user).values_list("movie__title", flat=True))


def test_turning_a_film_down_writes_one_row_and_twice_finds_it(user):
    movie = MovieFactory(title="Cats")

    first = not_interested_add(user=user, movie=movie)
    again = not_interested_add(user=user, movie=movie)

    assert first.created
    assert not again.created
    assert again.entry == first.entry
    assert turned_down(user) == {"Cats"}
    assert not first.left_watchlist


def test_turning_down_a_film_on_the_watchlist_takes_it_off(user, other_user):
    movie = MovieFactory()
    for person in (user, other_user):
        WatchlistEntryFactory(user=person, movie=movie)

    result = not_interested_add(user=user, movie=movie)

    assert result.left_watchlist
    assert not WatchlistEntry.objects.filter(user=user).exists()
    # Only theirs.
    assert WatchlistEntry.objects.filter(user=other_user, movie=movie).exists()


def test_taking_it_back_deletes_only_the_person_s_row(user, other_user):
    movie = MovieFactory(title="Cats")
    for person in (user, other_user):
        NotInterestedFactory(user=person, movie=movie)

    assert not_interested_remove(user=user, movie=movie)
    assert not not_interested_remove(user=user, movie=movie)

    assert turned_down(user) == set()
    assert turned_down(other_user) == {"Cats"}


def test_putting_it_on_the_watchlist_lifts_the_refusal_and_says_so(user, other_user):
    movie, other = MovieFactory(title="Cats"), MovieFactory(title="Dune")
    for person in (user, other_user):
        NotInterestedFactory(user=person, movie=movie)

    entry, added = watchlist_add(user=user, movie=movie)
    plain, _ = watchlist_add(user=user, movie=other)

    assert added
    assert entry.lifted_not_interested
    assert not plain.lifted_not_interested
    assert turned_down(user) == set()
    assert turned_down(other_user) == {"Cats"}


def test_the_database_holds_one_row_per_person_and_film(user):
    row = NotInterestedFactory(user=user)

    with pytest.raises(IntegrityError), transaction.atomic():
        NotInterested.objects.create(user=user, movie=row.movie)


def test_deleting_the_film_or_the_person_deletes_the_row(user, other_user):
    mine, theirs = NotInterestedFactory(user=user), NotInterestedFactory(user=other_user)

    mine.movie.delete()
    other_user.delete()

    assert not NotInterested.objects.filter(pk__in=[mine.pk, theirs.pk]).exists()
