"""Catalog migration 0015: ratings and tags dated out of bounds before it keep their row
and lose their date (unknown), so the constraints can be added and the admin's lists,
which failed on such a date, open again."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from catalog.models import MovieTag, Rating
from tests import factories
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0014_searches_that_name_a_film")
UTC = dt.UTC
WHEN = {
    "9999": dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    "2150": dt.datetime(2150, 1, 1, tzinfo=UTC),  # within the CHECK, but in the future
    "0001": dt.datetime(1, 1, 1, tzinfo=UTC),
    "1850": dt.datetime(1850, 1, 1, tzinfo=UTC),
    "1888": dt.datetime(1888, 1, 1, tzinfo=UTC),
    "2009": dt.datetime(2009, 1, 1, tzinfo=UTC),
}


@pytest.fixture
def old_models():
    """Rating and MovieTag as they were before the migration, without its rules."""
    with models_before(*BEFORE) as apps:
        yield apps


def test_impossible_dates_become_unknown_and_the_rows_stay(old_models, client, admin_user):
    movie = factories.MovieFactory()
    old_rating = old_models.get_model("catalog", "Rating")
    old_tag = old_models.get_model("catalog", "MovieTag")
    ratings, tags = {}, {}
    for rater, (year, moment) in enumerate(WHEN.items()):
        ratings[year] = old_rating.objects.create(
            movie_id=movie.pk,
            source="movielens",
            rater_kind="external",
            external_rater_id=str(rater),
            value=4,
            scale_min=0.5,
            scale_max=5,
            rated_at=moment,
        ).pk
        tags[year] = old_tag.objects.create(
            movie_id=movie.pk,
            source="movielens",
            external_rater_id=str(rater),
            tag="slow",
            tagged_at=moment,
        ).pk

    call_command("migrate", verbosity=0)

    rated = dict(Rating.objects.values_list("pk", "rated_at"))
    tagged = dict(MovieTag.objects.values_list("pk", "tagged_at"))
    kept = {"1888", "2009"}
    assert {year: rated[pk] for year, pk in ratings.items()} == {
        year: WHEN[year] if year in kept else None for year in WHEN
    }
    assert {year: tagged[pk] for year, pk in tags.items()} == {
        year: WHEN[year] if year in kept else None for year in WHEN
    }
    # Logged in on today's schema: a log-in reads tables the old one lacks (a time zone).
    client.force_login(admin_user)
    with override_settings(TIME_ZONE="Asia/Tokyo"):
        for model in ("rating", "movietag"):
            changelist = reverse(f"admin:catalog_{model}_changelist")
            assert client.get(changelist).status_code == HTTPStatus.OK
