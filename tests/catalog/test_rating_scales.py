"""A Marquee rating is a person's whole stars on 1-5; any rating's scale is a sane one.

The admin accepted a Marquee rating of 4.25 stars, one on -100 to 100, and one on 1 to
1e308 (shown as "Marquee 0.0 / 10"). Each rule fails twice: through validation, with
its message on the field it is about, and through raw SQL, refused by the database.
"""

import math
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import MARQUEE_STARS_MESSAGE, SCALE_MESSAGE, Rating
from tests.conftest import assert_refused_by_database
from tests.factories import MovieFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


def rating_row(movie, user=None, **overrides) -> dict:
    """A catalog_rating row for raw SQL: a user's rating when given one, else an aggregate."""
    if user:
        kind = {"rater_kind": "user", "user_id": user.pk}
    else:
        kind = {"rater_kind": "aggregate", "vote_count": 10}
    row = {"movie_id": movie.pk, "external_rater_id": "", "value": 3, "scale_min": 1}
    return row | {"scale_max": 5, "source": "marquee"} | kind | overrides


# (value, scale_min, scale_max, the fields that say what is wrong)
IMPOSSIBLE_STARS = [
    (4.25, 1, 5, {"value"}),
    (50, -100, 100, {"value", "scale_min", "scale_max"}),
    (1, 1, 1e308, {"scale_max"}),
    (3, 0, 10, {"scale_min", "scale_max"}),
    (0, 0, 5, {"value", "scale_min"}),
]


@pytest.mark.parametrize(("value", "low", "high", "fields"), IMPOSSIBLE_STARS)
def test_a_marquee_rating_is_whole_stars_on_1_to_5(user, value, low, high, fields):
    movie = MovieFactory()
    rating = Rating(movie=movie, source="marquee", rater_kind="user", user=user, value=value)
    rating.scale_min, rating.scale_max = low, high

    with pytest.raises(ValidationError) as excinfo:
        rating.full_clean()

    errors = excinfo.value.message_dict
    assert {field for field in errors if MARQUEE_STARS_MESSAGE in errors[field]} == fields
    row = rating_row(movie, user, value=value, scale_min=low, scale_max=high)
    assert_refused_by_database("catalog_rating", **row)


@pytest.mark.parametrize("stars", [1, 2, 3, 4, 5])
def test_every_whole_star_is_a_marquee_rating(stars):
    rating = RatingFactory.build(movie=MovieFactory(), user=UserFactory(), value=stars)

    rating.full_clean()
    rating.save()


# The scales the imports, the demo and people's other ratings give.
SANE_SCALES = [(0.5, 5), (0, 10), (1, 10), (0, 100), (-1, 1), (-100, 100)]
ABSURD_SCALES = [(1, 1e308), (-1e6, 0), (0, 101), (0, math.inf), (-math.inf, 0), (0, math.nan)]


@pytest.mark.parametrize(("low", "high"), SANE_SCALES)
def test_the_scales_of_other_sources_are_kept(low, high):
    rating = RatingFactory.build(aggregate=True, movie=MovieFactory(), value=low)
    rating.scale_min, rating.scale_max = low, high

    rating.full_clean()
    rating.save()


@pytest.mark.parametrize(("low", "high"), ABSURD_SCALES)
def test_an_absurd_scale_is_refused_for_every_source(low, high):
    movie = MovieFactory()
    value = low if math.isfinite(low) else 0
    rating = RatingFactory.build(aggregate=True, movie=movie, value=value)
    rating.scale_min, rating.scale_max = low, high

    with pytest.raises(ValidationError) as excinfo:
        rating.full_clean()

    assert SCALE_MESSAGE in " ".join(excinfo.value.messages)
    row = rating_row(movie, source="tmdb", value=value, scale_min=low, scale_max=high)
    assert_refused_by_database("catalog_rating", **row)


def marquee_form(movie, user, value: str, low: str, high: str) -> dict:
    return {
        "movie": movie.pk,
        "source": "marquee",
        "rater_kind": "user",
        "user": user.pk,
        "value": value,
        "scale_min": low,
        "scale_max": high,
    }


@pytest.mark.parametrize(
    ("value", "low", "high", "field"),
    [
        ("4.25", "1", "5", "value"),
        ("50", "-100", "100", "scale_min"),
        ("1", "1", "1e308", "scale_max"),
    ],
)
def test_the_admin_says_what_a_marquee_rating_is(staff_client, user, value, low, high, field):
    movie = MovieFactory()

    response = staff_client.post(
        reverse("admin:catalog_rating_add"), marquee_form(movie, user, value, low, high)
    )

    assert response.status_code == HTTPStatus.OK, "saved"
    errors = response.context["adminform"].form.errors
    assert MARQUEE_STARS_MESSAGE in errors[field]
    assert not Rating.objects.exists()
