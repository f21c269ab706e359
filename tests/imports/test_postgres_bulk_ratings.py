"""MovieLens ratings through PostgreSQL's bulk path (movielens_bulk), against the row-by-row one.

Collected in the PostgreSQL session only (see conftest.py): the bulk path is PostgreSQL's.
The row-by-row path is the reference: for every file, the two must leave the same rows
and say the same things.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from catalog.importers import movielens_bulk
from catalog.importers.index_rebuild import table_keys
from catalog.models import Movie, RaterKind, Rating, RatingSource
from tests.conftest import assert_refused_by_database
from tests.factories import MovieFactory, UserFactory
from tests.imports.conftest import write_movielens
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db

MOVIES = ["1,Alpha (2001),Drama", "2,Beta (2002),Comedy", "3,Gamma (2003),Horror"]
# Plain MovieLens form, with every rejection the bulk path itself finds.
PLAIN_RATINGS = [
    "1,1,4.0,1000000001",
    "1,2,0.5,1000000002",
    "1,3,5.0,1000000003",
    "1,9,3.0,1000000004",  # unknown film
    "2,1,7,1000000005",  # off the scale
    "2,2,0.0,1000000006",  # off the scale
    "2,3,NaN,1000000007",  # off the scale
    "2,4,3.0,1000000008",  # its film's line was rejected
    "3,1,2.5,1000000009",
    "3,1,2.5,1000000009",  # the same line again: skipped
    "3,1,1.0,1000000010",  # the same film again, another rating: rejected
    "3,2,4.5,1000000011",
    "3,3,4.0,0",
]


def ratings_rows():
    return sorted(
        Rating.objects.filter(source=RatingSource.MOVIELENS).values_list(
            "external_rater_id", "movie__title", "value", "rated_at"
        )
    )


def ratings_said(out: str, err: str) -> tuple[list[str], list[str]]:
    """What an import said of ratings: its summary line, its rejections, its notes."""
    return (
        [line for line in out.splitlines() if line.startswith(("ratings", "ratings.csv"))],
        [line for line in err.splitlines() if line.startswith("ratings.csv")],
    )


def directory_with(tmp_path, ratings: list[str], name="ml"):
    return write_movielens(
        tmp_path / name, movies=[*MOVIES, "4,Delta (2101),Drama"], ratings=ratings
    )


def both_ways(run_import, monkeypatch, directory):
    """Import with the bulk path, then (ratings deleted) row by row: what each did and said."""
    results = []
    for bulk in (True, False):
        with monkeypatch.context() as patched:
            if not bulk:
                patched.setattr(movielens_bulk, "load_ratings", lambda *args: False)
            out, err = run_import("import_movielens", directory)
        results.append((ratings_said(out, err), ratings_rows()))
        Rating.objects.filter(source=RatingSource.MOVIELENS).delete()
    return results


def test_a_plain_file_gives_the_same_rows_counts_and_reasons_as_row_by_row(
    run_import, monkeypatch, tmp_path
):
    directory = directory_with(tmp_path, PLAIN_RATINGS)

    bulk, row_by_row = both_ways(run_import, monkeypatch, directory)

    assert bulk == row_by_row
    (said, rejected), rows = bulk
    assert said == ["ratings: 6 created, 0 updated, 1 skipped, 6 rejected"]  # no note
    assert rejected == [
        "ratings.csv:5: unknown movieId 9",
        "ratings.csv:6: rating '7' is not between 0.5 and 5",
        "ratings.csv:7: rating '0.0' is not between 0.5 and 5",
        "ratings.csv:8: rating 'NaN' is not between 0.5 and 5",
        "ratings.csv:9: movieId 4 was rejected (movies.csv:5)",
        "ratings.csv:12: userId 3 already rated movieId 1 on line 10",
    ]
    assert len(rows) == 6


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (" 3,2,4.5,1000000011", "a space"),
        ("3,02,4.5,1000000011", "a leading zero (the row-by-row path finds the film)"),
        ("3,2,+4.5,1000000011", "a sign"),
        ("3,2,4.5e0,1000000011", "an exponent"),
        ("3,2,4.5,-1", "a negative time"),
        ("3,2,,1000000011", "an empty field"),
        ("3,2,4.5,1000000011,extra", "a column too many"),
        ("3,2,4.5", "a column too few"),
        ("3,2,4.5,not-a-time", "text where a number goes"),
        ("", "a blank line"),
        ('3,2,4.5,"1000000011\n"', "a field quoted across two lines"),
        ("\\.", "PostgreSQL's end-of-data mark"),
        ("3,2,4.5,12345678901", "a time of eleven digits"),
        ("99999999999999999999,2,4.5,1000000011", "a userId too long for a bigint"),
    ],
)
def test_a_file_not_in_plain_form_goes_row_by_row_with_the_same_results(
    run_import, monkeypatch, tmp_path, line, why
):
    ratings = [*PLAIN_RATINGS[:3], line, *PLAIN_RATINGS[8:]]
    directory = directory_with(tmp_path, ratings)

    bulk, row_by_row = both_ways(run_import, monkeypatch, directory)

    (said, _), _ = bulk
    assert said[1].startswith("ratings.csv: ")
    assert said[1].endswith(", so it was read row by row")
    assert (said[:1], *bulk[1:]) == (row_by_row[0][0], *row_by_row[1:]), why
    assert bulk[0][1] == row_by_row[0][1], why


@pytest.mark.parametrize("bad", [b"3,2,4.5,1000000011\xff", b"3,2,4.5,10000\x00"])
def test_a_line_that_is_no_text_goes_row_by_row_and_is_rejected(run_import, tmp_path, bad):
    # Far enough down that reading the header does not decode it already.
    directory = directory_with(tmp_path, [f"{rater},1,3.0,1000000000" for rater in range(2000)])
    with open(directory / "ratings.csv", "ab") as handle:
        handle.write(bad + b"\n4,2,4.5,1000000011\n")

    out, err = run_import("import_movielens", directory)

    assert "so it was read row by row" in out
    [rejection] = [line for line in err.splitlines() if line.startswith("ratings.csv:2002: ")]
    assert ("UTF-8" in rejection) == (b"\xff" in bad)
    assert ("NUL" in rejection) == (b"\x00" in bad)
    assert not Rating.objects.filter(external_rater_id="3", movie__title="Beta").exists()
    assert Rating.objects.filter(external_rater_id="4", movie__title="Beta").exists()


def test_a_repeat_anywhere_in_the_file_is_found(run_import, tmp_path):
    # Not sorted by rater: the row-by-row path would need the two lines in one batch.
    ratings = [f"{rater},1,3.0,1000000000" for rater in range(1, 50)] + ["1,1,4.0,1000000099"]
    directory = directory_with(tmp_path, ratings)

    said = ratings_said(*run_import("import_movielens", directory, batch_size=10))

    assert said == (
        ["ratings: 49 created, 0 updated, 0 skipped, 1 rejected"],
        ["ratings.csv:51: userId 1 already rated movieId 1 on line 2"],
    )
    assert Rating.objects.get(external_rater_id="1").value == 3.0


def test_a_rerun_changes_nothing_and_a_changed_rating_is_updated(run_import, tmp_path):
    directory = directory_with(tmp_path, PLAIN_RATINGS)
    run_import("import_movielens", directory)
    before = ratings_rows()

    out, _ = run_import("import_movielens", directory)
    assert "ratings: 0 created, 0 updated, 7 skipped, 6 rejected" in out
    assert ratings_rows() == before

    changed = [*PLAIN_RATINGS[:2], "1,3,1.5,1000000003", *PLAIN_RATINGS[3:]]
    directory = directory_with(tmp_path, changed, name="changed")
    out, _ = run_import("import_movielens", directory)
    assert "ratings: 0 created, 1 updated, 6 skipped, 6 rejected" in out
    assert Rating.objects.get(external_rater_id="1", movie__title="Gamma").value == 1.5
    assert_stats_match_the_ratings()


def test_strict_writes_nothing_of_the_file_and_names_its_first_bad_line(tmp_path):
    directory = write_movielens(tmp_path / "ml", movies=MOVIES, ratings=PLAIN_RATINGS)
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"^ratings\.csv:5: unknown movieId 9 \(--strict"):
        call_command("import_movielens", str(directory), strict=True, stdout=out)

    assert Movie.objects.count() == 3  # movies.csv came before, and stays
    assert not Rating.objects.exists()
    # The summary the error points at counts the ratings too, none written.
    assert "ratings: 0 created, 0 updated, 0 skipped, 0 rejected" in out.getvalue()


def test_an_interrupted_load_leaves_nothing_of_the_file_and_a_rerun_completes(
    run_import, tmp_path, monkeypatch
):
    directory = directory_with(tmp_path, PLAIN_RATINGS)
    real_write = movielens_bulk.write_rows

    def interrupted_after_writing(bar):
        real_write(bar)  # the rows reach the table...
        raise KeyboardInterrupt  # ...and Ctrl-C comes before the commit

    monkeypatch.setattr(movielens_bulk, "write_rows", interrupted_after_writing)
    with pytest.raises(CommandError, match="^interrupted"):
        run_import("import_movielens", directory)
    assert not Rating.objects.exists()

    monkeypatch.undo()
    out, _ = run_import("import_movielens", directory)
    assert "ratings: 6 created, 0 updated, 1 skipped, 6 rejected" in out


@pytest.fixture
def rebuilding(monkeypatch):
    """Every load rebuilds the indexes of catalog_rating, however few rows it creates.

    Not by lowering REBUILD_FROM_ROWS alone: the table's size is read from the planner's
    estimate, which an earlier test's ANALYZE leaves behind, rolled back or not.
    """
    monkeypatch.setattr(movielens_bulk, "rebuild_pays", lambda cursor, to_create: True)


def test_a_rebuild_pays_from_enough_rows_and_at_least_the_table_s_size(monkeypatch):
    movie = MovieFactory()
    Rating.objects.bulk_create(
        Rating(
            movie=movie, source=RatingSource.MOVIELENS, rater_kind=RaterKind.EXTERNAL,
            external_rater_id=str(rater), value=3, scale_min=0.5, scale_max=5,
        )
        for rater in range(50)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Rating._meta.db_table}")  # the estimate: 50 rows

        assert movielens_bulk.rebuild_pays(cursor, movielens_bulk.REBUILD_FROM_ROWS - 1) is False
        monkeypatch.setattr(movielens_bulk, "REBUILD_FROM_ROWS", 10)
        assert movielens_bulk.rebuild_pays(cursor, 9) is False
        assert movielens_bulk.rebuild_pays(cursor, 49) is False
        assert movielens_bulk.rebuild_pays(cursor, 50) is True


def planner_common_sources() -> str:
    """The planner's most common values of catalog_rating.source, as ANALYZE left them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(string_agg(most_common_vals::text, ','), '') FROM pg_stats"
            " WHERE tablename = %s AND attname = 'source'",
            [Rating._meta.db_table],
        )
        return cursor.fetchone()[0]


def keys_of_ratings():
    return table_keys(Rating._meta.db_table)


def test_a_large_load_rebuilds_the_indexes_and_keys_exactly_as_they_were(
    run_import, tmp_path, rebuilding
):
    before = keys_of_ratings()
    # A rating written earlier in the same transaction, its key check still pending.
    Rating.objects.create(
        movie=MovieFactory(), source=RatingSource.MARQUEE, rater_kind=RaterKind.USER,
        user=UserFactory(), value=4,
    )  # fmt: skip
    directory = directory_with(tmp_path, PLAIN_RATINGS)

    out, _ = run_import("import_movielens", directory)

    assert "ratings: 6 created" in out
    assert keys_of_ratings() == before
    assert_stats_match_the_ratings()
    assert "movielens" in planner_common_sources()  # analysed after the load
    assert len(before.indexes) >= 4
    assert len(before.foreign_keys) == 2
    # The rebuilt unique index and foreign key hold.
    first = Rating.objects.filter(source=RatingSource.MOVIELENS).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            movie=first.movie, source=first.source, rater_kind=first.rater_kind,
            external_rater_id=first.external_rater_id, value=1, scale_min=0.5, scale_max=5,
        )  # fmt: skip
    assert_refused_by_database(
        Rating._meta.db_table, movie_id=999_999, source="movielens",
        rater_kind="external", external_rater_id="x", value=1, scale_min=0.5, scale_max=5,
    )  # fmt: skip


def test_the_bar_names_the_index_rebuild(run_on_terminal, tmp_path, rebuilding):
    _, err = run_on_terminal("import_movielens", directory_with(tmp_path, PLAIN_RATINGS))

    assert re.search(r"\[\d\d:\d\d, rebuilding indexes\]", err)


def test_a_load_that_fails_while_rebuilding_leaves_the_table_as_it_was(
    run_import, tmp_path, rebuilding, monkeypatch
):
    directory = directory_with(tmp_path, PLAIN_RATINGS[:3])
    run_import("import_movielens", directory)
    before, rows = keys_of_ratings(), ratings_rows()
    # The next load inserts, then a statement fails while the indexes are dropped.
    monkeypatch.setattr(movielens_bulk, "INSERT", movielens_bulk.INSERT + "; SELECT 1 / 0")

    with pytest.raises(CommandError, match="^the database refused a batch: division by zero"):
        run_import("import_movielens", directory_with(tmp_path, PLAIN_RATINGS, name="more"))

    assert keys_of_ratings() == before
    assert ratings_rows() == rows


def test_ratings_that_are_not_finite_are_rejected_as_row_by_row(run_import, monkeypatch, tmp_path):
    # PostgreSQL's float8 reads 'Infinity' and 'NaN', and numeric (the plain-form test)
    # reads them back the same: such a file stays on the bulk path, which must refuse them.
    ratings = ["4,1,Infinity,1000000020", "4,2,-Infinity,1000000021", "4,3,NaN,1000000022"]
    directory = directory_with(tmp_path, [*PLAIN_RATINGS[:3], *ratings])

    bulk, row_by_row = both_ways(run_import, monkeypatch, directory)

    assert bulk == row_by_row
    (said, rejected), rows = bulk
    assert said == ["ratings: 3 created, 0 updated, 0 skipped, 3 rejected"]  # no note
    assert rejected == [
        "ratings.csv:5: rating 'Infinity' is not between 0.5 and 5",
        "ratings.csv:6: rating '-Infinity' is not between 0.5 and 5",
        "ratings.csv:7: rating 'NaN' is not between 0.5 and 5",
    ]
    assert sorted(value for _, _, value, _ in rows) == [0.5, 4.0, 5.0]
