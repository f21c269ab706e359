"""Films whose year was not that of their release date before catalog migration 0017
take the date's year, or lose a date no film can have, so that the constraint can be
added; no film is deleted."""

import datetime as dt

import pytest
from django.core.management import call_command

from catalog.models import Movie
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0016_movie_popularity_finite")


@pytest.fixture
def old_movie():
    """Movie as it was before the migration: any year beside any release date."""
    with models_before(*BEFORE) as apps:
        yield apps.get_model("catalog", "Movie")


def test_the_year_follows_the_release_date_unless_the_date_is_impossible(old_movie):
    rows = {
        "Off by decades": (dt.date(1992, 5, 22), 1950),
        "Year left empty": (dt.date(1979, 5, 25), None),
        "Released before films": (dt.date(1850, 1, 1), 1995),
        "Released in 2150": (dt.date(2150, 6, 1), 2015),
        "Impossible, no year": (dt.date(1850, 1, 1), None),
        "Consistent": (dt.date(1986, 7, 18), 1986),
        "Year alone": (None, 2001),
        "Nothing known": (None, None),
    }
    for title, (released, year) in rows.items():
        old_movie.objects.create(title=title, release_date=released, year=year)

    call_command("migrate", verbosity=0)

    assert {
        title: (released, year)
        for title, released, year in Movie.objects.values_list("title", "release_date", "year")
    } == {
        "Off by decades": (dt.date(1992, 5, 22), 1992),
        "Year left empty": (dt.date(1979, 5, 25), 1979),
        "Released before films": (None, 1995),
        "Released in 2150": (None, 2015),
        "Impossible, no year": (None, None),
        "Consistent": (dt.date(1986, 7, 18), 1986),
        "Year alone": (None, 2001),
        "Nothing known": (None, None),
    }
