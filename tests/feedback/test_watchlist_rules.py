"""The watchlist's rules, broken through validation and through raw SQL, and what
deleting a film or a person does to it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.models import WatchlistEntry
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import MovieFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db

BEFORE_1888 = "This date is before 1888, the year of the first film."
FUTURE = "This date is in the future."


def listed(user) -> list:
    return list(WatchlistEntry.objects.filter(user=user).values_list("movie__title", flat=True))


def entry_row(user, movie, **overrides) -> dict:
    return {"user_id": user.pk, "movie_id": movie.pk, "added_at": timezone.now()} | overrides


def test_a_film_is_once_on_a_person_s_watchlist(user, other_user):
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)

    with pytest.raises(ValidationError) as refused:
        WatchlistEntry(user=user, movie=movie).full_clean()

    assert refused.value.messages == ["This film is already on your watchlist."]
    assert_refused_by_database("feedback_watchlistentry", **entry_row(user, movie))
    raw_insert("feedback_watchlistentry", **entry_row(other_user, movie))  # someone else's
    assert WatchlistEntry.objects.filter(movie=movie).count() == 2


@pytest.mark.parametrize(
    ("added_at", "message", "refused_by_database"),
    [
        (dt.datetime(1887, 12, 31, tzinfo=dt.UTC), BEFORE_1888, True),
        (dt.datetime(2200, 1, 1, tzinfo=dt.UTC), FUTURE, True),
        # The database cannot read the clock: only validation refuses next week.
        (timezone.now() + dt.timedelta(days=7), FUTURE, False),
    ],
)
def test_the_date_it_was_added_is_plausible(user, added_at, message, refused_by_database):
    movie = MovieFactory()

    with pytest.raises(ValidationError) as refused:
        WatchlistEntry(user=user, movie=movie, added_at=added_at).full_clean()

    assert refused.value.message_dict["added_at"] == [message]
    if refused_by_database:
        row = entry_row(user, movie, added_at=added_at)
        assert_refused_by_database("feedback_watchlistentry", **row)


def test_the_database_dates_an_entry_written_without_a_date(user):
    movie = MovieFactory()
    before = timezone.now()

    raw_insert("feedback_watchlistentry", user_id=user.pk, movie_id=movie.pk)

    assert WatchlistEntry.objects.get().added_at >= before - dt.timedelta(seconds=1)


def test_the_entries_go_with_their_film_and_with_their_person(user, other_user):
    kept, deleted = MovieFactory.create_batch(2)
    WatchlistEntryFactory(user=user, movie=kept)
    WatchlistEntryFactory(user=user, movie=deleted)
    WatchlistEntryFactory(user=other_user, movie=kept)

    deleted.delete()
    assert listed(user) == [kept.title]
    other_user.delete()
    assert list(WatchlistEntry.objects.values_list("user", flat=True)) == [user.pk]
