"""import_movielens: the sample directory, its odd titles and bad rows, re-runs, failures."""

import io
import os
import signal
import threading
import time
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.importers import movielens_ratings
from catalog.importers.matching import imdb_id_from
from catalog.importers.movielens import parse_title
from catalog.importers.movies import MovieWriter
from catalog.models import Genre, Movie, MovieTag, RaterKind, Rating, RatingSource
from tests.factories import MovieFactory
from tests.imports.conftest import DATA, write_movielens
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db

SAMPLE = DATA / "movielens"


def movielens_ratings_rows():
    return set(
        Rating.objects.filter(source=RatingSource.MOVIELENS).values_list(
            "external_rater_id", "movie__tmdb_id", "value", "rated_at"
        )
    )


@pytest.mark.parametrize(
    ("raw", "title", "year", "original", "aliases"),
    [
        ("Toy Story (1995)", "Toy Story", 1995, "", []),
        ("Seven (a.k.a. Se7en) (1995)", "Seven", 1995, "", ["Se7en"]),
        (
            "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
            "The City of Lost Children",
            1995,
            "La Cité des enfants perdus",
            [],
        ),
        ("Matrix, The (1999)", "The Matrix", 1999, "", []),
        ("Avventura, L' (Adventure, The) (1960)", "L'Avventura", 1960, "The Adventure", []),
        ("Babylon 5", "Babylon 5", None, "", []),
        ("(500) Days of Summer (2009)", "(500) Days of Summer", 2009, "", []),
        ("1917 (2019)", "1917", 2019, "", []),
        ("Cosmos (1980– )", "Cosmos", 1980, "", []),
        ("  Padded   Title  (2000) ", "Padded Title", 2000, "", []),
    ],
)
def test_movielens_titles_are_read_into_title_year_and_original_title(
    raw, title, year, original, aliases
):
    parsed = parse_title(raw)
    assert (parsed.title, parsed.year, parsed.original_title, parsed.aliases) == (
        title,
        year,
        original,
        aliases,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0114369", "tt0114369"), ("57012", "tt0057012"), ("tt0133093", "tt0133093"), ("", None)],
)
def test_imdb_ids_from_links_get_their_prefix_and_zeros(raw, expected):
    assert imdb_id_from(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "0", "tt", "12345678901"])
def test_imdb_ids_that_are_not_numbers_are_refused(raw):
    with pytest.raises(ValueError, match="IMDb id"):
        imdb_id_from(raw)


def test_the_sample_directory_imports_films_ratings_and_tags(run_import):
    out, err = run_import("import_movielens", SAMPLE)

    assert "movies: 11 created, 0 updated, 1 skipped, 2 rejected" in out
    assert "ratings: 11 created, 0 updated, 1 skipped, 4 rejected" in out
    assert "tags: 3 created, 0 updated, 1 skipped, 2 rejected" in out
    seven = Movie.objects.get(tmdb_id=807)
    assert (seven.title, seven.year, seven.imdb_id) == ("Seven", 1995, "tt0114369")
    lost = Movie.objects.get(imdb_id="tt0112682")
    assert lost.title == "The City of Lost Children"
    assert lost.original_title == "La Cité des enfants perdus"
    assert {genre.name for genre in lost.genres.all()} == {
        "Adventure",
        "Drama",
        "Fantasy",
        "Mystery",
        "Science Fiction",  # MovieLens' "Sci-Fi", under the catalog's name
    }
    babylon = Movie.objects.get(title="Babylon 5")
    assert (babylon.year, babylon.tmdb_id, babylon.imdb_id) == (None, None, "tt0105946")
    assert Movie.objects.get(tmdb_id=935).imdb_id == "tt0057012"  # "57012" in links.csv
    assert not Movie.objects.get(title="Lost Footage").genres.exists()  # (no genres listed)
    assert {g.name for g in Movie.objects.get(tmdb_id=862).genres.all()} >= {"Family"}

    ratings = movielens_ratings_rows()
    assert ("1", 862, 4.0, datetime(2000, 7, 30, 18, 45, 3, tzinfo=UTC)) in ratings
    assert ("3", None, 0.5, datetime(2011, 5, 27, 2, 32, 58, tzinfo=UTC)) in ratings  # Babylon 5
    assert len(ratings) == 11
    rating = Rating.objects.filter(source=RatingSource.MOVIELENS).first()
    assert (rating.rater_kind, rating.scale_min, rating.scale_max, rating.user_id) == (
        RaterKind.EXTERNAL,
        0.5,
        5.0,
        None,
    )
    # The first of two different ratings by one rater of one film is kept.
    assert Rating.objects.get(external_rater_id="3", movie__tmdb_id=603).value == 3.0
    assert set(MovieTag.objects.values_list("external_rater_id", "movie__tmdb_id", "tag")) == {
        ("1", 603, "cyberpunk"),
        ("2", 194, "Paris"),
        ("2", 194, "épique ✨"),
    }


def test_bad_rows_are_listed_with_file_line_and_reason(run_import):
    _, err = run_import("import_movielens", SAMPLE)

    assert err.splitlines() == [
        "movies.csv:13: movieId 'abc' is not a number",
        "movies.csv:14: expected 3 columns (movieId,title,genres), found 4",
        "ratings.csv:5: unknown movieId 999999",
        "ratings.csv:9: rating '7' is not between 0.5 and 5",
        "ratings.csv:10: timestamp 'not-a-time' is not a Unix time",
        "ratings.csv:17: userId 3 already rated movieId 5 on line 16",
        "tags.csv:6: unknown movieId 999999",
        "tags.csv:7: the tag is empty",
    ]


@pytest.mark.parametrize("batch_size", [3, 20_000])
def test_a_second_run_changes_nothing_and_says_so(run_import, batch_size):
    run_import("import_movielens", SAMPLE, batch_size=batch_size)
    before = (movielens_ratings_rows(), list(Movie.objects.values().order_by("pk")))

    out, _ = run_import("import_movielens", SAMPLE, batch_size=batch_size)

    assert "movies: 0 created, 0 updated, 12 skipped, 2 rejected" in out
    assert "ratings: 0 created, 0 updated, 12 skipped, 4 rejected" in out
    assert "tags: 0 created, 0 updated, 4 skipped, 2 rejected" in out
    assert "Nothing changed" in out
    assert (movielens_ratings_rows(), list(Movie.objects.values().order_by("pk"))) == before
    assert_stats_match_the_ratings()


def test_films_already_in_the_catalog_are_matched_and_only_filled_in(run_import, tmp_path):
    by_tmdb = MovieFactory(title="Toy Story!", tmdb_id=862, imdb_id=None, year=1995)
    by_imdb = MovieFactory(title="Se7en", tmdb_id=None, imdb_id="tt0114369", year=1995)
    by_title = MovieFactory(title="THE MATRIX", tmdb_id=None, imdb_id=None, year=1999)
    other_year = MovieFactory(title="Babylon 5", tmdb_id=None, imdb_id=None, year=1994)
    directory = write_movielens(
        tmp_path / "ml",
        movies=[
            "1,Toy Story (1995),Comedy",
            "2,Seven (a.k.a. Se7en) (1995),Thriller",
            '3,"Matrix, The (1999)",Action',
            "4,Babylon 5,Sci-Fi",
        ],
        links=["1,0114709,862", "2,,807", "3,,", "4,,"],
    )

    out, _ = run_import("import_movielens", directory)

    assert "movies: 1 created, 3 updated, 0 skipped, 0 rejected" in out
    by_tmdb.refresh_from_db()
    assert (by_tmdb.title, by_tmdb.imdb_id) == ("Toy Story!", "tt0114709")  # title kept
    by_imdb.refresh_from_db()
    assert (by_imdb.title, by_imdb.tmdb_id) == ("Se7en", 807)
    by_title.refresh_from_db()
    assert by_title.title == "THE MATRIX"
    assert [genre.name for genre in by_title.genres.all()] == ["Action"]
    assert Movie.objects.filter(title="Babylon 5").count() == 2  # no year: not 1994's
    assert Movie.objects.get(pk=other_year.pk).year == 1994


def test_ids_that_point_at_two_different_films_are_rejected(run_import, tmp_path):
    MovieFactory(tmdb_id=862, imdb_id="tt0000862")
    MovieFactory(tmdb_id=999, imdb_id="tt0114709")
    directory = write_movielens(
        tmp_path / "ml", movies=["1,Toy Story (1995),Comedy"], links=["1,0114709,862"]
    )

    out, err = run_import("import_movielens", directory)

    assert "movies: 0 created, 0 updated, 0 skipped, 1 rejected" in out
    assert err.strip() == (
        "movies.csv:2: TMDB id 862 and IMDb id tt0114709 are two different films in the catalog"
    )


def test_links_for_films_movies_csv_does_not_have_are_rejected_and_counted(run_import, tmp_path):
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama", "2,,Drama"],
        links=["1,0000001,101", "99,0000099,199", "2,0000002,102", "1,0000001,101", "1,,111"],
    )

    out, err = run_import("import_movielens", directory)

    assert err.splitlines() == [
        "links.csv:6: movieId 1 is already on line 2 with other ids",
        "movies.csv:3: the title is empty",  # its link's ids go with it, said once
        "links.csv:3: no film of movies.csv has movieId 99",
    ]
    assert "movies: 1 created, 0 updated, 0 skipped, 3 rejected" in out
    assert "links.csv: 5 rows read, 2 rejected (counted with movies)" in out
    assert list(Movie.objects.values_list("title", "tmdb_id")) == [("Alpha", 101)]
    assert not Movie.objects.filter(imdb_id="tt0000099").exists()


def test_every_bad_links_row_is_counted_in_the_links_summary(run_import, tmp_path):
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama"],
        links=["1,0000001,101", "x,1,2", "1,2", "3,0000003,-5"],
    )

    out, err = run_import("import_movielens", directory)

    assert len(err.splitlines()) == 3
    assert "movies: 1 created, 0 updated, 0 skipped, 3 rejected" in out
    assert "links.csv: 4 rows read, 3 rejected (counted with movies)" in out


def test_strict_stops_at_a_links_row_for_no_film(run_import, tmp_path):
    directory = write_movielens(
        tmp_path / "ml", movies=["1,Alpha (2001),Drama"], links=["99,0000099,199"]
    )

    with pytest.raises(CommandError, match=r"links\.csv:2: no film of movies\.csv has movieId 99"):
        run_import("import_movielens", directory, strict=True)


def test_strict_stopping_before_any_batch_is_written_still_gives_the_summary(tmp_path):
    """links.csv is read before anything is written: the summary the error points at
    still names every kind the directory's files hold, zeros included."""
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama"],
        links=["1,0000001,101", "1,0000002,102"],
        ratings=["1,1,4.0,1000000000"],
        tags=["1,1,slow,1000000000"],
    )
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"^links\.csv:3: .*\(--strict: stopped here;"):
        call_command("import_movielens", str(directory), strict=True, stdout=out)

    assert out.getvalue().splitlines() == [
        "movies: 0 created, 0 updated, 0 skipped, 0 rejected",
        "genres: 0 created, 0 updated, 0 skipped, 0 rejected",
        "ratings: 0 created, 0 updated, 0 skipped, 0 rejected",
        "tags: 0 created, 0 updated, 0 skipped, 0 rejected",
    ]
    assert not Movie.objects.exists()


def test_a_whole_run_s_summary_names_the_same_kinds_in_the_same_order(run_import, small_movielens):
    out, _ = run_import("import_movielens", small_movielens)

    assert out.splitlines() == [
        "movies: 3 created, 0 updated, 0 skipped, 0 rejected",
        "genres: 3 created, 0 updated, 0 skipped, 0 rejected",
        "ratings: 10 created, 0 updated, 0 skipped, 0 rejected",
        f"tags.csv: not in {small_movielens}, nothing read",
        "links.csv: 3 rows read, 0 rejected (counted with movies)",
        "Recommendations learn from these films and ratings once manage.py "
        "build_similarities has run again.",
    ]


def test_ratings_of_a_rejected_film_say_so(run_import, tmp_path):
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Far Future (2999),Drama"],
        ratings=["1,1,4.0,1000000000"],
    )

    _, err = run_import("import_movielens", directory)

    assert err.splitlines() == [
        "movies.csv:2: year: The year must be between 1870 and 2100.",
        "ratings.csv:2: movieId 1 was rejected (movies.csv:2)",
    ]


def test_strict_stops_at_the_first_bad_row_and_writes_nothing_of_its_batch(
    run_import, small_movielens, row_by_row
):
    lines = (small_movielens / "ratings.csv").read_text().splitlines()
    lines[6] = "3,1,9.5,1000000031"  # line 7, in the second batch of four (lines 6-9)
    (small_movielens / "ratings.csv").write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError, match=r"^ratings\.csv:7: rating '9\.5' is not between"):
        run_import("import_movielens", small_movielens, strict=True, batch_size=4)

    assert Movie.objects.count() == 3
    assert Rating.objects.count() == 4  # the first batch, nothing of line 6


def test_an_interrupted_run_leaves_whole_batches_and_a_rerun_completes(
    run_import, small_movielens, monkeypatch, row_by_row
):
    real_write = movielens_ratings.write_batch
    calls = []

    def interrupted_in_the_second_batch(batch):
        calls.append(len(batch))
        written = real_write(batch)  # the rows reach the database...
        if len(calls) == 2:
            raise KeyboardInterrupt  # ...and Ctrl-C comes before the batch commits
        return written

    monkeypatch.setattr(movielens_ratings, "write_batch", interrupted_in_the_second_batch)
    with pytest.raises(CommandError, match="interrupted"):
        run_import("import_movielens", small_movielens, batch_size=4)

    assert calls == [4, 4]
    assert Rating.objects.count() == 4  # the first batch whole, nothing of the second

    monkeypatch.undo()
    out, _ = run_import("import_movielens", small_movielens, batch_size=4)
    assert "ratings: 6 created, 0 updated, 4 skipped, 0 rejected" in out
    assert Rating.objects.count() == 10


def ctrl_c_from_another_thread() -> None:
    """SIGINT sent to the process from another thread, which the kernel may then give it
    to (as to tqdm's monitor thread, which every import has): a mask in the main thread
    does not hold it there. Then a moment of the main thread's own lines, where a handler
    that acts on it would act."""
    sender = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT))
    sender.start()
    sender.join()
    time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_ctrl_c_as_a_batch_commits_is_counted_with_it(small_movielens, monkeypatch, row_by_row):
    """Ctrl-C between a batch's commit and its counting left the batch written and not
    counted: the summary said 4 ratings created where the database gained 8. Now the
    signal waits for the commit and the count, and the import stops right after them."""
    real_write = movielens_ratings.write_batch
    calls = []

    def ctrl_c_as_the_second_batch_commits(batch):
        calls.append(len(batch))
        if len(calls) == 2:
            transaction.on_commit(ctrl_c_from_another_thread)
        return real_write(batch)

    monkeypatch.setattr(movielens_ratings, "write_batch", ctrl_c_as_the_second_batch_commits)
    out = io.StringIO()
    with pytest.raises(CommandError, match="interrupted"):
        call_command("import_movielens", str(small_movielens), batch_size=4, stdout=out)

    assert calls == [4, 4]
    assert Rating.objects.count() == 8
    assert "ratings: 8 created, 0 updated, 0 skipped, 0 rejected" in out.getvalue()


def test_a_movie_id_that_is_no_number_is_said_so(run_import, tmp_path):
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,A (2000),Drama"],
        ratings=["1,abc,3.0,1000000000", "1,2,3.0,1000000000"],
        tags=["1,abc,fun,1000000000"],
    )

    _, err = run_import("import_movielens", directory)

    assert err.splitlines() == [
        "ratings.csv:2: movieId 'abc' is not a number",
        "ratings.csv:3: unknown movieId 2",
        "tags.csv:2: movieId 'abc' is not a number",
    ]


RELEARN = "learn from these films and ratings once manage.py build_similarities has run again"


def test_new_films_and_ratings_say_the_recommendations_need_relearning(run_import):
    out, _ = run_import("import_movielens", SAMPLE)
    assert RELEARN in out

    again, _ = run_import("import_movielens", SAMPLE)
    assert RELEARN not in again  # nothing new to learn from


def test_a_run_interrupted_in_movies_csv_does_not_say_nothing_changed(small_movielens, monkeypatch):
    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(MovieWriter, "flush", interrupted)
    out = io.StringIO()

    with pytest.raises(CommandError, match="interrupted"):
        call_command("import_movielens", str(small_movielens), stdout=out, stderr=io.StringIO())

    assert "Nothing changed" not in out.getvalue()


def test_a_database_failure_is_one_line_and_leaves_whole_batches(
    run_import, small_movielens, monkeypatch, row_by_row
):
    real_write = movielens_ratings.write_batch

    def failing_on_the_third_batch(batch):
        written = real_write(batch)
        if len(batch) == 2:
            raise DatabaseError("disk full\nCONTEXT: somewhere")
        return written

    monkeypatch.setattr(movielens_ratings, "write_batch", failing_on_the_third_batch)
    with pytest.raises(CommandError, match=r"^the database refused a batch: disk full$"):
        run_import("import_movielens", small_movielens, batch_size=4)
    assert Rating.objects.count() == 8


def test_ratings_are_written_in_bulk_not_a_query_per_row(run_import, tmp_path):
    def queries_for(raters: int) -> int:
        directory = write_movielens(
            tmp_path / f"ml{raters}",
            movies=["1,Alpha (2001),Drama", "2,Beta (2002),Comedy"],
            ratings=[f"{u},{m},3.0,1000000000" for u in range(1, raters + 1) for m in (1, 2)],
        )
        with CaptureQueriesContext(connection) as queries:
            run_import("import_movielens", directory)
        Rating.objects.all().delete()
        Movie.objects.all().delete()
        Genre.objects.all().delete()
        return len(queries)

    assert queries_for(15) == queries_for(60)


WRITERS = ["executemany"] + (["copy"] if connection.vendor == "postgresql" else [])


@pytest.mark.parametrize("first", WRITERS)
def test_both_rating_writers_give_the_same_rows_and_counts(
    run_import, small_movielens, monkeypatch, first, row_by_row
):
    """PostgreSQL's COPY + upsert and the executemany writer SQLite uses agree."""
    writers = {
        "executemany": movielens_ratings.write_with_executemany,
        "copy": movielens_ratings.write_with_copy,
    }
    monkeypatch.setattr(movielens_ratings, "write_batch", writers[first])
    run_import("import_movielens", small_movielens, batch_size=4)
    rows = movielens_ratings_rows()
    lines = (small_movielens / "ratings.csv").read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 2)[0] + ",0.5,1000000001"  # a changed rating
    (small_movielens / "ratings.csv").write_text("\n".join(lines) + "\n")

    # The change is seen by whichever writer runs next, and is no change to the other.
    for turn, name in enumerate(sorted(WRITERS, key=lambda name: name == first)):
        monkeypatch.setattr(movielens_ratings, "write_batch", writers[name])
        out, _ = run_import("import_movielens", small_movielens, batch_size=4)
        expected = "1 updated, 9 skipped" if turn == 0 else "0 updated, 10 skipped"
        assert f"ratings: 0 created, {expected}, 0 rejected" in out
        assert_stats_match_the_ratings()  # each writer adds what it changes to the stats
    assert len(movielens_ratings_rows() - rows) == 1


def test_duplicate_lines_across_a_batch_boundary_are_caught(run_import, tmp_path):
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama", "2,Beta (2002),Comedy"],
        # Lines 2-3 are the first batch of two, line 4 the second: same rater, same film.
        ratings=["1,1,3.0,1000000000", "1,2,4.0,1000000000", "1,2,1.0,1000000009"],
        tags=["1,1,slow,1000000000", "1,2,fun,1000000000", "1,1,slow,1000000005"],
    )

    for counts in ("2 created, 0 updated, 0 skipped", "0 created, 0 updated, 2 skipped"):
        out, err = run_import("import_movielens", directory, batch_size=2)
        assert f"ratings: {counts}, 1 rejected" in out
        assert err.splitlines() == ["ratings.csv:4: userId 1 already rated movieId 2 on line 3"]
    assert Rating.objects.get(movie__title="Beta").value == 4.0
    slow = MovieTag.objects.get(tag="slow")
    assert slow.tagged_at == datetime.fromtimestamp(1_000_000_000, tz=UTC)


@pytest.mark.parametrize("path", ["as the database chooses", "row by row"])
def test_a_repeat_in_a_later_batch_is_rejected_and_the_first_stands(
    run_import, tmp_path, request, path
):
    if path == "row by row":
        request.getfixturevalue("row_by_row")
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,A (2000),Drama", "2,B (2001),Drama"],
        # Batches of two: lines 2-3, then 4-5, then 6. Not sorted by rater.
        ratings=[
            "1,1,5.0,1000000000",
            "2,2,4.0,1000000000",
            "3,1,3.0,1000000000",
            "1,1,0.5,1000000000",
            "1,1,0.5,1000000000",
        ],
    )
    said = [
        "ratings.csv:5: userId 1 already rated movieId 1 on line 2",
        "ratings.csv:6: userId 1 already rated movieId 1 on line 2",
    ]

    out, err = run_import("import_movielens", directory, batch_size=2)
    assert "ratings: 3 created, 0 updated, 0 skipped, 2 rejected" in out
    assert err.splitlines() == said
    for _ in range(2):
        out, err = run_import("import_movielens", directory, batch_size=2)
        assert "ratings: 0 created, 0 updated, 3 skipped, 2 rejected" in out
        assert "Nothing changed" in out
        assert err.splitlines() == said
    assert Rating.objects.get(external_rater_id="1").value == 5.0
    assert_stats_match_the_ratings()


def test_a_tag_repeated_in_a_later_batch_is_skipped_and_the_first_stands(run_import, tmp_path):
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,A (2000),Drama", "2,B (2001),Drama"],
        # Batches of two: lines 2-3, then 4-5. Rater 1's second "lent ✨", at another time,
        # is outside its run of lines: the batch before ends with rater 2.
        tags=[
            "1,1,lent ✨,1000000000",
            "2,1,fun,1000000000",
            "3,2,meh,1000000000",
            "1,1,lent ✨,1000000500",
        ],
    )

    out, err = run_import("import_movielens", directory, batch_size=2)
    assert "tags: 3 created, 0 updated, 1 skipped, 0 rejected" in out
    assert err == ""
    for _ in range(2):
        out, _ = run_import("import_movielens", directory, batch_size=2)
        assert "tags: 0 created, 0 updated, 4 skipped, 0 rejected" in out
        assert "Nothing changed" in out
    slow = MovieTag.objects.get(tag="lent ✨")
    assert slow.tagged_at == datetime.fromtimestamp(1_000_000_000, tz=UTC)


def test_a_tag_the_file_gives_at_another_time_is_updated_once(run_import, tmp_path):
    """The first line of a tag updates the tag already there; its repeat is skipped."""
    MovieTag.objects.create(
        movie=MovieFactory(title="A", year=2000),
        source=RatingSource.MOVIELENS,
        external_rater_id="1",
        tag="slow",
        tagged_at=datetime.fromtimestamp(999_999_999, tz=UTC),
    )
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,A (2000),Drama"],
        tags=["1,1,slow,1000000000", "2,1,fun,1000000000", "1,1,slow,1000000500"],
    )

    out, _ = run_import("import_movielens", directory, batch_size=2)

    assert "tags: 1 created, 1 updated, 1 skipped, 0 rejected" in out
    slow = MovieTag.objects.get(tag="slow")
    assert slow.tagged_at == datetime.fromtimestamp(1_000_000_000, tz=UTC)


def test_a_repeat_found_later_is_listed_in_the_file_s_order(run_import, tmp_path, row_by_row):
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,A (2000),Drama"],
        ratings=["1,1,5.0,1000000000", "2,1,4.0,1000000000", "1,1,1.0,1000000000", "x,y"],
    )

    with pytest.raises(CommandError, match=r"^ratings\.csv:4: userId 1 already rated"):
        run_import("import_movielens", directory, batch_size=2, strict=True)


def test_malformed_lines_after_a_full_batch_are_reported_and_stop_strict(
    run_import, tmp_path, row_by_row
):
    # Lines 2-3 fill a batch of two; the reader rejects lines 4-5 itself, so no line of
    # the file is left for a last batch.
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,A (2000),Drama"],
        ratings=["1,1,5.0,1000000000", "2,1,4.0,1000000000", "x,y", "3,1"],
    )

    out, err = run_import("import_movielens", directory, batch_size=2)

    assert "ratings: 2 created, 0 updated, 0 skipped, 2 rejected" in out
    assert err.splitlines() == [
        "ratings.csv:4: expected 4 columns (userId,movieId,rating,timestamp), found 2",
        "ratings.csv:5: expected 4 columns (userId,movieId,rating,timestamp), found 2",
    ]
    with pytest.raises(CommandError, match=r"^ratings\.csv:4: expected 4 columns"):
        run_import("import_movielens", directory, batch_size=2, strict=True)


@pytest.mark.parametrize("path", ["as the database chooses", "row by row"])
def test_a_pair_repeated_with_the_same_rating_at_another_time_is_rejected(
    run_import, tmp_path, request, path
):
    """Only the very same line again is a repeat to skip: the same stars at another
    time are a second rating of the pair, which the first one stands against."""
    if path == "row by row":
        request.getfixturevalue("row_by_row")
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,A (2000),Drama"],
        ratings=["1,1,4.0,1000000000", "1,1,4.0,1000000500"],
    )

    out, err = run_import("import_movielens", directory)

    assert "ratings: 1 created, 0 updated, 0 skipped, 1 rejected" in out
    assert err.splitlines() == ["ratings.csv:3: userId 1 already rated movieId 1 on line 2"]
    assert Rating.objects.get().rated_at == datetime.fromtimestamp(1_000_000_000, tz=UTC)


def test_a_rating_given_again_at_another_time_is_updated(run_import, tmp_path):
    first = write_movielens(
        tmp_path / "a", movies=["1,A (2000),Drama"], ratings=["1,1,4.0,1000000000"]
    )
    later = write_movielens(
        tmp_path / "b", movies=["1,A (2000),Drama"], ratings=["1,1,4.0,1000000500"]
    )
    run_import("import_movielens", first)

    out, _ = run_import("import_movielens", later)

    assert "ratings: 0 created, 1 updated, 0 skipped, 0 rejected" in out
    assert Rating.objects.get().rated_at == datetime.fromtimestamp(1_000_000_500, tz=UTC)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "has no movies.csv: not a MovieLens directory"),
        ({"movies.csv": ""}, "movies.csv is empty: expected the header movieId,title,genres"),
        (
            {"movies.csv": "id,name\n1,Alpha\n"},
            "movies.csv does not start with the header movieId,title,genres",
        ),
        ({"movies.csv": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"}, "movies.csv is not a CSV text file"),
        (
            {"movies.csv": "movieId,title,genres\n", "ratings.csv": "userId,movieId,rating\n"},
            "ratings.csv does not start with the header userId,movieId,rating,timestamp",
        ),
    ],
)
def test_a_directory_in_the_wrong_format_is_refused_with_a_reason(
    run_import, tmp_path, files, message
):
    directory = tmp_path / "ml"
    directory.mkdir()
    for name, content in files.items():
        path = directory / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)

    with pytest.raises(CommandError) as raised:
        run_import("import_movielens", directory)

    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert not Movie.objects.exists()


def test_a_file_instead_of_a_directory_is_refused(run_import):
    with pytest.raises(CommandError, match="is not a directory"):
        run_import("import_movielens", SAMPLE / "movies.csv")


def test_a_file_missing_from_the_directory_is_named_with_the_directory(run_import, tmp_path):
    directory = write_movielens(tmp_path / "ml", movies=["1,Alpha (2001),Drama"])

    out, _ = run_import("import_movielens", directory)

    assert f"links.csv: not in {directory}, nothing read" in out.splitlines()


def test_an_empty_ratings_file_imports_the_films(run_import, tmp_path):
    directory = write_movielens(tmp_path / "ml", movies=["1,Alpha (2001),Drama"], ratings=[])

    out, _ = run_import("import_movielens", directory)

    assert "movies: 1 created" in out
    assert "ratings: 0 created, 0 updated, 0 skipped, 0 rejected" in out
    assert "links.csv: not in" in out


def test_a_line_that_is_not_utf8_is_rejected_on_its_own_line_and_the_rest_imported(
    run_import, tmp_path
):
    # Far down the file, past a batch already written: the text reader decodes blocks
    # ahead of the line it is on, and a failure there once ended the import half done.
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama"],
        ratings=[f"{rater},1,3.0,1000000000" for rater in range(5000)],
    )
    with open(directory / "ratings.csv", "ab") as handle:
        handle.write(b"9000,1,4.0,1000000000\n7,1,4.0,10000\xe9\n9001,1,5.0,1000000000\n")

    out, err = run_import("import_movielens", directory, batch_size=1000)

    assert "ratings.csv:5003: not UTF-8 text" in err.splitlines()
    assert "ratings: 5002 created, 0 updated, 0 skipped, 1 rejected" in out
    assert Rating.objects.filter(external_rater_id="9001").exists()


def test_a_file_that_changes_ratings_and_adds_others_keeps_the_film_s_stats(run_import, tmp_path):
    # One batch that raises a film's rating and adds a 5-star one: added to the film's
    # stats, the two proposed a score above one vote, which the table refused.
    first = write_movielens(
        tmp_path / "a",
        movies=["1,Alpha (2001),Drama"],
        ratings=[
            "1,1,1.0,1000000000",
            "2,1,3.0,1000000000",
        ],
    )
    second = write_movielens(
        tmp_path / "b",
        movies=["1,Alpha (2001),Drama"],
        ratings=[
            "1,1,4.0,1000000000",
            "2,1,1.0,1000000000",
            "3,1,5.0,1000000000",
        ],
    )
    run_import("import_movielens", first)

    out, _ = run_import("import_movielens", second)

    assert "ratings: 1 created, 2 updated, 0 skipped, 0 rejected" in out
    assert_stats_match_the_ratings()
