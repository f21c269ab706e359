"""A Letterboxd export imported as one person's history: what each file becomes, how its
films are matched, what is refused, and that a second import changes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError
from django.utils import timezone

from catalog.bounds import IN_THE_FUTURE_MESSAGE
from catalog.models import Movie, MovieRatingStats, Rating, RatingSource, Review
from catalog.models.reviews import (
    MEMBER_REVIEW_BLANK_MESSAGE,
    MEMBER_REVIEW_MAX_LENGTH,
    MEMBER_REVIEW_TOO_LONG_MESSAGE,
)
from catalog.rating_stats import refresh_rating_stats
from feedback.letterboxd import MAX_UNZIPPED, LetterboxdFormatError
from feedback.letterboxd_import import letterboxd_import
from feedback.letterboxd_summary import LetterboxdSummary
from feedback.models import (
    Media,
    NotInterested,
    UserFeedback,
    UserTimeZone,
    ViewingHistory,
    WatchlistEntry,
)
from feedback.services import feedback_record, marquee_rating_sync, movie_media
from tests.factories import (
    MediaFactory,
    MovieFactory,
    NotInterestedFactory,
    RatingFactory,
    ReviewFactory,
    UserFeedbackFactory,
    UserTimeZoneFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)
from tests.feedback.letterboxd_zips import (
    diary,
    letterboxd_zip,
    rating,
    review,
    watched,
)
from tests.imports.unreadable_zips import UNKNOWN_METHOD, unreadable

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def evening(day: str, zone=BERLIN) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(20), tzinfo=zone)


@pytest.fixture(autouse=True)
def site_in_berlin(settings):
    settings.TIME_ZONE = "Europe/Berlin"


@pytest.fixture
def films():
    return {
        "alien": MovieFactory(title="Alien", year=1979),
        "amelie": MovieFactory(title="Amélie", original_title="Le Fabuleux Destin", year=2001),
        "matrix": MovieFactory(title="Matrix, The", year=1999),
        "crouching": MovieFactory(title="Crouching Tiger, Hidden Dragon", year=2000),
        "dundee": MovieFactory(title='"Crocodile" Dundee', year=1986),
        "spirited": MovieFactory(
            title="Spirited Away", original_title="千と千尋の神隠し", year=2001
        ),
    }


def titles_rated(user) -> dict[str, int]:
    rows = UserFeedback.objects.filter(user=user, rating__isnull=False)
    return dict(rows.values_list("media__movie__title", "rating"))


class TestWhatEachFileBecomes:
    def test_diary_lines_are_finished_viewings_on_their_day_in_the_person_s_zone(self, user, films):
        UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")
        data = letterboxd_zip(
            diary=[diary("2024-03-01", "Alien", 1979, "4", logged="2024-03-05")],
        )

        summary = letterboxd_import(user=user, data=data)

        viewing = ViewingHistory.objects.get(user=user)
        assert viewing.media.movie == films["alien"]
        assert viewing.completed is True
        assert viewing.started_at == evening("2024-03-01", ZoneInfo("Asia/Tokyo"))
        assert summary.viewings_added == 1
        # The diary's rating counts when ratings.csv lacks the film.
        assert titles_rated(user) == {"Alien": 4}

    def test_titles_match_folded_and_with_the_article_turned_round(self, user, films):
        data = letterboxd_zip(
            ratings=[
                rating("2024-01-01", "AMELIE", 2001, "5"),
                rating("2024-01-01", "The Matrix", 1999, "4"),
                rating("2024-01-01", "Crouching Tiger, Hidden Dragon", 2000, "3"),
                rating("2024-01-01", '"Crocodile" Dundee', 1986, "2"),
                rating("2024-01-01", "千と千尋の神隠し", 2001, "5"),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        assert titles_rated(user) == {
            "Amélie": 5,
            "Matrix, The": 4,
            "Crouching Tiger, Hidden Dragon": 3,
            '"Crocodile" Dundee': 2,
            "Spirited Away": 5,
        }
        assert summary.not_found == summary.ambiguous == summary.rejected == []

    def test_a_film_not_in_the_catalog_or_in_it_twice_is_reported_not_guessed(self, user, films):
        MovieFactory(title="Solaris", year=1972)
        MovieFactory(title="Solaris", year=1972)
        data = letterboxd_zip(
            ratings=[
                rating("2024-01-01", "Solaris", 1972, "5"),
                rating("2024-01-01", "Stalker", 1979, "5"),
                rating("2024-01-01", "Alien", 1979, "3"),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        assert summary.ambiguous == ["ratings.csv:2: “Solaris” (1972): more than one film"]
        assert summary.not_found == ["ratings.csv:3: “Stalker” (1979): not found"]
        assert titles_rated(user) == {"Alien": 3}

    def test_a_film_not_found_is_counted_once_however_many_lines_name_it(self, user, films):
        MovieFactory(title="Solaris", year=1972)
        MovieFactory(title="Solaris", year=1972)
        data = letterboxd_zip(
            diary=[diary("2024-01-01", "Stalker", 1979), diary("2024-01-02", "Solaris", 1972)],
            ratings=[
                rating("2024-01-01", "Stalker", 1979, "5"),
                rating("2024-01-02", "Solaris", 1972, "4"),
            ],
            watched=[watched("2024-01-01", "Stalker", 1979)],
            watchlist=[watched("2023-01-01", "Sátántangó", 1994)],
        )

        summary = letterboxd_import(user=user, data=data)

        assert "2 films not found" in summary.lines()
        assert "1 film with more than one film of that title and year" in summary.lines()
        assert (len(summary.not_found), len(summary.ambiguous)) == (4, 2)

    def test_half_stars_are_rounded_up_and_counted(self, user, films):
        data = letterboxd_zip(
            ratings=[
                rating("2024-01-01", "Alien", 1979, "0.5"),
                rating("2024-01-01", "Amélie", 2001, "3.5"),
                rating("2024-01-01", "The Matrix", 1999, "4"),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        assert titles_rated(user) == {"Alien": 1, "Amélie": 4, "Matrix, The": 4}
        assert (summary.ratings_set, summary.half_stars_rounded) == (3, 2)
        assert "3 ratings set (2 half-star ratings rounded up)" in summary.lines()

    def test_watched_films_are_watched_to_the_end_unless_feedback_says_otherwise(self, user, films):
        stopped = feedback_record(
            user=user, media=movie_media(movie=films["amelie"]), watched_completion=False
        )
        data = letterboxd_zip(
            watched=[watched("2024-02-02", "Alien", 1979), watched("2024-02-02", "Amélie", 2001)]
        )

        summary = letterboxd_import(user=user, data=data)

        alien = UserFeedback.objects.get(user=user, media__movie=films["alien"])
        assert alien.watched_completion is True
        assert alien.timestamp == evening("2024-02-02")
        stopped.refresh_from_db()
        assert stopped.watched_completion is False
        assert (summary.watched_marked, summary.already_there) == (1, 1)

    def test_diary_films_are_watched_to_the_end_without_watched_csv(self, user, films):
        # An export cut down to its diary: each film logged was watched, as watched.csv
        # would say, dated by its latest line's Date (when it was logged).
        data = letterboxd_zip(
            diary=[
                diary("2024-02-01", "Alien", 1979, logged="2024-02-03"),
                diary("2023-01-01", "Alien", 1979),
                diary("2024-02-02", "Amélie", 2001, "3"),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        alien = UserFeedback.objects.get(user=user, media__movie=films["alien"])
        assert (alien.watched_completion, alien.rating) == (True, None)
        assert alien.timestamp == evening("2024-02-03")
        amelie = UserFeedback.objects.get(user=user, media__movie=films["amelie"])
        assert (amelie.watched_completion, amelie.rating) == (True, 3)
        assert summary.lines() == ["3 viewings added", "1 rating set", "2 films marked watched"]
        # Again: each line is counted by its viewing (and Amélie's by its rating too),
        # not a second time for saying the film was watched.
        assert letterboxd_import(user=user, data=data).lines() == ["4 already there"]

    def test_watched_csv_dates_a_film_the_diary_has_too(self, user, films):
        data = letterboxd_zip(
            watched=[watched("2024-02-10", "Alien", 1979)],
            diary=[diary("2024-02-01", "Alien", 1979, logged="2024-02-03")],
        )

        summary = letterboxd_import(user=user, data=data)

        alien = UserFeedback.objects.get(user=user)
        assert (alien.watched_completion, alien.timestamp) == (True, evening("2024-02-10"))
        assert (summary.watched_marked, summary.viewings_added) == (1, 1)

    def test_watchlist_entries_are_dated_and_one_watched_since_is_left_off(self, user, films):
        data = letterboxd_zip(
            watchlist=[
                watched("2023-05-01", "Alien", 1979),
                watched("2023-05-01", "Amélie", 2001),
            ],
            diary=[diary("2023-06-01", "Amélie", 2001)],
        )

        summary = letterboxd_import(user=user, data=data)

        entry = WatchlistEntry.objects.get(user=user)
        assert (entry.movie, entry.added_at) == (films["alien"], evening("2023-05-01"))
        assert (summary.watchlist_added, summary.watchlist_watched_since) == (1, 1)

    # The same day: both at 8 pm of it, and watched then is watched after it was added.
    @pytest.mark.parametrize("added", ["2020-01-01", "2021-01-01"], ids=["before", "same day"])
    def test_a_viewing_after_an_entry_takes_the_film_off_the_watchlist(self, user, films, added):
        WatchlistEntryFactory(user=user, movie=films["alien"], added_at=evening(added))
        data = letterboxd_zip(diary=[diary("2021-01-01", "Alien", 1979)])

        summary = letterboxd_import(user=user, data=data)

        assert not WatchlistEntry.objects.filter(user=user).exists()
        assert summary.watchlist_taken_off == 1

    def test_a_review_counts_as_having_watched_the_film(self, user, films):
        # As a review written on the site does (feedback/watchlist.py): the watchlist
        # entry from before it goes, the one in the file from before it is left off.
        WatchlistEntryFactory(user=user, movie=films["alien"], added_at=evening("2020-01-01"))
        data = letterboxd_zip(
            watchlist=[watched("2022-05-01", "Amélie", 2001)],
            reviews=[
                review("2021-01-01", "Alien", 1979, "Tense."),
                review("2023-01-01", "Amélie", 2001, "Charming."),
            ],
        )

        summary = letterboxd_import(user=user, data=data)

        assert not WatchlistEntry.objects.filter(user=user).exists()
        assert (summary.watchlist_taken_off, summary.watchlist_watched_since) == (1, 1)

    def test_a_review_already_here_keeps_a_film_watched_before_off_the_watchlist(self, user, films):
        ReviewFactory(member=True, user=user, movie=films["alien"], posted_at=evening("2023-01-01"))
        data = letterboxd_zip(watchlist=[watched("2022-05-01", "Alien", 1979)])

        summary = letterboxd_import(user=user, data=data)

        assert not WatchlistEntry.objects.filter(user=user).exists()
        assert summary.watchlist_watched_since == 1

    def test_an_undated_review_here_says_nothing_of_when_the_film_was_watched(self, user, films):
        # Staff may enter a member's review without a date (the admin allows it). It used
        # to end the import in a TypeError, comparing no date with the watchlist's.
        ReviewFactory(member=True, user=user, movie=films["alien"], posted_at=None)
        data = letterboxd_zip(watchlist=[watched("2022-05-01", "Alien", 1979)])

        summary = letterboxd_import(user=user, data=data)

        entry = WatchlistEntry.objects.get(user=user)
        assert (entry.movie, entry.added_at) == (films["alien"], evening("2022-05-01"))
        assert summary.watchlist_watched_since == 0

    def test_reviews_keep_the_newest_of_a_film_and_the_person_s_own(self, user, films):
        own = ReviewFactory(member=True, user=user, movie=films["amelie"], text="Mine.")
        data = letterboxd_zip(
            reviews=[
                review("2022-01-01", "Alien", 1979, "First thoughts."),
                review("2023-01-01", "Alien", 1979, "Still “great”, in space.\nTwo lines."),
                review("2023-01-01", "Amélie", 2001, "Theirs from Letterboxd."),
                review("2023-01-01", "The Matrix", 1999, "   "),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        alien = Review.objects.get(user=user, movie=films["alien"])
        assert alien.text == "Still “great”, in space.\nTwo lines."
        assert alien.posted_at == evening("2023-01-01")
        assert alien.contains_spoilers is False
        assert alien.sentiment_label
        own.refresh_from_db()
        assert own.text == "Mine."
        assert (summary.reviews_added, summary.reviews_kept) == (1, 1)
        # The review before it spans two lines: the blank one starts on the sixth.
        assert summary.rejected == [f"reviews.csv:6: {MEMBER_REVIEW_BLANK_MESSAGE}"]

    def test_a_review_line_refused_writes_nothing_its_rating_neither(self, user, films):
        too_long = "x" * (MEMBER_REVIEW_MAX_LENGTH + 1)
        data = letterboxd_zip(
            reviews=[
                review("2024-01-01", "Alien", 1979, too_long, stars="5"),
                review("2024-01-01", "The Matrix", 1999, " ", stars="4"),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        assert summary.rejected == [
            f"reviews.csv:2: {MEMBER_REVIEW_TOO_LONG_MESSAGE}",
            f"reviews.csv:3: {MEMBER_REVIEW_BLANK_MESSAGE}",
        ]
        assert (summary.ratings_set, summary.reviews_added) == (0, 0)
        assert not UserFeedback.objects.filter(user=user).exists()
        assert not Rating.objects.filter(user=user).exists()
        assert not Review.objects.filter(user=user).exists()

    def test_a_film_s_older_review_is_taken_when_its_newest_is_refused(self, user, films):
        data = letterboxd_zip(
            reviews=[
                review("2022-01-01", "Alien", 1979, "First thoughts.", stars="4"),
                review("2023-01-01", "Alien", 1979, " ", stars="1"),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        assert Review.objects.get(user=user, movie=films["alien"]).text == "First thoughts."
        assert UserFeedback.objects.get(user=user).rating == 4
        assert summary.rejected == [f"reviews.csv:3: {MEMBER_REVIEW_BLANK_MESSAGE}"]


class TestNewerWins:
    def test_letterboxd_s_newer_rating_replaces_marquee_s(self, user, films):
        old = UserFeedbackFactory(
            user=user,
            media=movie_media(movie=films["alien"]),
            rating=2,
            timestamp=evening("2020-01-01"),
        )
        old.media.save()
        old.save()
        data = letterboxd_zip(ratings=[rating("2024-01-01", "Alien", 1979, "5")])

        summary = letterboxd_import(user=user, data=data)

        old.refresh_from_db()
        assert (old.rating, old.timestamp) == (5, evening("2024-01-01"))
        assert summary.ratings_set == 1
        assert Rating.objects.get(user=user, source=RatingSource.MARQUEE).value == 5

    def test_marquee_s_newer_rating_is_kept(self, user, films):
        feedback_record(user=user, media=movie_media(movie=films["alien"]), rating=2)
        data = letterboxd_zip(ratings=[rating("2024-01-01", "Alien", 1979, "5")])

        summary = letterboxd_import(user=user, data=data)

        assert titles_rated(user) == {"Alien": 2}
        assert (summary.ratings_set, summary.ratings_kept) == (0, 1)

    def test_ratings_csv_s_rating_wins_over_the_diary_s_and_a_review_s(self, user, films):
        # ratings.csv holds the film's rating as it is now; the diary and reviews keep
        # what it was when each was written.
        data = letterboxd_zip(
            ratings=[rating("2024-01-01", "Alien", 1979, "4")],
            diary=[diary("2023-06-01", "Alien", 1979, "2")],
            reviews=[review("2023-06-01", "Alien", 1979, "Slow.", "3")],
        )

        letterboxd_import(user=user, data=data)

        assert titles_rated(user) == {"Alien": 4}

    def test_feedback_said_after_the_file_s_rating_keeps_its_date(self, user, films):
        later = evening("2024-06-01")
        said = UserFeedbackFactory(
            user=user,
            media=movie_media(movie=films["alien"]),
            watched_completion=True,
            would_watch_again=True,
            rating=None,
            timestamp=later,
        )
        said.media.save()
        said.save()
        data = letterboxd_zip(ratings=[rating("2024-01-01", "Alien", 1979, "5")])

        letterboxd_import(user=user, data=data)

        said.refresh_from_db()
        assert (said.rating, said.timestamp) == (5, later)

    def test_a_film_watched_after_an_older_did_not_finish_is_watched(self, user, films):
        stopped = not_finished(user, films["alien"], evening("2023-05-01"), rating=2)
        data = letterboxd_zip(watched=[watched("2024-02-02", "Alien", 1979)])

        summary = letterboxd_import(user=user, data=data)

        stopped.refresh_from_db()
        assert (stopped.watched_completion, stopped.rating) == (True, 2)
        assert stopped.timestamp == evening("2024-02-02")
        assert "1 film marked watched (1 you had not finished before)" in summary.lines()
        assert letterboxd_import(user=user, data=data).lines() == ["1 already there"]

    def test_a_diary_line_after_the_did_not_finish_counts_though_watched_csv_is_older(
        self, user, films
    ):
        stopped = not_finished(user, films["alien"], evening("2023-06-01"))
        data = letterboxd_zip(
            watched=[watched("2022-01-01", "Alien", 1979)],
            diary=[diary("2024-05-01", "Alien", 1979)],
        )

        letterboxd_import(user=user, data=data)

        stopped.refresh_from_db()
        assert (stopped.watched_completion, stopped.timestamp) == (True, evening("2024-05-01"))

    def test_a_did_not_finish_of_the_watch_s_day_or_later_stays(self, user, films):
        for day, title in (("2024-02-02", "alien"), ("2024-03-01", "amelie")):
            # 9:07 that morning: no moment an import would have put it at.
            not_finished(user, films[title], evening(day) - dt.timedelta(hours=10, minutes=53))
        data = letterboxd_zip(
            watched=[watched("2024-02-02", "Alien", 1979), watched("2024-02-02", "Amélie", 2001)]
        )

        summary = letterboxd_import(user=user, data=data)

        assert set(
            UserFeedback.objects.filter(user=user).values_list("watched_completion", flat=True)
        ) == {False}
        assert (summary.watched_marked, summary.already_there) == (0, 2)

    def test_the_file_s_newer_rating_does_not_hide_an_older_did_not_finish(self, user, films):
        stopped = not_finished(user, films["alien"], evening("2023-05-01"))
        data = letterboxd_zip(
            ratings=[rating("2024-03-01", "Alien", 1979, "4")],
            watched=[watched("2024-02-02", "Alien", 1979)],
        )

        letterboxd_import(user=user, data=data)

        stopped.refresh_from_db()
        assert (stopped.watched_completion, stopped.rating) == (True, 4)
        assert stopped.timestamp == evening("2024-03-01")


def not_finished(user, film, timestamp, rating=None) -> UserFeedback:
    """The person's "did not finish" of `film`, said at `timestamp`."""
    media = movie_media(movie=film)
    media.save()
    return UserFeedbackFactory(
        user=user, media=media, watched_completion=False, rating=rating, timestamp=timestamp
    )


def a_full_export() -> bytes:
    return letterboxd_zip(
        watched=[watched("2024-01-02", "Alien", 1979), watched("2024-01-02", "Amélie", 2001)],
        ratings=[
            rating("2024-01-02", "Alien", 1979, "4.5"),
            rating("2024-01-03", "Amélie", 2001, "3"),
        ],
        diary=[
            diary("2024-01-01", "Alien", 1979, "4.5", logged="2024-01-02"),
            diary("2024-01-01", "Alien", 1979, "4.5", logged="2024-01-02"),
            diary("2024-01-03", "The Matrix", 1999, "2", rewatch="Yes", tags="cyber, punk"),
            diary("2024-01-03", "Nowhere", 1999, "2"),
        ],
        reviews=[review("2024-01-02", "Alien", 1979, "In space, no one…", "4.5")],
        watchlist=[watched("2023-12-01", "Crouching Tiger, Hidden Dragon", 2000)],
    )

    @pytest.mark.parametrize(
        ("turned_down_on", "listed", "turned_down"), [("2023-06-01", 0, 1), ("2021-06-01", 1, 0)]
    )
    def test_the_later_of_a_turned_down_film_and_its_watchlist_entry_wins(
        self, user, films, turned_down_on, listed, turned_down
    ):
        """Turned down ("not interested") in Marquee, and on the file's watchlist: the
        later wish wins, as on the pages, where each takes the other away. The import
        used to write the entry whatever the date, leaving both: the film page showed
        both, and Tonight never offered a film on the watchlist."""
        NotInterestedFactory(
            user=user, movie=films["alien"], turned_down_at=evening(turned_down_on)
        )
        data = letterboxd_zip(watchlist=[watched("2022-05-01", "Alien", 1979)])

        summary = letterboxd_import(user=user, data=data)

        assert WatchlistEntry.objects.filter(user=user).count() == listed
        assert NotInterested.objects.filter(user=user).count() == turned_down
        assert (summary.watchlist_turned_down_since, summary.turned_down_lifted) == (
            turned_down,
            listed,
        )
        said = (
            "1 watchlist entry left off: you turned the film down since"
            if turned_down
            else "1 film you had turned down suggested again: on your watchlist since"
        )
        assert said in summary.lines()


class TestAgain:
    def test_repeated_diary_lines_and_a_second_import_add_nothing(self, user, films):
        first = letterboxd_import(user=user, data=a_full_export())
        rows, items = snapshot(user), Media.objects.count()

        second = letterboxd_import(user=user, data=a_full_export())

        assert first.viewings_added == 2  # the repeated Alien line is one viewing
        assert (snapshot(user), Media.objects.count()) == (rows, items)
        assert not second.changed
        assert (
            second.viewings_added,
            second.ratings_set,
            second.ratings_kept,
            second.watched_marked,
            second.watchlist_added,
            second.reviews_added,
            second.reviews_kept,
        ) == (0, 0, 0, 0, 0, 0, 0)
        assert second.already_there == 10
        assert second.not_found == first.not_found == ["diary.csv:5: “Nowhere” (1999): not found"]

    def test_the_marquee_ratings_and_stats_are_as_the_service_leaves_them(self, user, films):
        RatingFactory(movie=films["alien"], value=2)  # someone else's vote
        feedback_record(user=user, media=movie_media(movie=films["amelie"]), rating=5)

        letterboxd_import(user=user, data=a_full_export())

        ratings, stats = marquee_state()
        for movie in films.values():
            marquee_rating_sync(user_id=user.pk, movie_id=movie.pk)
        refresh_rating_stats([movie.pk for movie in films.values()])
        assert marquee_state() == (ratings, stats)
        assert ratings[user.pk, films["alien"].pk] == 5
        assert ratings[user.pk, films["amelie"].pk] == 5  # Marquee's, newer

    def test_another_person_s_rows_are_untouched(self, user, other_user, films):
        media = MediaFactory(movie=films["alien"])
        UserFeedbackFactory(user=other_user, media=media, rating=1)
        ViewingHistoryFactory(user=other_user, media=media, started_at=evening("2024-01-01"))
        ReviewFactory(member=True, user=other_user, movie=films["alien"], text="Other's.")
        WatchlistEntryFactory(user=other_user, movie=films["crouching"])
        before = snapshot(other_user)

        letterboxd_import(user=user, data=a_full_export())

        assert snapshot(other_user) == before
        assert Review.objects.filter(movie=films["alien"]).count() == 2


def snapshot(user):
    return (
        sorted(
            UserFeedback.objects.filter(user=user).values_list(
                "rating", "watched_completion", "timestamp"
            )
        ),
        sorted(ViewingHistory.objects.filter(user=user).values_list("media_id", "started_at")),
        sorted(WatchlistEntry.objects.filter(user=user).values_list("movie_id", "added_at")),
        sorted(Review.objects.filter(user=user).values_list("movie_id", "text", "posted_at")),
    )


def marquee_state():
    """Every Marquee rating, by person and film, and every film's rating stats."""
    marquee = Rating.objects.filter(source=RatingSource.MARQUEE)
    ratings = {(u, m): v for u, m, v in marquee.values_list("user_id", "movie_id", "value")}
    stats = sorted(MovieRatingStats.objects.values_list("movie_id", "votes", "score"))
    return ratings, stats


class TestColumns:
    """Files are read by the columns docs/imports.md says are read; Letterboxd's others
    (Tags, Rewatch, each file's link) may be missing, as in a file cut down by hand."""

    CUT_DOWN = {
        "watched.csv": "Date,Name,Year\n2024-01-01,Alien,1979\n",
        "ratings.csv": "Name,Year,Rating,Date\nAmélie,2001,4,2024-01-02\n",
        # Without the entries' links, two lines of a film and day are one entry.
        "diary.csv": (
            "Date,Name,Year,Rating,Watched Date\n"
            "2024-01-03,Spirited Away,2001,,2024-01-03\n"
            "2024-01-03,Spirited Away,2001,,2024-01-03\n"
        ),
        "reviews.csv": "Date,Name,Year,Rating,Review\n2024-01-04,Alien,1979,,Still scary.\n",
        "watchlist.csv": "Date,Name,Year\n2024-01-05,The Matrix,1999\n",
    }

    def test_files_with_only_the_columns_read_are_read_whole(self, user, films):
        summary = letterboxd_import(user=user, data=letterboxd_zip(extra=self.CUT_DOWN))

        assert summary.rejected == []
        assert titles_rated(user) == {"Amélie": 4}
        assert list(
            ViewingHistory.objects.filter(user=user).values_list("started_at", flat=True)
        ) == [evening("2024-01-03")]
        assert Review.objects.get(user=user).text == "Still scary."
        assert UserFeedback.objects.get(user=user, media__movie=films["alien"]).watched_completion
        assert list(WatchlistEntry.objects.filter(user=user).values_list("movie", flat=True)) == [
            films["matrix"].pk
        ]

    @pytest.mark.parametrize(
        ("name", "header", "missing"),
        [
            ("diary.csv", "Date,Name,Year,Rating", "Watched Date"),
            ("ratings.csv", "Date,Name,Year,Letterboxd URI", "Rating"),
            ("reviews.csv", "Date,Name,Year,Rating,Tags", "Review"),
            ("watched.csv", "Name,Letterboxd URI", "Date, Year"),
        ],
    )
    def test_a_file_without_a_column_read_is_not_read_and_says_which(
        self, user, films, name, header, missing
    ):
        data = letterboxd_zip(
            extra={name: f"{header}\n", "watchlist.csv": "Date,Name,Year\n2024-01-05,Alien,1979\n"}
        )

        summary = letterboxd_import(user=user, data=data)

        assert summary.rejected == [f"{name}:1: no column {missing}: the file was not read"]
        assert summary.watchlist_added == 1


class TestRejected:
    def test_bad_lines_are_listed_and_the_rest_is_imported(self, user, films):
        data = letterboxd_zip(
            ratings=[
                rating("2024-01-01", "Alien", 1979, "0"),
                rating("2024-01-01", "Alien", 1979, "6"),
                rating("2024-13-01", "Alien", 1979, "3"),
                ["2024-01-01", "Alien"],
                rating("2024-01-01", "Amélie", 2001, "4"),
            ],
            extra={"watched.csv": 'Date,Name,Year,Letterboxd URI\n2024-01-01,"Ali"en,1979,x\n'},
        )

        summary = letterboxd_import(user=user, data=data)

        assert summary.rejected == [
            "ratings.csv:2: Rating '0' is not between 0.5 and 5 in half stars",
            "ratings.csv:3: Rating '6' is not between 0.5 and 5 in half stars",
            "ratings.csv:4: Date '2024-13-01' is not a date (YYYY-MM-DD)",
            "ratings.csv:5: no Year, Rating: the line is missing columns",
            "watched.csv:2: not CSV (',' expected after '\"')",
        ]
        assert titles_rated(user) == {"Amélie": 4}

    def test_an_import_failing_part_way_writes_nothing(self, user, films, monkeypatch):
        def failing(**_):
            raise DatabaseError("the disk is full")

        # The last step, after the feedback, viewings, watchlist and review are written.
        monkeypatch.setattr("feedback.letterboxd_import.marquee_ratings_sync", failing)

        with pytest.raises(DatabaseError):
            letterboxd_import(user=user, data=a_full_export())

        assert not Media.objects.exists()
        assert not UserFeedback.objects.exists()
        assert not ViewingHistory.objects.exists()
        assert not WatchlistEntry.objects.exists()
        assert not Review.objects.exists()

    def test_a_day_still_to_come_in_the_person_s_zone_is_rejected(self, user, films):
        # The reader lets tomorrow (by UTC) through; 8 pm tomorrow in Honolulu (UTC-10) is
        # 6 am the day after in UTC: more than the day of clock leeway ahead, at any hour.
        UserTimeZoneFactory(user=user, time_zone="Pacific/Honolulu")
        tomorrow = (timezone.now() + dt.timedelta(days=1)).date().isoformat()
        data = letterboxd_zip(diary=[diary(tomorrow, "Alien", 1979)])

        summary = letterboxd_import(user=user, data=data)

        assert summary.rejected == [f"diary.csv:2: Date {tomorrow}: {IN_THE_FUTURE_MESSAGE}"]
        assert not ViewingHistory.objects.exists()

    def test_a_diary_line_watched_before_its_film_existed_is_rejected(self, user):
        # Not before 1 January of the year before the film's (feedback.viewing_start).
        MovieFactory(title="Jurassic Park", release_date=dt.date(1993, 6, 11))
        data = letterboxd_zip(
            diary=[
                diary("1890-05-01", "Jurassic Park", 1993, stars="5"),
                diary("1992-01-01", "Jurassic Park", 1993),
            ]
        )

        summary = letterboxd_import(user=user, data=data)

        assert summary.rejected == [
            "diary.csv:2: Watched Date 1890-05-01: This film came out in 1993: "
            "a viewing of it cannot start before 1 January 1992."
        ]
        assert summary.viewings_added == 1
        assert list(ViewingHistory.objects.values_list("started_at", flat=True)) == [
            evening("1992-01-01")
        ]
        # The line is refused whole, as a line dated in the future is: its stars too.
        # The other line's viewing marks the film watched, without them.
        assert list(UserFeedback.objects.values_list("rating", "watched_completion")) == [
            (None, True)
        ]

    def test_a_zone_the_time_zone_data_has_dropped_reads_as_the_site_s(self, user, films):
        UserTimeZoneFactory(user=user, time_zone="Europe/Berlin")
        UserTimeZone.objects.filter(user=user).update(time_zone="Mars/Olympus_Mons")

        letterboxd_import(
            user=user, data=letterboxd_zip(diary=[diary("2024-01-01", "Alien", 1979)])
        )

        assert ViewingHistory.objects.get().started_at == evening("2024-01-01")

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"Date,Name\n", "This file is not a ZIP"),
            (letterboxd_zip(), "This ZIP holds none of"),
            (letterboxd_zip(extra={"profile.csv": "Username\nme\n"}), "This ZIP holds none of"),
            (letterboxd_zip(ratings=[])[:60], "This file is not a ZIP"),
            (
                letterboxd_zip(extra={"diary.csv": "D" * (MAX_UNZIPPED + 1)}),
                "This ZIP's files expand to more than",
            ),
        ],
        ids=["not-a-zip", "empty-zip", "no-letterboxd-files", "cut-short", "zip-bomb"],
    )
    def test_a_file_that_is_not_an_export_is_refused_whole(self, user, films, data, message):
        WatchlistEntryFactory(user=user, movie=films["alien"])
        before = snapshot(user)

        with pytest.raises(LetterboxdFormatError, match=message):
            letterboxd_import(user=user, data=data)

        assert snapshot(user) == before

    def test_a_damaged_member_is_refused_whole(self, user, films):
        data = bytearray(letterboxd_zip(ratings=[rating("2024-01-01", "Alien", 1979, "4")] * 50))
        start = data.index(b"ratings.csv") + len("ratings.csv")
        data[start + 5 : start + 40] = b"\xff" * 35

        with pytest.raises(LetterboxdFormatError, match="damaged"):
            letterboxd_import(user=user, data=bytes(data))

        assert not UserFeedback.objects.exists()

    @pytest.mark.parametrize(
        ("packed", "reason"),
        [
            ({"encrypted": True}, "it is password-protected"),
            ({"method": UNKNOWN_METHOD}, "it is compressed by a method this import cannot read"),
        ],
        ids=["password", "method"],
    )
    def test_a_member_packed_again_is_refused_saying_why(self, user, films, packed, reason):
        export = letterboxd_zip(ratings=[rating("2024-01-01", "Alien", 1979, "4")])
        data = unreadable(export, **packed)

        with pytest.raises(LetterboxdFormatError) as refused:
            letterboxd_import(user=user, data=data)

        assert reason in str(refused.value)
        assert "as Letterboxd gives it" in str(refused.value)
        assert not UserFeedback.objects.exists()


class TestQueries:
    @pytest.mark.parametrize("size", [3, 40])
    def test_the_queries_do_not_grow_with_the_rows(self, user, django_assert_num_queries, size):
        movies = [MovieFactory(title=f"Film {n}", year=1990 + n % 20) for n in range(size)]
        # Half the films already have feedback and an item: both kinds of write happen.
        for movie in movies[::2]:
            feedback_record(user=user, media=movie_media(movie=movie), watched_completion=True)
        lines = [(timezone.localdate() - dt.timedelta(days=n + 2)).isoformat() for n in range(size)]
        data = letterboxd_zip(
            watched=[watched(day, m.title, m.year) for day, m in zip(lines, movies, strict=True)],
            ratings=[
                rating(day, m.title, m.year, "3.5") for day, m in zip(lines, movies, strict=True)
            ],
            diary=[diary(day, m.title, m.year) for day, m in zip(lines, movies, strict=True)],
            reviews=[
                review(day, m.title, m.year, "Fine.") for day, m in zip(lines, movies, strict=True)
            ],
            watchlist=[watched("2000-01-01", m.title, m.year) for m in movies],
        )

        with django_assert_num_queries(QUERIES):
            summary = letterboxd_import(user=user, data=data)

        assert (summary.viewings_added, summary.ratings_set, summary.reviews_added) == (size,) * 3


# Two savepoints and their releases; the person locked, their zone; the films of the
# years named; the person's feedback, viewings, watchlist and reviews, and the films of
# the file's watchlist they turned down; the items read,
# inserted and read back; feedback inserted and updated, viewings and reviews inserted;
# the Marquee ratings read twice and inserted, and the films' stats (three).
QUERIES = 25


def test_a_diary_of_a_thousand_films_is_imported_in_a_few_queries(
    user, django_assert_max_num_queries
):
    # Past what one query may ask of SQLite when each film is a condition of its own.
    movies = Movie.objects.bulk_create(
        [Movie(title=f"Film {n}", year=1950 + n % 70) for n in range(1000)]
    )
    data = letterboxd_zip(diary=[diary("2024-01-01", movie.title, movie.year) for movie in movies])

    # QUERIES, and three more for each 250 films that need an item after the first 250.
    with django_assert_max_num_queries(QUERIES + 9):
        summary = letterboxd_import(user=user, data=data)

    assert summary.viewings_added == ViewingHistory.objects.filter(user=user).count() == 1000


def test_the_summary_says_what_happened_in_words_and_leaves_out_the_zeros():
    summary = LetterboxdSummary(viewings_added=1, ratings_set=2, half_stars_rounded=1)
    summary.unplaced(("Nope", 1999), "diary.csv:3: “Nope” (1999): not found", found=False)

    assert summary.lines() == [
        "1 viewing added",
        "2 ratings set (1 half-star rating rounded up)",
        "1 film not found",
    ]
    assert LetterboxdSummary(already_there=3).lines() == ["3 already there"]


@pytest.mark.parametrize(
    ("summary", "said"),
    [
        (
            LetterboxdSummary(already_there=3),
            "Nothing changed: everything in the file was there already.",
        ),
        (
            LetterboxdSummary(already_there=3, ratings_kept=1),
            "Nothing changed: Marquee kept what it had.",
        ),
        (LetterboxdSummary(reviews_kept=1), "Nothing changed: Marquee kept what it had."),
        (LetterboxdSummary(), "Nothing was imported."),
    ],
)
def test_an_import_that_changed_nothing_says_whether_the_file_differed(summary, said):
    assert summary.unchanged_said("file") == said
