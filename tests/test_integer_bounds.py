"""Every integer column of the catalog and the feedback holds what PostgreSQL's integer
holds, on SQLite too, and each bound has one message wherever it is broken.

SQLite stores any 64-bit integer: the admin saved a runtime of 99999999999 there, the
pages showed it, and the move to PostgreSQL later refused the whole database.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from catalog.bounds import INTEGER_MAX, TOO_LARGE_MESSAGE
from catalog.models import Movie, Rating
from tests import factories

pytestmark = pytest.mark.django_db

TOO_LARGE = INTEGER_MAX + 1
SEEN_IN_THE_REVIEW = 99_999_999_999


def aggregate_rating():
    return factories.RatingFactory(aggregate=True)


# (factory of a valid row, its integer field)
COLUMNS = [
    (factories.MovieFactory, "runtime_minutes"),
    (factories.MovieFactory, "tmdb_id"),
    (factories.MovieFactory, "tmdb_collection_id"),
    (aggregate_rating, "vote_count"),
    (factories.UserSearchFactory, "results_count"),
    (factories.MovieRelationshipFactory, "derived_from_collection"),
    (factories.MediaFactory, "duration"),
    # minutes_watched stops at a week, far below (tests/feedback/test_minutes_watched.py).
]


def assert_update_refused_by_database(instance, field: str, value: int) -> None:
    """The value written around validation: a CHECK (SQLite) or the column type
    (PostgreSQL) refuses it."""
    rows = type(instance).objects.filter(pk=instance.pk)
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        rows.update(**{field: value})


@pytest.mark.parametrize(("make", "field"), COLUMNS, ids=[field for _, field in COLUMNS])
@pytest.mark.parametrize("value", [TOO_LARGE, SEEN_IN_THE_REVIEW])
def test_a_number_past_postgres_integer_is_refused(make, field, value):
    instance = make()
    setattr(instance, field, INTEGER_MAX)
    instance.full_clean()

    setattr(instance, field, value)
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()

    assert excinfo.value.message_dict[field] == [TOO_LARGE_MESSAGE]
    assert_update_refused_by_database(instance, field, value)


def movie_form(**fields) -> dict:
    """The movie admin's add form as posted, its inlines empty."""
    data = {"title": "Alien", "popularity": "0"}
    for prefix in ("relationships_from", "reviews", "ratings"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | fields


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == HTTPStatus.OK, "saved"
    return response.context["adminform"].form.errors[field]


@pytest.mark.parametrize("field", ["runtime_minutes", "tmdb_id"])
def test_the_admin_refuses_a_movie_number_past_postgres_integer(staff_client, field):
    url = reverse("admin:catalog_movie_add")

    response = staff_client.post(url, movie_form(**{field: str(SEEN_IN_THE_REVIEW)}))

    assert field_errors(response, field) == [TOO_LARGE_MESSAGE]
    assert not Movie.objects.exists()


def test_the_admin_refuses_a_duration_past_postgres_integer(staff_client):
    url = reverse("admin:feedback_media_add")
    data = {"media_id": "plex:1", "title": "Alien", "media_type": "movie"}
    data |= {"duration": str(SEEN_IN_THE_REVIEW), "feedback-TOTAL_FORMS": "0"}

    response = staff_client.post(url, data | {"feedback-INITIAL_FORMS": "0"})

    assert field_errors(response, "duration") == [TOO_LARGE_MESSAGE]


def aggregate_form(movie, vote_count: str) -> dict:
    return {
        "movie": movie.pk,
        "source": "tmdb",
        "rater_kind": "aggregate",
        "value": "8",
        "scale_min": "0",
        "scale_max": "10",
        "vote_count": vote_count,
    }


def test_the_admin_refuses_a_vote_count_past_postgres_integer(staff_client):
    movie = factories.MovieFactory()

    response = staff_client.post(
        reverse("admin:catalog_rating_add"), aggregate_form(movie, str(SEEN_IN_THE_REVIEW))
    )

    assert field_errors(response, "vote_count") == [TOO_LARGE_MESSAGE]
    assert not Rating.objects.exists()


def test_an_aggregate_of_no_votes_is_refused_not_a_crash(staff_client):
    """Alone, it gave its film stats of 0 votes, which their constraint refuses: a 500."""
    movie = factories.MovieFactory()

    response = staff_client.post(reverse("admin:catalog_rating_add"), aggregate_form(movie, "0"))

    assert field_errors(response, "vote_count") == ["An aggregate rating counts at least one vote."]
    rating = aggregate_rating()
    assert_update_refused_by_database(rating, "vote_count", 0)


@pytest.mark.parametrize("runtime", ["-5", "0"])
def test_a_runtime_below_one_minute_has_one_message(staff_client, runtime):
    response = staff_client.post(
        reverse("admin:catalog_movie_add"), movie_form(runtime_minutes=runtime)
    )

    assert field_errors(response, "runtime_minutes") == ["The runtime must be at least one minute."]


@pytest.mark.parametrize("year", ["-5", "1500", "2101"])
def test_a_year_out_of_bounds_has_one_message(staff_client, year):
    response = staff_client.post(reverse("admin:catalog_movie_add"), movie_form(year=year))

    assert field_errors(response, "year") == ["The year must be between 1870 and 2100."]


@pytest.mark.parametrize("rating", ["-1", "0", "6"])
def test_a_feedback_rating_out_of_bounds_has_one_message(staff_client, user, rating):
    media = factories.MediaFactory()
    form = {"media": media.pk, "user": user.pk, "rating": rating}
    form |= {"timestamp_0": "2024-05-01", "timestamp_1": "20:00:00"}

    response = staff_client.post(reverse("admin:feedback_userfeedback_add"), form)

    assert field_errors(response, "rating") == ["The rating must be between 1 and 5."]


def test_tmdb_ids_start_at_one(staff_client):
    response = staff_client.post(reverse("admin:catalog_movie_add"), movie_form(tmdb_id="0"))

    assert field_errors(response, "tmdb_id") == ["A TMDB id is a positive number."]
    movie = factories.MovieFactory()
    assert_update_refused_by_database(movie, "tmdb_id", 0)
    assert_update_refused_by_database(movie, "tmdb_collection_id", 0)
