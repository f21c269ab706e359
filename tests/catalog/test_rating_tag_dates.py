"""A rating's and a tag's date make sense, as a review's does: not before the first film,
nor later than tomorrow, with CHECKs for the far bounds. A date past them once broke the
admin's date hierarchy (a 500 on every visit outside UTC)."""

import datetime as dt
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from catalog.bounds import BEFORE_FIRST_FILM_MESSAGE, IN_THE_FUTURE_MESSAGE
from catalog.models import MovieTag, Rating
from tests.conftest import assert_refused_by_database
from tests.factories import MovieFactory, MovieTagFactory, RatingFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
IMPOSSIBLE = [
    (dt.datetime(2099, 1, 1, tzinfo=UTC), IN_THE_FUTURE_MESSAGE),
    (dt.datetime(1850, 1, 1, tzinfo=UTC), BEFORE_FIRST_FILM_MESSAGE),
]
# The far ends the database allows, written around validation: no time zone breaks them.
FAR_ENDS = [dt.datetime(1888, 1, 1, tzinfo=UTC), dt.datetime(2199, 12, 31, 23, 59, tzinfo=UTC)]
ZONES = ["Asia/Tokyo", "America/New_York", "UTC"]


@pytest.mark.parametrize(("moment", "message"), IMPOSSIBLE)
def test_an_impossible_rating_or_tag_date_is_refused(moment, message):
    rating = RatingFactory.build(movie=MovieFactory(), external=True, rated_at=moment)
    tag = MovieTagFactory.build(movie=MovieFactory(), tagged_at=moment)

    for instance, field in ((rating, "rated_at"), (tag, "tagged_at")):
        with pytest.raises(ValidationError) as excinfo:
            instance.full_clean()
        assert excinfo.value.message_dict[field] == [message]


def test_a_plausible_date_or_none_is_kept():
    movie = MovieFactory()
    for moment in (dt.datetime(1888, 1, 1, tzinfo=UTC), None):
        RatingFactory.build(movie=movie, external=True, rated_at=moment).full_clean()
        MovieTagFactory.build(movie=movie, tagged_at=moment).full_clean()


def test_the_database_refuses_what_no_one_can_mean():
    movie = MovieFactory()
    rating = {"movie_id": movie.pk, "source": "imdb", "rater_kind": "external"}
    rating |= {"external_rater_id": "r1", "value": 7, "scale_min": 1, "scale_max": 10}
    tag = {"movie_id": movie.pk, "source": "movielens", "external_rater_id": "1", "tag": "x"}
    for moment in (dt.datetime(2200, 1, 1, tzinfo=UTC), dt.datetime(1887, 12, 31, tzinfo=UTC)):
        assert_refused_by_database("catalog_rating", **rating, rated_at=moment)
        assert_refused_by_database("catalog_movietag", **tag, tagged_at=moment)


def rating_form(movie) -> dict:
    return {
        "movie": movie.pk,
        "source": "imdb",
        "rater_kind": "external",
        "external_rater_id": "r1",
        "value": "7",
        "scale_min": "1",
        "scale_max": "10",
    }


def tag_form(movie) -> dict:
    return {"movie": movie.pk, "source": "movielens", "external_rater_id": "1", "tag": "slow"}


ADMINS = [
    ("rating", "rated_at", rating_form),
    ("movietag", "tagged_at", tag_form),
]


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC"])
@pytest.mark.parametrize(("model", "field", "form"), ADMINS)
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("9999-12-31", "23:59:59"), IN_THE_FUTURE_MESSAGE),
        # Year 1 in Tokyo is in year 0 in UTC, which no datetime holds.
        (("0001-01-01", "00:00:00"), BEFORE_FIRST_FILM_MESSAGE),
    ],
)
def test_the_admin_refuses_the_date_and_its_list_still_opens(
    staff_client, zone, model, field, form, typed, message
):
    add = reverse(f"admin:catalog_{model}_add")
    date, time = typed

    with override_settings(TIME_ZONE=zone):
        response = staff_client.post(
            add, form(MovieFactory()) | {f"{field}_0": date, f"{field}_1": time}
        )
        listed = staff_client.get(reverse(f"admin:catalog_{model}_changelist"))

    assert response.status_code == HTTPStatus.OK, "saved"
    assert response.context["adminform"].form.errors[field] == [message]
    assert listed.status_code == HTTPStatus.OK


@pytest.mark.parametrize("zone", ZONES)
def test_the_lists_and_their_years_open_at_the_far_ends_in_any_zone(staff_client, zone):
    for moment in FAR_ENDS:
        rating = RatingFactory(external=True)
        Rating.objects.filter(pk=rating.pk).update(rated_at=moment)
        tag = MovieTagFactory()
        MovieTag.objects.filter(pk=tag.pk).update(tagged_at=moment)

    with override_settings(TIME_ZONE=zone):
        for model, field in (("rating", "rated_at"), ("movietag", "tagged_at")):
            changelist = reverse(f"admin:catalog_{model}_changelist")
            assert staff_client.get(changelist).status_code == HTTPStatus.OK
            for moment in FAR_ENDS:
                year = moment.astimezone(ZoneInfo(zone)).year  # the date hierarchy's link
                response = staff_client.get(changelist, {f"{field}__year": year})
                assert response.status_code == HTTPStatus.OK
                assert response.context["cl"].result_count == 1
