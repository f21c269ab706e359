"""Films given an infinite (or, on PostgreSQL, NaN) popularity before catalog migration
0016 are left with none (0), so that the constraint can be added and the engine learns."""

import math

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.models import Movie
from recommendations.models import MoviePrior
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0015_rating_and_tag_dates_plausible")


@pytest.fixture
def old_movie():
    """Movie as it was before the migration, which took any float."""
    with models_before(*BEFORE) as apps:
        yield apps.get_model("catalog", "Movie")


def test_a_popularity_that_is_no_number_becomes_none_and_the_engine_learns(old_movie):
    # SQLite stores NaN as NULL, which the column refuses: only PostgreSQL holds one.
    values = [math.inf, math.nan] if connection.vendor == "postgresql" else [math.inf]
    for number, value in enumerate(values):
        old_movie.objects.create(title=f"Broken {number}", popularity=value)
    old_movie.objects.create(title="Popular", popularity=80.5)

    call_command("migrate", verbosity=0)

    assert dict(Movie.objects.values_list("title", "popularity")) == {
        **{f"Broken {number}": 0 for number in range(len(values))},
        "Popular": 80.5,
    }
    call_command("build_similarities", verbosity=0)
    # Every film has a prior; those left with no popularity, the neutral one.
    assert dict(MoviePrior.objects.values_list("movie__title", "popularity")) == {
        **{f"Broken {number}": 0 for number in range(len(values))},
        "Popular": 1.0,
    }
