"""Trakt's history, ratings and watchlist imported as one person's: how the films are
matched, what each item becomes, what is refused, that nobody else's rows move, that a
second import changes nothing, and that the queries do not grow with the items."""

import datetime as dt

import pytest

from catalog.models import Movie
from feedback.models import UserFeedback, ViewingHistory, WatchlistEntry
from feedback.trakt import TraktFormatError
from feedback.trakt_import import trakt_import
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)
from tests.feedback.test_trakt_read import (
    episode_watched,
    json_file,
    listed,
    movie,
    rated,
    show_listed,
    watched,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def films():
    return {
        "alien": MovieFactory(title="Alien", year=1979, tmdb_id=348, imdb_id="tt0078748"),
        "heat": MovieFactory(title="Heat", year=1995, tmdb_id=None, imdb_id="tt0113277"),
        "amelie": MovieFactory(
            title="Amélie",
            original_title="Le Fabuleux Destin",
            year=2001,
            tmdb_id=None,
            imdb_id=None,
        ),
        "inception": MovieFactory(title="Inception", year=2010, tmdb_id=27205, imdb_id=None),
    }


ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)
HEAT = movie("Heat", 1995, imdb="tt0113277", tmdb=949)
INCEPTION = movie("Inception", 2010, imdb="tt1375666", tmdb=27205)
AMELIE = movie("Amélie", 2001, imdb="tt0211915", tmdb=194)


def imported(user, **files):
    return trakt_import(user=user, files=[(f"{name}.json", data) for name, data in files.items()])


def viewings_of(user):
    return sorted(
        ViewingHistory.objects.filter(user=user).values_list(
            "media__movie__title", "started_at", "completed"
        )
    )


def watchlist_of(user):
    return list(WatchlistEntry.objects.filter(user=user).values_list("movie__title", "added_at"))


def ratings_of(user):
    rows = UserFeedback.objects.filter(user=user)
    return {
        title: (stars, watched_)
        for title, stars, watched_ in rows.values_list(
            "media__movie__title", "rating", "watched_completion"
        )
    }


class TestHistory:
    def test_each_watch_is_a_finished_viewing_at_its_moment_the_same_film_several_times(
        self, user, films
    ):
        summary = imported(
            user,
            history=json_file(
                watched(ALIEN, "2024-01-02T20:15:00.000Z", 1),
                watched(ALIEN, "2024-01-02T23:40:00.000Z", 2, action="scrobble"),
                watched(INCEPTION, "2023-05-05T18:00:00.000Z", 3, action="checkin"),
            ),
        )

        assert viewings_of(user) == [
            ("Alien", dt.datetime(2024, 1, 2, 20, 15, tzinfo=UTC), True),
            ("Alien", dt.datetime(2024, 1, 2, 23, 40, tzinfo=UTC), True),
            ("Inception", dt.datetime(2023, 5, 5, 18, 0, tzinfo=UTC), True),
        ]
        assert summary.lines() == ["3 viewings added", "2 films marked watched"]

    def test_a_film_watched_is_marked_watched_as_of_its_latest_watch(self, user, films):
        # As a Letterboxd export's watched.csv marks it: no rating needed.
        imported(
            user,
            history=json_file(
                watched(ALIEN, "2024-03-01T10:00:00Z", 1),
                watched(ALIEN, "2022-07-04T21:00:00Z", 2),
            ),
        )

        feedback = UserFeedback.objects.get(user=user)
        assert (feedback.media.movie, feedback.rating) == (films["alien"], None)
        assert feedback.watched_completion is True
        assert feedback.timestamp == dt.datetime(2024, 3, 1, 10, tzinfo=UTC)

    def test_feedback_saying_whether_it_was_finished_or_rated_keeps_its_word_and_date(
        self, user, films
    ):
        stopped = UserFeedbackFactory(
            user=user,
            media=MediaFactory(movie=films["heat"]),
            watched_completion=False,
            rating=None,
        )
        rated_before = UserFeedbackFactory(
            user=user,
            media=MediaFactory(movie=films["alien"]),
            watched_completion=None,
            rating=3,
            timestamp=dt.datetime(2020, 1, 1, tzinfo=UTC),
        )

        summary = imported(user, history=json_file(watched(ALIEN), watched(HEAT, number=2)))

        stopped.refresh_from_db()
        rated_before.refresh_from_db()
        assert stopped.watched_completion is False
        assert (rated_before.rating, rated_before.watched_completion) == (3, True)
        assert rated_before.timestamp == dt.datetime(2020, 1, 1, tzinfo=UTC)
        # Each watch is counted once, by its viewing: the "did not finish" is not a
        # second thing already there.
        assert summary.lines() == ["2 viewings added", "1 film marked watched"]

    def test_a_watch_after_an_older_did_not_finish_marks_the_film_watched(self, user, films):
        stopped = UserFeedbackFactory(
            user=user,
            media=MediaFactory(movie=films["heat"]),
            watched_completion=False,
            rating=None,
            timestamp=dt.datetime(2023, 5, 1, tzinfo=UTC),
        )

        summary = imported(user, history=json_file(watched(HEAT, "2024-03-01T10:00:00Z")))

        stopped.refresh_from_db()
        assert stopped.watched_completion is True
        assert stopped.timestamp == dt.datetime(2024, 3, 1, 10, tzinfo=UTC)
        assert summary.lines() == [
            "1 viewing added",
            "1 film marked watched (1 you had not finished before)",
        ]

    def test_a_watch_after_the_did_not_finish_counts_though_the_rating_is_older(self, user, films):
        stopped = UserFeedbackFactory(
            user=user,
            media=MediaFactory(movie=films["heat"]),
            watched_completion=False,
            rating=None,
            timestamp=dt.datetime(2023, 6, 1, 12, tzinfo=UTC),
        )

        imported(
            user,
            history=json_file(watched(HEAT, "2024-05-01T21:00:00Z")),
            ratings=json_file(rated(HEAT, 8, "2022-01-01T10:00:00Z")),
        )

        stopped.refresh_from_db()
        assert stopped.watched_completion is True
        assert stopped.timestamp == dt.datetime(2024, 5, 1, 21, tzinfo=UTC)

    def test_a_second_import_adds_no_viewing_and_says_so(self, user, films):
        history = json_file(watched(ALIEN, number=1), watched(ALIEN, "2024-03-01T10:00:00Z", 2))
        imported(user, history=history)
        watched_before = ratings_of(user)

        summary = imported(user, history=history)

        assert not summary.changed
        assert summary.unchanged_said("files") == (
            "Nothing changed: everything in the files was there already."
        )
        assert summary.lines() == ["2 already there"]
        assert len(viewings_of(user)) == 2
        assert ratings_of(user) == watched_before == {"Alien": (None, True)}

    def test_a_history_imported_before_its_films_were_marked_watched_marks_them(self, user, films):
        media = MediaFactory(movie=films["alien"])
        ViewingHistoryFactory(
            user=user, media=media, started_at=dt.datetime(2024, 1, 2, 20, 15, tzinfo=UTC)
        )

        summary = imported(user, history=json_file(watched(ALIEN, "2024-01-02T20:15:00Z")))

        assert ratings_of(user) == {"Alien": (None, True)}
        assert summary.lines() == ["1 film marked watched", "1 already there"]

    def test_a_watch_before_the_film_existed_is_rejected(self, user, films):
        summary = imported(user, history=json_file(watched(INCEPTION, "1999-01-01T10:00:00Z")))

        assert summary.rejected[0].startswith("history.json, item 1: watched_at 1999-01-01")
        assert not ViewingHistory.objects.exists()


class TestMatching:
    def test_by_tmdb_id_then_imdb_id_then_title_and_year(self, user, films):
        summary = imported(
            user,
            history=json_file(
                # The TMDB id wins over a title in another language and a year apart.
                watched(movie("Origen", 2011, imdb="tt1375666", tmdb=27205)),
                # Heat has no TMDB id here: its IMDb id finds it.
                watched(HEAT, number=2),
                # Amélie has neither: found by its title and year, accents and all.
                watched(AMELIE, number=3),
            ),
        )

        assert [title for title, *_ in viewings_of(user)] == ["Amélie", "Heat", "Inception"]
        assert summary.not_found == []

    def test_by_title_only_among_films_without_the_ids_given(self, user, films):
        # Inception is known here by another TMDB id: another film, whatever its title.
        summary = imported(user, ratings=json_file(rated(movie("Inception", 2010, tmdb=1), 8)))

        assert summary.not_found == ["ratings.json, item 1: “Inception” (2010): not found"]
        assert not UserFeedback.objects.exists()

    def test_an_item_without_ids_is_found_by_title_and_year(self, user, films):
        imported(user, ratings=json_file(rated(movie("Inception", 2010), 10)))

        assert ratings_of(user) == {"Inception": (5, True)}

    def test_films_not_in_the_catalog_are_listed_once_each(self, user, films):
        stalker = movie("Сталкер", 1979, imdb="tt0079944", tmdb=1398)

        summary = imported(
            user,
            history=json_file(watched(stalker)),
            watchlist=json_file(listed(stalker), listed(ALIEN, rank=2)),
        )

        assert summary.not_found == [
            "history.json, item 1: “Сталкер” (1979): not found",
            "watchlist.json, item 1: “Сталкер” (1979): not found",
        ]
        assert WatchlistEntry.objects.get(user=user).movie == films["alien"]


class TestRatingsAndWatchlist:
    def test_a_rating_is_imdb_s_halved_rounded_up_and_marks_the_film_watched(self, user, films):
        summary = imported(
            user, ratings=json_file(rated(ALIEN, 7, "2024-03-01T12:00:00Z"), rated(HEAT, 10))
        )

        assert ratings_of(user) == {"Alien": (4, True), "Heat": (5, True)}
        alien = UserFeedback.objects.get(user=user, media__movie=films["alien"])
        assert alien.timestamp == dt.datetime(2024, 3, 1, 12, tzinfo=UTC)
        assert "2 ratings set (1 odd rating rounded up to the next whole star)" in summary.lines()
        assert not ViewingHistory.objects.exists()

    def test_the_newer_of_trakt_s_and_marquee_s_rating_wins(self, user, films):
        for film, day in (("alien", 2020), ("heat", 2025)):
            UserFeedbackFactory(
                user=user,
                media=MediaFactory(movie=films[film]),
                rating=1,
                timestamp=dt.datetime(day, 1, 1, tzinfo=UTC),
            )

        summary = imported(
            user, ratings=json_file(rated(ALIEN, 8), rated(HEAT, 8, "2024-01-01T00:00:00Z"))
        )

        assert ratings_of(user)["Alien"][0] == 4
        assert ratings_of(user)["Heat"][0] == 1
        assert (summary.ratings_set, summary.ratings_kept) == (1, 1)

    def test_the_watchlist_leaves_off_a_film_watched_since(self, user, films):
        summary = imported(
            user,
            watchlist=json_file(
                listed(ALIEN, "2023-01-01T00:00:00Z"), listed(HEAT, "2023-01-01T00:00:00Z", 2)
            ),
            history=json_file(watched(ALIEN, "2024-01-02T20:15:00Z")),
        )

        assert watchlist_of(user) == [("Heat", dt.datetime(2023, 1, 1, tzinfo=UTC))]
        assert summary.watchlist_watched_since == 1

    def test_a_watch_takes_off_an_entry_from_before_it_and_leaves_one_listed_after(
        self, user, films
    ):
        WatchlistEntryFactory(
            user=user, movie=films["alien"], added_at=dt.datetime(2023, 1, 1, tzinfo=UTC)
        )

        summary = imported(
            user,
            history=json_file(
                watched(ALIEN, "2024-01-02T20:15:00Z"), watched(HEAT, "2024-01-02T20:15:00Z", 2)
            ),
            # Listed after its watch, to see again: the watch does not keep it off.
            watchlist=json_file(listed(HEAT, "2024-06-01T00:00:00Z")),
        )

        assert watchlist_of(user) == [("Heat", dt.datetime(2024, 6, 1, tzinfo=UTC))]
        assert (summary.watchlist_taken_off, summary.watchlist_added) == (1, 1)
        assert ratings_of(user) == {"Alien": (None, True), "Heat": (None, True)}

    def test_shows_and_episodes_are_said_not_rejected(self, user, films):
        summary = imported(
            user,
            history=json_file(episode_watched(), episode_watched("2024-01-03T21:00:00Z")),
            watchlist=json_file(show_listed(), listed(ALIEN)),
        )

        assert summary.rejected == []
        assert summary.lines() == [
            "1 watchlist entry added",
            "3 items were shows or episodes, not films",
        ]

    def test_bad_items_are_counted_as_items(self, user, films):
        summary = imported(user, ratings=json_file(rated(ALIEN, 8), rated(HEAT, 12)))

        assert "1 item rejected" in summary.lines()
        assert ratings_of(user) == {"Alien": (4, True)}


def test_every_kind_again_changes_nothing(user, films):
    files = {
        "history": json_file(watched(ALIEN), watched(INCEPTION, number=2)),
        "ratings": json_file(rated(ALIEN, 9), rated(HEAT, 6)),
        "watchlist": json_file(listed(AMELIE)),
    }
    first = imported(user, **files)
    before = (viewings_of(user), ratings_of(user), list(WatchlistEntry.objects.values_list()))

    again = imported(user, **files)

    assert first.changed
    assert not again.changed
    assert (
        viewings_of(user),
        ratings_of(user),
        list(WatchlistEntry.objects.values_list()),
    ) == before
    assert again.lines() == ["5 already there"]


def test_another_person_s_rows_are_untouched(user, other_user, films):
    theirs = UserFeedbackFactory(
        user=other_user, media=MediaFactory(movie=films["alien"]), rating=1
    )
    WatchlistEntryFactory(user=other_user, movie=films["heat"])

    imported(
        user,
        ratings=json_file(rated(ALIEN, 10)),
        history=json_file(watched(HEAT)),
    )

    theirs.refresh_from_db()
    assert theirs.rating == 1
    assert WatchlistEntry.objects.filter(user=other_user).count() == 1
    assert not ViewingHistory.objects.filter(user=other_user).exists()


def test_a_file_refused_whole_writes_nothing_of_the_others(user, films):
    with pytest.raises(TraktFormatError):
        imported(user, ratings=json_file(rated(ALIEN, 8)), notes=b"not json")

    assert not UserFeedback.objects.exists()


# Two savepoints and their releases; the person locked, their zone; the films by TMDB id,
# by IMDb id, by title and year (for the one the catalog lacks); the person's reviews,
# feedback, viewings and watchlist, and the films of the file's watchlist they turned
# down; the items read, inserted and read back; feedback,
# viewings and watchlist inserted; the Marquee ratings read twice and inserted, and the
# films' stats (three).
QUERIES = 26


@pytest.mark.parametrize("size", [5, 40])
def test_the_queries_do_not_grow_with_the_items(user, django_assert_num_queries, size):
    movies = Movie.objects.bulk_create(
        [Movie(title=f"Film {n}", year=1950 + n, tmdb_id=n + 1) for n in range(size)]
    )
    films = [movie(m.title, m.year, tmdb=m.tmdb_id) for m in movies]
    nowhere = movie("Nowhere", 1999, imdb="tt9999999", tmdb=999999)
    files = {
        "history": json_file(
            *(watched(film, number=n) for n, film in enumerate(films)), episode_watched()
        ),
        "ratings": json_file(*(rated(film, 7) for film in films), rated(nowhere, 5)),
        # Listed after they were watched: each one goes on the watchlist.
        "watchlist": json_file(
            *(listed(film, "2024-06-01T00:00:00Z", rank=n) for n, film in enumerate(films))
        ),
    }

    with django_assert_num_queries(QUERIES):
        summary = imported(user, **files)

    assert (summary.viewings_added, summary.ratings_set) == (size, size)
    assert summary.watchlist_added == size
    assert summary.not_found == [f"ratings.json, item {size + 1}: “Nowhere” (1999): not found"]
    assert summary.not_films == 1
