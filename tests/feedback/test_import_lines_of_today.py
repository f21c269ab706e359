"""Letterboxd and IMDb lines keep a day, not a time: one of today is never dated after
the import (8 pm tonight used to be), a watchlist line is left off for a film watched
any time on its day or later, and a film turned down that day stays turned down,
however often the file is imported again. Trakt's watchlist keeps its moments.

The clock is set (the `clock` fixture): what a line of today becomes depends on the
hour, and the tests must not depend on the hour they run at.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from catalog.bounds import IN_THE_FUTURE_MESSAGE
from feedback.imdb_import import imdb_import
from feedback.letterboxd_import import letterboxd_import
from feedback.models import NotInterested, ViewingHistory, WatchlistEntry
from feedback.not_interested import not_interested_add
from feedback.services import movie_media, viewing_record
from feedback.trakt_import import trakt_import
from tests.factories import MovieFactory, UserTimeZoneFactory
from tests.feedback.imdb_csvs import listed, watchlist_csv
from tests.feedback.letterboxd_zips import diary, letterboxd_zip, watched
from tests.feedback.test_trakt_read import json_file, movie
from tests.feedback.test_trakt_read import listed as trakt_listed

pytestmark = pytest.mark.django_db

ST_JOHNS = ZoneInfo("America/St_Johns")  # UTC-3:30 in November
# 10:38 UTC is 7:08 am in St. John's, on the 25th there too.
MORNING = dt.datetime(2025, 11, 25, 10, 38, tzinfo=dt.UTC)
TODAY = "2025-11-25"


class Clock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch):
    """timezone.now(), for the imports, their readers and the models' validators, and
    the dates the site's writes give a turn-down and an entry."""
    now = Clock(MORNING)
    monkeypatch.setattr(timezone, "now", now)
    for model, name in ((NotInterested, "turned_down_at"), (WatchlistEntry, "added_at")):
        # get_default, not default: the field keeps the callable it read (_get_default).
        monkeypatch.setattr(model._meta.get_field(name), "get_default", now)
    return now


@pytest.fixture
def person(user):
    UserTimeZoneFactory(user=user, time_zone="America/St_Johns")
    return user


@pytest.fixture
def get_out():
    return MovieFactory(title="Get Out", year=2017, imdb_id="tt5052448")


def watchlist_zip(day: str = TODAY) -> bytes:
    return letterboxd_zip(watchlist=[watched(day, "Get Out", 2017)])


def watched_here(user, movie, at: dt.datetime):
    """ "I watched this", pressed at `at`."""
    return viewing_record(user=user, media=movie_media(movie=movie), started_at=at)


class TestNothingIsDatedAfterTheImport:
    def test_a_watchlist_line_of_today_is_dated_now_not_tonight(self, clock, person, get_out):
        summary = letterboxd_import(user=person, data=watchlist_zip())

        assert summary.watchlist_added == 1
        assert WatchlistEntry.objects.get(user=person).added_at == MORNING

    def test_a_line_of_an_earlier_day_is_still_put_at_8_pm(self, clock, person, get_out):
        letterboxd_import(user=person, data=watchlist_zip("2025-11-24"))

        evening = dt.datetime(2025, 11, 24, 20, tzinfo=ST_JOHNS)
        assert WatchlistEntry.objects.get(user=person).added_at == evening

    def test_watched_after_the_import_the_same_morning_the_film_leaves_the_watchlist(
        self, clock, person, get_out
    ):
        letterboxd_import(user=person, data=watchlist_zip())
        clock.at = MORNING + dt.timedelta(minutes=2)

        watched_here(person, get_out, clock.at)

        assert not WatchlistEntry.objects.filter(user=person).exists()

    def test_an_imdb_watchlist_row_created_today_is_dated_now(self, clock, person, get_out):
        summary = imdb_import(
            user=person,
            files=[("watchlist.csv", watchlist_csv(listed("tt5052448", "Get Out", 2017, TODAY)))],
        )

        assert summary.watchlist_added == 1
        assert WatchlistEntry.objects.get(user=person).added_at == MORNING

    def test_a_diary_line_of_today_starts_now_and_is_found_again_that_day_and_after(
        self, clock, person, get_out
    ):
        data = letterboxd_zip(diary=[diary(TODAY, "Get Out", 2017)])

        letterboxd_import(user=person, data=data)
        assert list(ViewingHistory.objects.values_list("started_at", flat=True)) == [MORNING]

        # Later that day, the import's moment has moved; the viewing is still the line's.
        for later in (dt.timedelta(hours=3), dt.timedelta(days=1)):
            clock.at = MORNING + later
            again = letterboxd_import(user=person, data=data)
            assert (again.viewings_added, again.already_there) == (0, 1)
        assert ViewingHistory.objects.count() == 1

    def test_a_day_still_to_come_in_the_person_s_zone_is_rejected_even_after_8_pm(
        self, clock, person, get_out
    ):
        # 8:15 pm on the 25th in St. John's: 8 pm on the 26th there is less than the
        # tables' day of leeway ahead, and used to be written, a day in the future.
        clock.at = dt.datetime(2025, 11, 25, 20, 15, tzinfo=ST_JOHNS)
        data = letterboxd_zip(diary=[diary("2025-11-26", "Get Out", 2017)])

        summary = letterboxd_import(user=person, data=data)

        assert summary.rejected == [f"diary.csv:2: Date 2025-11-26: {IN_THE_FUTURE_MESSAGE}"]
        assert not ViewingHistory.objects.exists()


class TestWatchedOnTheLineSDay:
    def test_a_film_watched_this_morning_keeps_today_s_line_off_the_watchlist(
        self, clock, person, get_out
    ):
        watched_here(person, get_out, MORNING)
        clock.at = MORNING + dt.timedelta(minutes=5)

        summary = letterboxd_import(user=person, data=watchlist_zip())

        assert summary.watchlist_watched_since == 1
        assert not WatchlistEntry.objects.exists()

    def test_a_film_watched_early_on_the_line_s_day_keeps_it_off_the_watchlist(
        self, clock, person, get_out
    ):
        # 00:30 on the 24th in St. John's: before 8 pm, where the line is put, yet the
        # file cannot say whether the film was listed before it was watched that day.
        watched_here(person, get_out, dt.datetime(2025, 11, 24, 0, 30, tzinfo=ST_JOHNS))

        summary = letterboxd_import(user=person, data=watchlist_zip("2025-11-24"))

        assert summary.watchlist_watched_since == 1
        assert not WatchlistEntry.objects.exists()

    def test_a_film_watched_the_day_before_the_line_is_listed(self, clock, person, get_out):
        watched_here(person, get_out, dt.datetime(2025, 11, 23, 23, 30, tzinfo=ST_JOHNS))

        summary = letterboxd_import(user=person, data=watchlist_zip("2025-11-24"))

        assert summary.watchlist_added == 1


class TestATurnDownOfTheLineSDayStands:
    def test_turned_down_after_the_import_then_imported_again(self, clock, person, get_out):
        letterboxd_import(user=person, data=watchlist_zip())
        not_interested_add(user=person, movie=get_out)  # at 10:38 UTC, 7:08 am there
        assert NotInterested.objects.get(user=person).turned_down_at == MORNING

        for later in (dt.timedelta(minutes=12), dt.timedelta(hours=12, minutes=30)):
            clock.at = MORNING + later  # after 8 pm, the second time
            again = letterboxd_import(user=person, data=watchlist_zip())

            assert (again.watchlist_turned_down_since, again.turned_down_lifted) == (1, 0)
            assert NotInterested.objects.filter(user=person, movie=get_out).exists()
            assert not WatchlistEntry.objects.exists()

    @pytest.mark.parametrize(
        ("turned_down_at", "lifted"),
        [
            # 11:30 pm on the 24th in St. John's: the day before the line's, though it is
            # the 25th in UTC.
            (dt.datetime(2025, 11, 24, 23, 30, tzinfo=ST_JOHNS), 1),
            # 00:30 on the 25th there: the line's day, though 8 pm on it is later.
            (dt.datetime(2025, 11, 25, 0, 30, tzinfo=ST_JOHNS), 0),
        ],
    )
    def test_by_the_day_in_the_person_s_zone(self, clock, person, get_out, turned_down_at, lifted):
        NotInterested.objects.create(user=person, movie=get_out, turned_down_at=turned_down_at)
        clock.at = MORNING + dt.timedelta(days=1)

        summary = letterboxd_import(user=person, data=watchlist_zip())

        assert (summary.turned_down_lifted, summary.watchlist_added) == (lifted, lifted)
        assert NotInterested.objects.filter(user=person).count() == 1 - lifted

    def test_an_imdb_row_created_the_day_of_the_turn_down_leaves_it(self, clock, person, get_out):
        NotInterested.objects.create(user=person, movie=get_out, turned_down_at=MORNING)
        clock.at = MORNING + dt.timedelta(hours=1)

        summary = imdb_import(
            user=person,
            files=[("watchlist.csv", watchlist_csv(listed("tt5052448", "Get Out", 2017, TODAY)))],
        )

        assert (summary.watchlist_turned_down_since, summary.turned_down_lifted) == (1, 0)
        assert NotInterested.objects.filter(user=person).exists()

    def test_trakt_s_listed_at_a_moment_after_the_turn_down_the_same_day_lifts_it(
        self, clock, person, get_out
    ):
        # Trakt keeps the moment a film was listed: compared as moments still.
        NotInterested.objects.create(user=person, movie=get_out, turned_down_at=MORNING)
        clock.at = MORNING + dt.timedelta(hours=1)
        film = movie("Get Out", 2017, imdb="tt5052448")
        item = trakt_listed(film, (MORNING + dt.timedelta(minutes=30)).isoformat())

        summary = trakt_import(user=person, files=[("watchlist.json", json_file(item))])

        assert (summary.watchlist_turned_down_since, summary.turned_down_lifted) == (0, 1)
        assert WatchlistEntry.objects.filter(user=person).exists()
