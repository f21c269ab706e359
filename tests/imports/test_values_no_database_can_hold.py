"""Values a file may hold that no column can: each is a rejected row, never a failed batch.

Each of these once ended an import in a traceback, or in "the database refused a batch"
after the batches before it were written, on PostgreSQL or on both databases.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse

from catalog.importers import tmdb
from catalog.models import Genre, Movie, MovieTag, Rating, Review
from tests.factories import MovieFactory
from tests.imports.conftest import write_movielens

pytestmark = pytest.mark.django_db

GOOD_FILM = {"id": 603, "title": "The Matrix", "release_date": "1999-03-30"}


def jsonl(path, *records) -> str:
    lines = [record if isinstance(record, str) else json.dumps(record) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rejections(err: str) -> list[str]:
    return [line for line in err.splitlines() if line]


def test_movielens_rows_out_of_every_column_s_reach_are_rejected(run_import, tmp_path):
    long_genre = "G" * 65
    directory = write_movielens(
        tmp_path / "ml",
        movies=[
            "1,Alpha (2001),Drama",
            f"{'9' * 5000},Huge id (2002),Drama",
            f"3,Long genre (2003),Drama|{long_genre}",
            "4,Nul\x00 title (2004),Drama",
            "5,Punctuation genre (2005),!!!",
            "6,Omega (2006),Comedy",
        ],
        ratings=["1,1,4.0,1000000000"],
        tags=[f"{'7' * 80},1,slow,1000000000", "8,1,fast,1000000000"],
    )

    out, err = run_import("import_movielens", directory)

    assert rejections(err) == [
        f"movies.csv:3: movieId '{'9' * 37}'... is not a number",
        f"movies.csv:4: the genre '{'G' * 30}'... is longer than 64 characters",
        "movies.csv:5: holds a NUL character, which no database column can store",
        "movies.csv:6: the genre '!!!' has no letter or digit to name it by",
        f"tags.csv:2: userId '{'7' * 37}'... is not a number",
    ]
    assert "movies: 2 created, 0 updated, 0 skipped, 4 rejected" in out
    assert sorted(Movie.objects.values_list("title", flat=True)) == ["Alpha", "Omega"]
    assert list(MovieTag.objects.values_list("external_rater_id", flat=True)) == ["8"]
    assert Rating.objects.count() == 1


def test_json_lines_python_cannot_read_are_rejected(run_import, tmp_path):
    path = jsonl(
        tmp_path / "tmdb.jsonl",
        GOOD_FILM,
        '{"id": ' + "1" * 5000 + ', "title": "Huge"}',
        "[" * 100_000 + "]" * 100_000,
        {"id": 604, "title": "Nul\u0000 title"},
        {"id": 605, "title": "Counted", "vote_average": 7.0, "vote_count": 99_999_999_999},
        {"id": 3_000_000_000, "title": "Past an integer"},
        {"id": 606},
        {"id": 607, "title": "The Matrix Reloaded"},
    )

    out, err = run_import("import_tmdb", path)

    assert rejections(err) == [
        "tmdb.jsonl:2: not JSON this import can read (a number too long, or nested too deep)",
        "tmdb.jsonl:3: not JSON this import can read (a number too long, or nested too deep)",
        "tmdb.jsonl:4: 'title' holds a NUL character, which no database column can store",
        "tmdb.jsonl:5: 'vote_count' should be a whole number from 0 to 2147483647, not 99999999999",
        "tmdb.jsonl:6: 'id' should be a whole number from 1 to 2147483647, not 3000000000",
        "tmdb.jsonl:7: 'title' is missing, and so is 'original_title'",
    ]
    assert "movies: 2 created, 0 updated, 0 skipped, 6 rejected" in out
    assert Movie.objects.count() == 2


def test_a_tweet_with_a_nul_or_a_huge_id_is_rejected(run_import, tmp_path):
    film = MovieFactory(tmdb_id=348)
    path = jsonl(
        tmp_path / "tweets.jsonl",
        {"tweet_id": "1", "text": "fine", "tmdb_id": 348},
        {"tweet_id": "2", "text": "nul \u0000 here", "tmdb_id": 348},
        {"tweet_id": "9" * 30, "text": "huge id", "tmdb_id": 348},
    )

    out, err = run_import("import_tweets", path)

    assert rejections(err) == [
        "tweets.jsonl:2: 'text' holds a NUL character, which no database column can store",
        f"tweets.jsonl:3: 'tweet_id' should be a whole number from 1 to {2**63 - 1}, "
        f"not '{'9' * 30}'",
    ]
    assert list(Review.objects.values_list("movie", "tweet_id")) == [(film.pk, 1)]


def test_ids_links_csv_gives_two_films_already_in_the_catalog_conflict_row_by_row(
    run_import, tmp_path
):
    # The films came without ids; the ids arrive later, one of them twice. Known only
    # once their batch was written, they failed it on the unique constraint.
    movies = ["1,Foo (2000),Drama", "2,Bar (2001),Comedy"]
    run_import("import_movielens", write_movielens(tmp_path / "a", movies=movies))
    directory = write_movielens(
        tmp_path / "b", movies=movies, links=["1,0000001,777", "2,0000002,777"]
    )

    out, err = run_import("import_movielens", directory)

    assert rejections(err)[-1] == (
        "movies.csv:3: TMDB id 777 is already the film with IMDb id tt0000001, not tt0000002"
    )
    assert "movies: 0 created, 1 updated, 0 skipped, 1 rejected" in out
    assert Movie.objects.get(tmdb_id=777).title == "Foo"
    assert Movie.objects.get(title="Bar").imdb_id is None


def test_a_batch_the_database_refuses_is_not_counted(tmp_path, monkeypatch):
    # The films are written, then the ratings of the same batch fail: nothing of it stays,
    # and the summary said "created" for films that were rolled back.
    def refused(*args):
        raise DatabaseError("refused for the test")

    monkeypatch.setattr(tmdb, "write_aggregates", refused)
    path = jsonl(tmp_path / "tmdb.jsonl", GOOD_FILM)
    out = io.StringIO()

    with pytest.raises(CommandError, match="^the database refused a batch: refused for the test"):
        call_command("import_tmdb", str(path), stdout=out, stderr=io.StringIO())

    assert "movies: 0 created, 0 updated, 0 skipped, 0 rejected" in out.getvalue()
    assert not Movie.objects.exists()


def test_genres_with_no_latin_letters_are_kept_and_have_their_page(run_import, client, tmp_path):
    genres = [{"id": 28, "name": "アクション"}, {"id": 35, "name": "Κωμωδία"}]
    path = jsonl(tmp_path / "tmdb.jsonl", {**GOOD_FILM, "genres": genres})

    out, _ = run_import("import_tmdb", path)

    assert "genres: 2 created" in out
    action = Genre.objects.get(name="アクション")
    assert action.slug == "アクション"
    assert set(Movie.objects.get().genres.values_list("name", flat=True)) == {
        "アクション",
        "Κωμωδία",
    }
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    assert "The Matrix" in response.text
    assert action.get_absolute_url() == reverse("catalog:genre_detail", args=["アクション"])


def test_tmdb_numbers_that_are_not_finite_are_rejected(run_import, tmp_path):
    # json.loads reads 1e400 as infinity and takes Infinity and NaN: imported, an
    # infinite popularity stopped build_similarities every night.
    path = jsonl(
        tmp_path / "tmdb.jsonl",
        GOOD_FILM,
        '{"id": 701, "title": "Huge", "popularity": 1e400}',
        '{"id": 702, "title": "Infinite", "popularity": Infinity}',
        '{"id": 703, "title": "Not a number", "popularity": NaN}',
        '{"id": 704, "title": "Below", "popularity": -Infinity}',
        '{"id": 705, "title": "Long", "popularity": 1' + "0" * 400 + "}",
        '{"id": 706, "title": "Voted", "vote_average": Infinity, "vote_count": 9}',
        '{"id": 707, "title": "Voted", "vote_average": NaN, "vote_count": 9}',
    )

    out, err = run_import("import_tmdb", path)

    assert rejections(err) == [
        "tmdb.jsonl:2: 'popularity' should be a finite number, not inf",
        "tmdb.jsonl:3: 'popularity' should be a finite number, not inf",
        "tmdb.jsonl:4: 'popularity' should be a finite number, not nan",
        "tmdb.jsonl:5: 'popularity' should be a finite number, not -inf",
        f"tmdb.jsonl:6: 'popularity' should be a finite number, not 1{'0' * 36}...",
        "tmdb.jsonl:7: 'vote_average' should be a finite number, not inf",
        "tmdb.jsonl:8: 'vote_average' should be a finite number, not nan",
    ]
    assert "movies: 1 created, 0 updated, 0 skipped, 7 rejected" in out
    assert list(Movie.objects.values_list("title", flat=True)) == ["The Matrix"]
    call_command("build_similarities", verbosity=0)


def test_tweet_numbers_that_are_not_whole_and_finite_are_rejected(run_import, tmp_path):
    MovieFactory(tmdb_id=348, title="Alien", year=1979)
    path = jsonl(
        tmp_path / "tweets.jsonl",
        '{"tweet_id": 1, "text": "fine", "tmdb_id": 348}',
        '{"tweet_id": 1e400, "text": "huge id", "tmdb_id": 348}',
        '{"tweet_id": NaN, "text": "no id", "tmdb_id": 348}',
        '{"tweet_id": 4, "text": "no film", "tmdb_id": Infinity}',
        '{"tweet_id": 5, "text": "no year", "title": "Alien", "year": -Infinity}',
    )

    out, err = run_import("import_tweets", path)

    whole = "should be a whole number from 1 to"
    assert rejections(err) == [
        f"tweets.jsonl:2: 'tweet_id' {whole} {2**63 - 1}, not inf",
        f"tweets.jsonl:3: 'tweet_id' {whole} {2**63 - 1}, not nan",
        f"tweets.jsonl:4: 'tmdb_id' {whole} 2147483647, not inf",
        f"tweets.jsonl:5: 'year' {whole} 9999, not -inf",
    ]
    assert list(Review.objects.values_list("tweet_id", flat=True)) == [1]


NOT_FINITE_RATINGS = ["inf", "-inf", "Infinity", "-Infinity", "nan", "NaN", "1e400"]


def test_movielens_ratings_that_are_not_finite_are_rejected(run_import, tmp_path, row_by_row):
    ratings = [f"1,1,{rating},100000000{line}" for line, rating in enumerate(NOT_FINITE_RATINGS)]
    directory = write_movielens(
        tmp_path / "ml", movies=["1,Alpha (2001),Drama"], ratings=[*ratings, "2,1,4.0,1000000000"]
    )

    out, err = run_import("import_movielens", directory)

    assert rejections(err) == [
        f"ratings.csv:{line}: rating {rating!r} is not between 0.5 and 5"
        for line, rating in enumerate(NOT_FINITE_RATINGS, start=2)
    ]
    assert "ratings: 1 created, 0 updated, 0 skipped, 7 rejected" in out
    assert list(Rating.objects.values_list("value", flat=True)) == [4.0]
