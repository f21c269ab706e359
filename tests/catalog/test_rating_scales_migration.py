"""Ratings already off the new rules do not stop catalog migration 0010 that adds them.

Each keeps its score on 0-1, which is what the pages and the recommendations read: a
Marquee rating as the nearest whole star, another rating on 0-100. One whose score is no
number says nothing, and goes. The films' stats follow.
"""

import math
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Rating
from tests import factories
from tests.migration_states import models_before
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = "0009_integers_fit_postgres"


@pytest.fixture
def before_the_rules():
    with models_before("catalog", BEFORE):
        yield


def rated(movie, value, low, high, **kind):
    """A rating written around validation, as the admin wrote them before the rules."""
    rating = factories.RatingFactory(movie=movie, **kind)
    Rating.objects.filter(pk=rating.pk).update(value=value, scale_min=low, scale_max=high)
    return rating.pk


def test_each_rating_keeps_its_score_as_near_as_the_rules_allow(before_the_rules, client):
    alien = factories.MovieFactory()
    quarter_star = rated(alien, 4.25, 1, 5)
    signed = rated(alien, 50, -100, 100)  # 0.75
    endless = rated(alien, 5, 1, 1e308)  # 0.0, as the page showed it
    per_mille = rated(alien, 700, 0, 1000, aggregate=True)
    fine = rated(alien, 3, 1, 5, user=factories.UserFactory())
    # Last: a rating saved after it would compute the film's stats, NaN, which they refuse.
    at_infinity = rated(alien, math.inf, 1, math.inf)  # no number

    call_command("migrate", verbosity=0)

    ratings = Rating.objects.in_bulk()
    stars = {pk: ratings[pk].value for pk in (quarter_star, signed, endless, fine)}
    assert stars == {quarter_star: 4, signed: 4, endless: 1, fine: 3}
    assert {(ratings[pk].scale_min, ratings[pk].scale_max) for pk in stars} == {(1, 5)}
    assert at_infinity not in ratings
    assert (ratings[per_mille].value, ratings[per_mille].scale_max) == (70, 100)
    assert_stats_match_the_ratings()
    assert client.get(reverse("catalog:movie_detail", args=[alien.pk])).status_code == (
        HTTPStatus.OK
    )
