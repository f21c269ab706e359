"""IMDb's ratings and watchlist exports imported as one person's: how their films are
matched, what each row becomes, what is refused, and that a second import changes
nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from catalog.bounds import IN_THE_FUTURE_MESSAGE
from catalog.models import Movie, Rating, RatingSource
from feedback.film_items import FILMS_PER_ITEM_QUERY
from feedback.imdb import ImdbFormatError, imdb_read
from feedback.imdb_films import films_of_lines
from feedback.imdb_import import imdb_import
from feedback.imdb_summary import ImdbSummary
from feedback.models import Media, UserFeedback, ViewingHistory, WatchlistEntry
from feedback.services import feedback_record, movie_media
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    UserTimeZoneFactory,
    WatchlistEntryFactory,
)
from tests.feedback.imdb_csvs import OLD_RATINGS, listed, rated, ratings_csv, watchlist_csv

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def evening(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(20), tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def site_in_berlin(settings):
    settings.TIME_ZONE = "Europe/Berlin"


@pytest.fixture
def films():
    return {
        "alien": MovieFactory(title="Alien", year=1979, imdb_id="tt0078748"),
        "amelie": MovieFactory(
            title="Amélie", original_title="Le Fabuleux Destin", year=2001, imdb_id=None
        ),
        "heat": MovieFactory(title="Heat", year=1995, imdb_id="tt0113277"),
        "matrix": MovieFactory(title="Matrix, The", year=1999, imdb_id=None),
    }


def ratings_of(user) -> dict[str, tuple[int, bool | None]]:
    rows = UserFeedback.objects.filter(user=user)
    return {
        title: (stars, watched)
        for title, stars, watched in rows.values_list(
            "media__movie__title", "rating", "watched_completion"
        )
    }


def imported(user, ratings=None, watchlist=None):
    files = []
    if ratings is not None:
        files.append(("ratings.csv", ratings))
    if watchlist is not None:
        files.append(("watchlist.csv", watchlist))
    return imdb_import(user=user, files=files)


# Written out: the tests hold the code to its words.
NOT_AN_EXPORT = "it is not an IMDb ratings or watchlist export"
NOT_1_TO_10 = "is not a whole number from 1 to 10"


class TestRatings:
    def test_a_rating_is_halved_rounded_up_and_marks_the_film_watched_on_its_day(self, user, films):
        summary = imported(
            user,
            ratings_csv(
                rated("tt0078748", "Alien", 1979, 7, day="2024-03-01"),
                rated("tt0113277", "Heat", 1995, 10),
                rated("tt0000001", "Amélie", 2001, 1),
            ),
        )

        assert ratings_of(user) == {"Alien": (4, True), "Heat": (5, True), "Amélie": (1, True)}
        alien = UserFeedback.objects.get(user=user, media__movie=films["alien"])
        assert alien.timestamp == evening("2024-03-01")
        assert (summary.ratings_set, summary.half_stars_rounded) == (3, 2)
        assert "3 ratings set (2 odd ratings rounded up to the next whole star)" in summary.lines()
        # IMDb does not say when a film was watched.
        assert not ViewingHistory.objects.exists()
        assert (
            Rating.objects.get(user=user, movie=films["alien"], source=RatingSource.MARQUEE).value
            == 4
        )

    def test_the_id_wins_over_the_title_and_year(self, user, films):
        # IMDb names the film in the person's language and may date it a year apart.
        imported(user, ratings_csv(rated("tt0078748", "Alien – Das unheimliche Wesen", 1980, 8)))

        assert ratings_of(user) == {"Alien": (4, True)}

    def test_without_the_id_the_title_then_the_original_title_match_as_letterboxd_s(
        self, user, films
    ):
        summary = imported(
            user,
            ratings_csv(
                rated("tt0133093", "The Matrix", 1999, 6),
                rated("tt0211915", "Die fabelhafte Welt", 2001, 9, original="Le Fabuleux Destin"),
            ),
        )

        assert ratings_of(user) == {"Matrix, The": (3, True), "Amélie": (5, True)}
        assert summary.not_found == []

    def test_the_older_export_without_original_title_and_without_a_bom(self, user, films):
        data = ratings_csv(rated("tt0078748", "Alien", 1979, 9), header=OLD_RATINGS, bom=False)

        imported(user, data)

        assert ratings_of(user) == {"Alien": (5, True)}

    def test_a_column_not_read_cannot_lose_the_row(self, user, films):
        row = rated("tt0078748", "Alien", 1979, 8) | {"Directors": "Ridley\x00Scott"}

        summary = imported(user, ratings_csv(row))

        assert summary.rejected == []
        assert ratings_of(user) == {"Alien": (4, True)}

    def test_columns_are_read_by_name_not_place(self, user, films):
        header = list(reversed(OLD_RATINGS))

        imported(user, ratings_csv(rated("tt0078748", "Alien", 1979, 3), header=header))

        assert ratings_of(user) == {"Alien": (2, True)}

    def test_films_not_in_the_catalog_are_listed_by_line_and_title(self, user, films):
        summary = imported(
            user,
            ratings_csv(
                rated("tt0078748", "Alien", 1979, 8),
                rated("tt0079944", "Stalker", 1979, 10),
            ),
        )

        assert summary.not_found == ["ratings.csv:3: “Stalker” (1979): not found"]
        assert "1 film not found" in summary.lines()
        assert ratings_of(user) == {"Alien": (4, True)}

    def test_titles_that_are_not_films_are_skipped_and_counted_not_reported(self, user, films):
        summary = imported(
            user,
            ratings_csv(
                rated("tt0903747", "Breaking Bad", 2008, 10, kind="TV Series"),
                rated("tt0959621", "Pilot", 2008, 9, kind="TV Episode"),
                rated("tt0185906", "Band of Brothers", 2001, 9, kind="TV Mini Series"),
                rated("tt2103188", "The Last of Us", 2013, 9, kind="Video Game"),
                rated("tt8000000", "A Podcast", 2020, 7, kind="Podcast Series"),
                rated("tt0113277", "Heat", 1995, 10, kind="movie"),
                rated("tt0078748", "Alien", 1979, 8, kind="TV Movie"),
            ),
        )

        assert summary.not_films == 5
        assert summary.not_found == summary.rejected == []
        assert "5 TV series, episodes and other titles that are not films skipped" in (
            summary.lines()
        )
        assert ratings_of(user) == {"Heat": (5, True), "Alien": (4, True)}

    @pytest.mark.parametrize(
        ("row", "problem"),
        [
            (rated("tt0078748", "Alien", 1979, 11), f"Your Rating '11' {NOT_1_TO_10}"),
            (rated("tt0078748", "Alien", 1979, "x"), f"Your Rating 'x' {NOT_1_TO_10}"),
            (rated("tt0078748", "Alien", 1979, 0), f"Your Rating '0' {NOT_1_TO_10}"),
            (
                rated("tt0078748", "Alien", 1979, 7, day="2024-13-01"),
                "Date Rated '2024-13-01' is not a date (YYYY-MM-DD)",
            ),
            (
                rated("tt0078748", "Alien", 1979, 7, day="01/02/2024"),
                "Date Rated '01/02/2024' is not a date (YYYY-MM-DD)",
            ),
            (
                rated("x78748", "Alien", 1979, 7),
                "Const 'x78748' is not an IMDb id (tt and 7 to 10 digits)",
            ),
            (rated("tt0078748", "Alien", "79", 7), "Year '79' is not a year"),
            (rated("tt0078748", "", 1979, 7), "no title"),
        ],
        ids=[
            "eleven",
            "letter",
            "zero",
            "no-month-13",
            "not-iso",
            "bad-id",
            "bad-year",
            "no-title",
        ],
    )
    def test_a_bad_row_is_rejected_by_line_and_the_rest_imported(self, user, films, row, problem):
        summary = imported(user, ratings_csv(row, rated("tt0113277", "Heat", 1995, 6)))

        assert summary.rejected == [f"ratings.csv:2: {problem}"]
        assert ratings_of(user) == {"Heat": (3, True)}

    def test_a_short_line_and_one_that_is_not_csv_are_rejected(self, user, films):
        good = ratings_csv(rated("tt0113277", "Heat", 1995, 6), header=OLD_RATINGS, bom=False)
        data = good + b'tt0078748,8\ntt0078748,"8"x,2024-01-01\n\n'

        summary = imported(user, data)

        assert summary.rejected == [
            "ratings.csv:3: no Title, Title Type, Year, Date Rated: the line is missing columns",
            "ratings.csv:4: not CSV (',' expected after '\"')",
        ]
        assert ratings_of(user) == {"Heat": (3, True)}


class TestAnotherIdIsAnotherFilm:
    """catalog/importers/matching.py's rule: a film known by another id is another film,
    however alike the titles."""

    def test_a_title_and_year_do_not_match_a_film_with_another_imdb_id(self, user):
        MovieFactory(title="Casablanca", year=1942, imdb_id="tt0034583")

        summary = imported(user, ratings_csv(rated("tt9999991", "Casablanca", 1942, 9)))

        assert summary.not_found == ["ratings.csv:2: “Casablanca” (1942): not found"]
        assert not UserFeedback.objects.exists()

    def test_a_short_is_not_the_feature_of_its_title_and_year(self, user, films):
        # The catalog holds Heat (1995) the feature, by its id; the row is a short.
        summary = imported(
            user,
            watchlist=watchlist_csv(listed("tt9000001", "Heat", 1995, kind="Short")),
        )

        assert summary.not_found == ["watchlist.csv:2: “Heat” (1995): not found"]
        assert not WatchlistEntry.objects.exists()

    def test_the_film_without_an_id_is_the_one_a_title_finds_beside_one_with_another(
        self, user, films
    ):
        short = MovieFactory(title="Heat", year=1995, imdb_id=None)

        summary = imported(user, ratings_csv(rated("tt9000001", "Heat", 1995, 6, kind="Short")))

        assert (summary.not_found, summary.ambiguous) == ([], [])
        assert UserFeedback.objects.get(user=user).media.movie == short

    def test_films_found_by_title_have_their_id_read_with_them(
        self, films, django_assert_num_queries
    ):
        lines = imdb_read(
            [
                (
                    "ratings.csv",
                    ratings_csv(
                        rated("tt0078748", "Alien", 1979, 7),
                        rated("tt0133093", "The Matrix", 1999, 6),
                        rated("tt0211915", "Amélie", 2001, 9),
                    ),
                )
            ]
        ).lines["ratings.csv"]

        # The films by id, then by title and year; reading their ids asks nothing more.
        with django_assert_num_queries(2):
            found = films_of_lines(lines)
            ids = sorted((movie.title, movie.imdb_id) for movie in found.values())

        assert ids == [("Alien", "tt0078748"), ("Amélie", None), ("Matrix, The", None)]


class TestNewerWins:
    def test_imdb_s_newer_rating_replaces_marquee_s(self, user, films):
        media = movie_media(movie=films["alien"])
        old = UserFeedbackFactory(user=user, media=media, rating=2, timestamp=evening("2020-01-01"))
        old.media.save()
        old.save()

        summary = imported(
            user, ratings_csv(rated("tt0078748", "Alien", 1979, 10, day="2024-01-01"))
        )

        old.refresh_from_db()
        assert (old.rating, old.timestamp) == (5, evening("2024-01-01"))
        assert summary.ratings_set == 1

    def test_marquee_s_newer_rating_is_kept(self, user, films):
        feedback_record(user=user, media=movie_media(movie=films["alien"]), rating=2)

        summary = imported(user, ratings_csv(rated("tt0078748", "Alien", 1979, 10)))

        assert ratings_of(user) == {"Alien": (2, True)}
        assert (summary.ratings_set, summary.ratings_kept) == (0, 1)


class TestWatchlist:
    def test_entries_are_dated_by_created_and_one_rated_since_is_left_off(self, user, films):
        summary = imported(
            user,
            ratings=ratings_csv(rated("tt0113277", "Heat", 1995, 8, day="2023-06-01")),
            watchlist=watchlist_csv(
                listed("tt0078748", "Alien", 1979, day="2023-05-01"),
                listed("tt0113277", "Heat", 1995, day="2023-05-01", position=2),
                listed("tt0903747", "Breaking Bad", 2008, kind="TV Series", position=3),
            ),
        )

        entry = WatchlistEntry.objects.get(user=user)
        assert (entry.movie, entry.added_at) == (films["alien"], evening("2023-05-01"))
        assert (summary.watchlist_added, summary.watchlist_watched_since) == (1, 1)
        assert summary.not_films == 1

    def test_a_rating_after_an_entry_takes_the_film_off_the_watchlist(self, user, films):
        WatchlistEntryFactory(user=user, movie=films["alien"], added_at=evening("2020-01-01"))

        summary = imported(
            user, ratings_csv(rated("tt0078748", "Alien", 1979, 6, day="2021-01-01"))
        )

        assert not WatchlistEntry.objects.filter(user=user).exists()
        assert summary.watchlist_taken_off == 1

    def test_a_film_watched_after_it_was_listed_is_left_off(self, user, films):
        feedback_record(user=user, media=movie_media(movie=films["heat"]), watched_completion=True)

        summary = imported(
            user, watchlist=watchlist_csv(listed("tt0113277", "Heat", 1995, day="2020-01-01"))
        )

        assert not WatchlistEntry.objects.exists()
        assert summary.watchlist_watched_since == 1

    def test_a_bad_created_date_is_rejected_by_line(self, user, films):
        summary = imported(
            user,
            watchlist=watchlist_csv(
                listed("tt0078748", "Alien", 1979, day="2023-02-30"),
                listed("tt0113277", "Heat", 1995, position=2),
            ),
        )

        assert summary.rejected == [
            "watchlist.csv:2: Created '2023-02-30' is not a date (YYYY-MM-DD)"
        ]
        assert WatchlistEntry.objects.get(user=user).movie == films["heat"]


class TestWatchlistRatings:
    """IMDb's watchlist export says what the person rated of the films on it: a rating as
    the ratings export gives it, unless that export is given and holds the film."""

    def test_a_film_rated_after_it_was_listed_is_rated_watched_and_left_off(self, user, films):
        summary = imported(
            user,
            watchlist=watchlist_csv(
                listed("tt0078748", "Alien", 1979, day="2023-05-01", stars=7, rated_on="2023-06-01")
            ),
        )

        assert ratings_of(user) == {"Alien": (4, True)}
        alien = UserFeedback.objects.get(user=user)
        assert alien.timestamp == evening("2023-06-01")
        assert not WatchlistEntry.objects.exists()
        assert (summary.ratings_set, summary.watchlist_watched_since) == (1, 1)
        assert summary.lines() == [
            "1 rating set (1 odd rating rounded up to the next whole star)",
            "1 film marked watched",
            "1 watchlist entry left off: watched since",
        ]

    def test_a_film_rated_before_it_was_listed_is_rated_and_listed(self, user, films):
        # Listed again to see again: the entry came after the rating.
        imported(
            user,
            watchlist=watchlist_csv(
                listed("tt0113277", "Heat", 1995, day="2023-05-01", stars=8, rated_on="2020-01-01")
            ),
        )

        assert ratings_of(user) == {"Heat": (4, True)}
        entry = WatchlistEntry.objects.get(user=user)
        assert (entry.movie, entry.added_at) == (films["heat"], evening("2023-05-01"))

    def test_the_ratings_export_s_row_wins_and_is_counted_once(self, user, films):
        summary = imported(
            user,
            ratings=ratings_csv(rated("tt0078748", "Alien", 1979, 10, day="2023-07-01")),
            watchlist=watchlist_csv(
                listed(
                    "tt0078748", "Alien", 1979, day="2023-05-01", stars=3, rated_on="2023-06-01"
                ),
                listed(
                    "tt0113277",
                    "Heat",
                    1995,
                    day="2023-05-01",
                    stars=6,
                    rated_on="2023-06-01",
                    position=2,
                ),
            ),
        )

        assert ratings_of(user) == {"Alien": (5, True), "Heat": (3, True)}
        alien = UserFeedback.objects.get(user=user, media__movie=films["alien"])
        assert alien.timestamp == evening("2023-07-01")
        assert (summary.ratings_set, summary.watched_marked) == (2, 2)
        assert summary.watchlist_watched_since == 2

    def test_a_blank_rating_is_a_film_listed_and_not_rated(self, user, films):
        summary = imported(user, watchlist=watchlist_csv(listed("tt0078748", "Alien", 1979)))

        assert summary.rejected == []
        assert summary.watchlist_added == 1
        assert not UserFeedback.objects.exists()

    def test_a_bad_rating_rejects_the_row_by_line(self, user, films):
        summary = imported(
            user,
            watchlist=watchlist_csv(
                listed("tt0078748", "Alien", 1979, stars=11, rated_on="2023-06-01"),
                listed("tt0113277", "Heat", 1995, stars=8, rated_on="2023-02-30", position=2),
            ),
        )

        assert summary.rejected == [
            f"watchlist.csv:2: Your Rating '11' {NOT_1_TO_10}",
            "watchlist.csv:3: Date Rated '2023-02-30' is not a date (YYYY-MM-DD)",
        ]
        assert not UserFeedback.objects.exists()
        assert not WatchlistEntry.objects.exists()

    def test_a_rating_still_to_come_in_the_person_s_zone_is_rejected(self, user, films):
        # 8 pm tomorrow in Honolulu (UTC-10) is 6 am the day after in UTC.
        UserTimeZoneFactory(user=user, time_zone="Pacific/Honolulu")
        tomorrow = (timezone.now() + dt.timedelta(days=1)).date().isoformat()

        summary = imported(
            user,
            watchlist=watchlist_csv(
                listed("tt0078748", "Alien", 1979, day="2023-05-01", stars=8, rated_on=tomorrow)
            ),
        )

        assert summary.rejected == [
            f"watchlist.csv:2: Date Rated {tomorrow}: {IN_THE_FUTURE_MESSAGE}"
        ]
        assert not UserFeedback.objects.exists()

    def test_a_second_import_changes_nothing(self, user, films):
        watchlist = watchlist_csv(
            listed("tt0078748", "Alien", 1979, day="2023-05-01", stars=7, rated_on="2023-06-01")
        )
        imported(user, watchlist=watchlist)
        before = snapshot(user)

        again = imported(user, watchlist=watchlist)

        assert not again.changed
        assert snapshot(user) == before
        assert again.lines() == ["1 watchlist entry left off: watched since", "1 already there"]


def both_files():
    return (
        ratings_csv(
            rated("tt0078748", "Alien", 1979, 7),
            rated("tt0079944", "Stalker", 1979, 10),
            rated("tt0903747", "Breaking Bad", 2008, 10, kind="TV Series"),
        ),
        watchlist_csv(listed("tt0113277", "Heat", 1995, day="2023-12-01")),
    )


class TestAgain:
    def test_a_second_import_of_the_same_files_changes_nothing_and_says_so(self, user, films):
        first = imported(user, *both_files())
        rows, items = snapshot(user), Media.objects.count()

        second = imported(user, *both_files())

        assert first.changed
        assert not second.changed
        assert (snapshot(user), Media.objects.count()) == (rows, items)
        # One for each row already there: the rating and watched of Alien, Heat's entry.
        assert second.lines() == [
            "2 already there",
            "1 film not found",
            "1 TV series, episodes and other titles that are not films skipped",
        ]

    def test_another_person_s_rows_are_untouched(self, user, other_user, films):
        media = MediaFactory(movie=films["alien"])
        UserFeedbackFactory(user=other_user, media=media, rating=1)
        WatchlistEntryFactory(user=other_user, movie=films["heat"])
        before = snapshot(other_user)

        imported(user, *both_files())

        assert snapshot(other_user) == before


def snapshot(user):
    return (
        sorted(
            UserFeedback.objects.filter(user=user).values_list(
                "rating", "watched_completion", "timestamp"
            )
        ),
        sorted(WatchlistEntry.objects.filter(user=user).values_list("movie_id", "added_at")),
    )


class TestRefusedWhole:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", f"ratings.csv is empty: {NOT_AN_EXPORT}."),
            (b"\xef\xbb\xbf", f"ratings.csv is empty: {NOT_AN_EXPORT}."),
            (
                b"Date,Name,Year,Letterboxd URI\n2024-01-01,Alien,1979,x\n",
                "ratings.csv is not an IMDb ratings or watchlist export: its first line lacks "
                "their columns.",
            ),
            (b"PK\x03\x04\xff\xfe", f"ratings.csv is not UTF-8 text: {NOT_AN_EXPORT}."),
            (
                b'Const,"Your\n',
                "ratings.csv is not an IMDb ratings or watchlist export: its first line is not "
                "CSV.",
            ),
        ],
        ids=["empty", "bom-only", "letterboxd", "binary", "broken-header"],
    )
    def test_a_file_that_is_not_an_export_is_refused_and_nothing_written(
        self, user, films, data, message
    ):
        WatchlistEntryFactory(user=user, movie=films["alien"])
        before = snapshot(user)
        good = watchlist_csv(listed("tt0113277", "Heat", 1995))

        with pytest.raises(ImdbFormatError) as refused:
            imported(user, data, good)

        assert str(refused.value) == message
        assert snapshot(user) == before

    def test_two_files_of_the_same_kind_are_refused(self, user, films):
        data = ratings_csv(rated("tt0078748", "Alien", 1979, 7))

        with pytest.raises(ImdbFormatError, match="Both files are IMDb ratings exports"):
            imdb_import(user=user, files=[("a.csv", data), ("b.csv", data)])

        assert not UserFeedback.objects.exists()

    def test_the_files_are_told_apart_by_their_header_not_their_place(self, user, films):
        summary = imdb_import(
            user=user,
            files=[("mine.csv", watchlist_csv(listed("tt0078748", "Alien", 1979)))],
        )

        assert summary.watchlist_added == 1


def ids_or_none(size):
    """An IMDb id for two films in three: the third is found by its title and year."""
    return [f"tt{n:07d}" if n % 3 else None for n in range(size)]


class TestQueries:
    @pytest.mark.parametrize("size", [3, 300])
    def test_the_queries_do_not_grow_with_the_rows(self, user, django_assert_num_queries, size):
        movies = Movie.objects.bulk_create(
            [
                Movie(title=f"Film {n}", year=1950 + n % 70, imdb_id=imdb_id)
                for n, imdb_id in enumerate(ids_or_none(size))
            ]
        )
        # Some films already have feedback and an item: both kinds of write happen.
        for movie in movies[:2]:
            feedback_record(user=user, media=movie_media(movie=movie), watched_completion=True)
        # The films without an id in the catalog have one in the file that it lacks.
        file_ids = [
            imdb_id or f"tt{n + 5000000:07d}" for n, imdb_id in enumerate(ids_or_none(size))
        ]
        ratings = ratings_csv(
            *(
                rated(imdb_id, m.title, m.year, 7)
                for imdb_id, m in zip(file_ids, movies, strict=True)
            ),
            rated("tt9999999", "Nowhere", 1999, 5),
            rated("tt0903747", "Breaking Bad", 2008, 10, kind="TV Series"),
        )
        watchlist = watchlist_csv(
            *(listed(f"tt{n:07d}", m.title, m.year, day="2000-01-01") for n, m in enumerate(movies))
        )

        # media_for_movies asks for the films' items 250 films at a time.
        with django_assert_num_queries(QUERIES + 3 * ((size - 1) // FILMS_PER_ITEM_QUERY)):
            summary = imported(user, ratings, watchlist)

        assert summary.ratings_set == size
        assert summary.not_found == [f"ratings.csv:{size + 2}: “Nowhere” (1999): not found"]


# Two savepoints and their releases; the person locked, their zone; the films by IMDb id,
# then by title and year; the person's reviews, feedback, viewings and watchlist, and
# the films of the file's watchlist they turned down; the
# items read, inserted and read back; feedback inserted and updated; the Marquee ratings
# read twice and inserted, and the films' stats (three). No viewing or review is written.
QUERIES = 24


def test_the_summary_leaves_out_the_zeros():
    summary = ImdbSummary(ratings_set=1, watched_marked=1)

    assert summary.lines() == ["1 rating set", "1 film marked watched"]
