"""--batch-size is a whole number from 1 to MAX_BATCH_SIZE, refused up front otherwise.

A size past any real batch went on: import_tmdb wrote its films, then ended in
OverflowError (a size past 2⁶³) or MemoryError (one just below it) deriving franchises,
with no summary.
"""

import pytest
from django.core.management import CommandError, call_command

from catalog.importers.command import MAX_BATCH_SIZE
from catalog.models import Movie
from tests.imports.conftest import DATA

pytestmark = pytest.mark.django_db

FILES = {
    "import_movielens": DATA / "movielens",
    "import_tmdb": DATA / "tmdb_movies.jsonl",
    "import_tweets": DATA / "tweets.jsonl",
}


@pytest.mark.parametrize("command", FILES)
@pytest.mark.parametrize(
    "size", ["99999999999999999999999", "9223372036854775807", str(MAX_BATCH_SIZE + 1), "0", "-5"]
)
def test_a_batch_size_out_of_bounds_is_refused_before_anything_is_written(command, size):
    with pytest.raises(CommandError) as refused:
        call_command(command, str(FILES[command]), "--batch-size", size)

    assert str(refused.value) == (
        f"Error: argument --batch-size: {size} is not a whole number from 1 to {MAX_BATCH_SIZE:,}"
    )
    assert not Movie.objects.exists()


def test_the_same_bounds_hold_for_a_size_given_from_python(run_import):
    with pytest.raises(CommandError, match=r"^--batch-size: 0 is not a whole number from 1"):
        run_import("import_tmdb", FILES["import_tmdb"], batch_size=0)
    with pytest.raises(CommandError, match=r"^--batch-size: 9223372036854775807 is not"):
        run_import("import_tmdb", FILES["import_tmdb"], batch_size=2**63 - 1)
    assert not Movie.objects.exists()


@pytest.mark.parametrize("size", ["1", str(MAX_BATCH_SIZE)])
def test_the_bounds_themselves_are_sizes(size, run_import):
    out, _ = run_import("import_tmdb", FILES["import_tmdb"], batch_size=int(size))

    assert "movies: " in out
    assert Movie.objects.exists()
