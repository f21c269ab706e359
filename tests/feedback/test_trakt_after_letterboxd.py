"""One watch logged in both Letterboxd and Trakt, imported in either order, is one viewing:
Letterboxd's diary line, put at 8 pm on its day, is the watch Trakt keeps the moment of,
in the person's zone now or the one an earlier import was made in, and in the zones
where a day's moments are another day in UTC (+14 and -10). A second watch that day is
a second viewing, and either file imported again changes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from catalog.models import Movie
from feedback.letterboxd_import import letterboxd_import
from feedback.letterboxd_viewings import on_the_day_of
from feedback.models import ViewingHistory, WatchlistEntry
from feedback.trakt_import import trakt_import
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)
from tests.feedback.letterboxd_zips import diary, letterboxd_zip
from tests.feedback.test_letterboxd_zone_change import ZONE_CHANGES, evening, zone_set
from tests.feedback.test_trakt_read import json_file, movie, watched

pytestmark = pytest.mark.django_db

ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)
FAR_ZONES = ["Pacific/Kiritimati", "Pacific/Honolulu"]
# Early, in the evening after 8 pm, and late: in +14 and -10 each is another day in UTC.
TIMES_OF_DAY = [dt.time(0, 30), dt.time(21, 13), dt.time(23, 50)]


@pytest.fixture(autouse=True)
def alien():
    return MovieFactory(title="Alien", year=1979, tmdb_id=348, imdb_id="tt0078748")


def diary_of(*days: str) -> bytes:
    return letterboxd_zip(diary=[diary(day, "Alien", 1979) for day in days])


def moment(day: str, time: dt.time, zone: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), time, tzinfo=ZoneInfo(zone))


def history_of(*moments: dt.datetime) -> bytes:
    """A Trakt history of Alien watched at those moments, written in UTC as Trakt does."""
    return json_file(
        *(
            watched(ALIEN, f"{at.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S}.000Z", number)
            for number, at in enumerate(moments, start=1)
        )
    )


def trakt(user, history: bytes):
    return trakt_import(user=user, files=[("history.json", history)])


def starts(user) -> list[dt.datetime]:
    return sorted(ViewingHistory.objects.filter(user=user).values_list("started_at", flat=True))


@pytest.mark.parametrize("zone", FAR_ZONES)
@pytest.mark.parametrize("time", TIMES_OF_DAY)
def test_a_watch_on_a_diary_line_s_day_is_its_viewing_which_keeps_its_8_pm(user, zone, time):
    zone_set(user, zone)
    letterboxd_import(user=user, data=diary_of("2025-03-01"))

    summary = trakt(user, history_of(moment("2025-03-01", time, zone)))

    assert starts(user) == [evening("2025-03-01", zone)]
    assert not summary.changed
    assert summary.lines() == [
        "1 already there (1 of them a watch logged that day at another time)"
    ]
    assert summary.unchanged_said("files") == (
        "Nothing changed: everything in the files was there already."
    )


@pytest.mark.parametrize("zone", FAR_ZONES)
def test_a_watch_the_day_before_or_after_is_a_viewing_of_its_own(user, zone):
    # In +14, 8 pm on the 2nd is 8 pm on the 1st at -10: still the watch of the 1st is
    # not the 2nd's line, nor is the 3rd's.
    zone_set(user, zone)
    letterboxd_import(user=user, data=diary_of("2025-03-02"))
    before, same_day, after = (
        moment(day, dt.time(21, 13), zone) for day in ("2025-03-01", "2025-03-02", "2025-03-03")
    )

    summary = trakt(user, history_of(before, same_day, after))

    assert starts(user) == [before, evening("2025-03-02", zone), after]
    assert summary.lines()[0] == "2 viewings added"


@pytest.mark.parametrize("zone", FAR_ZONES)
def test_two_watches_in_a_day_and_one_line_are_two_viewings_and_stay_two(user, zone):
    zone_set(user, zone)
    letterboxd_import(user=user, data=diary_of("2025-03-01"))
    morning, night = (
        moment("2025-03-01", dt.time(9), zone),
        moment("2025-03-01", TIMES_OF_DAY[1], zone),
    )

    summary = trakt(user, history_of(night, morning))

    # The line answers for one watch: the earlier, the other is added at its moment.
    assert starts(user) == [evening("2025-03-01", zone), night]
    assert summary.lines() == [
        "1 viewing added",
        "1 already there (1 of them a watch logged that day at another time)",
    ]
    assert not trakt(user, history_of(night, morning)).changed
    assert not letterboxd_import(user=user, data=diary_of("2025-03-01")).changed
    assert starts(user) == [evening("2025-03-01", zone), night]


@pytest.mark.parametrize("zone", FAR_ZONES)
def test_either_order_makes_one_viewing_and_either_file_again_changes_nothing(
    user, other_user, zone
):
    at = moment("2025-03-01", dt.time(21, 13), zone)
    zone_set(user, zone)
    zone_set(other_user, zone)
    letterboxd_import(user=user, data=diary_of("2025-03-01"))
    trakt(user, history_of(at))
    trakt(other_user, history_of(at))
    letterboxd_import(user=other_user, data=diary_of("2025-03-01"))

    for person in (user, other_user):
        again = [
            trakt(person, history_of(at)),
            letterboxd_import(user=person, data=diary_of("2025-03-01")),
        ]
        assert [summary.changed for summary in again] == [False, False]
    # Letterboxd's first: its 8 pm; Trakt's first: its moment.
    assert (starts(user), starts(other_user)) == ([evening("2025-03-01", zone)], [at])


@pytest.mark.parametrize("time", [TIMES_OF_DAY[0], TIMES_OF_DAY[-1]])
@pytest.mark.parametrize(("before", "after"), ZONE_CHANGES)
def test_a_line_imported_in_another_zone_is_found_on_its_day_there(user, before, after, time):
    zone_set(user, before)
    letterboxd_import(user=user, data=diary_of("2025-03-01", "2025-03-02"))
    zone_set(user, after)
    # Watched on the 1st where the person lived then, which may be another day where
    # they live now: early in Tokyo, the 28th in New York; late at -12, the 3rd at +14.
    at = moment("2025-03-01", time, before)

    first = trakt(user, history_of(at))
    again = trakt(user, history_of(at))

    assert starts(user) == [evening("2025-03-01", before), evening("2025-03-02", before)]
    assert (first.changed, again.changed) == (False, False)
    assert first.lines() == again.lines()


def test_a_viewing_logged_here_that_day_is_the_watch_and_keeps_its_time(user, alien):
    zone_set(user, "Pacific/Honolulu")
    logged = moment("2025-03-01", dt.time(15, 7), "Pacific/Honolulu")
    media = MediaFactory(movie=alien)
    ViewingHistoryFactory(user=user, media=media, started_at=logged)
    UserFeedbackFactory(
        user=user, media=media, rating=None, watched_completion=True, timestamp=logged
    )
    # Listed after that viewing: Trakt's watch, later that day, takes it off, as it
    # would have as a viewing of its own (no feedback is written to say so).
    listed_at = moment("2025-03-01", dt.time(16), "Pacific/Honolulu")
    WatchlistEntryFactory(user=user, movie=alien, added_at=listed_at)

    summary = trakt(user, history_of(moment("2025-03-01", dt.time(22, 40), "Pacific/Honolulu")))

    assert starts(user) == [logged]
    assert not WatchlistEntry.objects.filter(user=user).exists()
    assert summary.lines() == [
        "1 film taken off your watchlist: watched since",
        "1 already there (1 of them a watch logged that day at another time)",
    ]


@pytest.mark.parametrize("source", ["trakt", "letterboxd"])
def test_a_viewing_stopped_part_way_that_day_is_not_the_finished_watch(user, alien, source):
    """Started at 7 pm and given up on, here; finished later that day, says the file: the
    history gains the finished viewing, beside the one stopped."""
    zone_set(user, "UTC")
    stopped = moment("2025-03-01", dt.time(19), "UTC")
    ViewingHistoryFactory(
        user=user, media=MediaFactory(movie=alien), started_at=stopped, completed=False
    )

    if source == "trakt":
        summary = trakt(user, history_of(moment("2025-03-01", dt.time(21, 13), "UTC")))
    else:
        summary = letterboxd_import(user=user, data=diary_of("2025-03-01"))

    finished = ViewingHistory.objects.filter(user=user, completed=True)
    assert finished.count() == 1
    assert summary.viewings_added == 1


def test_a_watch_at_a_viewing_s_moment_is_that_viewing_before_a_day_s(user, alien):
    # Two viewings of the day, one at the watch's very moment: that one answers for it,
    # and 8 pm for the day's other watch.
    media = MediaFactory(movie=alien)
    exact = dt.datetime(2025, 3, 1, 23, 0, tzinfo=dt.UTC)
    for at in (exact, evening("2025-03-01", "UTC")):
        ViewingHistoryFactory(user=user, media=media, started_at=at)

    summary = trakt(user, history_of(dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC), exact))

    assert summary.viewings_added == 0
    assert summary.lines() == [
        "1 film marked watched",
        "2 already there (1 of them a watch logged that day at another time)",
    ]


@pytest.mark.parametrize(
    ("at", "day_of"),
    [
        # 8 pm on the 2nd at +14, and on the 1st at -10: either day is the 24 hours from
        # 10:00 UTC on the 1st; the person is in Tokyo now, where the 2nd runs from
        # 15:00 UTC on the 1st.
        (
            "2025-03-02T06:00Z",
            {
                "2025-03-01T09:59Z": False,
                "2025-03-01T10:00Z": True,
                "2025-03-02T14:59Z": True,
                "2025-03-02T15:00Z": False,
            },
        ),
        # 8 pm at no offset: its day in Tokyo alone.
        (
            "2025-03-02T06:07Z",
            {
                "2025-03-01T14:59Z": False,
                "2025-03-01T15:00Z": True,
                "2025-03-02T14:59Z": True,
                "2025-03-02T15:00Z": False,
            },
        ),
    ],
)
def test_a_viewing_s_day_is_its_day_in_the_zone_now_or_at_its_evening_s_offset(at, day_of):
    start, tokyo = dt.datetime.fromisoformat(at), ZoneInfo("Asia/Tokyo")
    found = {
        moment_: on_the_day_of(start, dt.datetime.fromisoformat(moment_), tokyo)
        for moment_ in day_of
    }

    assert found == day_of


# Two savepoints and their releases; the person locked, their zone; the films by TMDB id;
# the person's reviews, feedback and viewings; the films' items read; the feedback
# inserted; the watchlist read; the Marquee ratings read twice and the films' stats read,
# in a savepoint and its release: the viewings are matched in Python, for no query. One
# more: the viewings found, which held no import key, take their watch's id, together.
QUERIES = 16


@pytest.mark.parametrize("size", [5, 40])
def test_watches_found_by_their_day_cost_no_query_more(user, django_assert_num_queries, size):
    films = Movie.objects.bulk_create(
        [Movie(title=f"Film {n}", year=1950 + n, tmdb_id=n + 1) for n in range(size)]
    )
    ViewingHistory.objects.bulk_create(
        ViewingHistory(
            user=user,
            media=MediaFactory(movie=film),
            started_at=evening("2024-01-02", "UTC"),
            completed=True,
        )
        for film in films
    )
    history = json_file(
        *(
            watched(movie(film.title, film.year, tmdb=film.tmdb_id), "2024-01-02T21:13:00Z", n)
            for n, film in enumerate(films)
        )
    )

    with django_assert_num_queries(QUERIES):
        summary = trakt(user, history)

    assert (summary.viewings_added, summary.watches_of_their_day) == (0, size)
