"""Two rows of a film's Ratings inline may not break one of Rating's unique constraints.

Each constraint holds for one kind of rater (it is conditional), which Django's formset
does not compare across rows, and each row checked alone finds nothing in the database:
two new aggregates of one source were saved into an IntegrityError, a 500.
"""

from http import HTTPStatus

import pytest
from django.db.models import Q, UniqueConstraint
from django.urls import reverse

from catalog.admin_inlines import ONE_RATING_PER_KIND
from catalog.models import Rating
from tests.factories import MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINE = "ratings"


def aggregate(source="imdb"):
    return {"source": source, "rater_kind": "aggregate", "value": "7", "vote_count": "10"} | {
        "scale_min": "1",
        "scale_max": "10",
    }


def external(rater="7", source="movielens"):
    return {"source": source, "rater_kind": "external", "external_rater_id": rater} | {
        "value": "3.5",
        "scale_min": "0.5",
        "scale_max": "5",
    }


def by_user(user):
    return {"source": "marquee", "rater_kind": "user", "user": user.pk, "value": "4"} | {
        "scale_min": "1",
        "scale_max": "5",
    }


def movie_form(movie, rows: list[dict]) -> dict:
    """The movie's change form as posted, with these new rows in its Ratings inline."""
    data = {"title": movie.title, "popularity": str(movie.popularity)}
    for prefix in ("relationships_from",):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {f"{INLINE}-TOTAL_FORMS": str(len(rows)), f"{INLINE}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        row = {"movie": movie.pk} | row
        data |= {f"{INLINE}-{index}-{name}": value for name, value in row.items()}
    return data


def row_errors(response) -> list[list[str]]:
    assert response.status_code == HTTPStatus.OK, "saved"
    [inline] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == INLINE]
    return [list(form.non_field_errors()) for form in inline.formset.forms]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            lambda user: [aggregate(), aggregate()],
            "This source already rates this film as an aggregate.",
        ),
        (
            lambda user: [by_user(user), by_user(user)],
            "This user has already rated this movie.",
        ),
        (
            lambda user: [external(), external()],
            "This rater has already rated this movie in this source.",
        ),
    ],
    ids=["aggregates", "user", "external rater"],
)
def test_the_later_of_two_rows_with_one_key_is_refused_with_the_constraints_message(
    staff_client, rows, message
):
    movie = MovieFactory()
    url = reverse("admin:catalog_movie_change", args=[movie.pk])

    response = staff_client.post(url, movie_form(movie, rows(UserFactory())))

    assert row_errors(response) == [[], [message]]
    assert not Rating.objects.exists()


def test_rows_that_differ_in_any_part_of_the_key_are_saved(staff_client):
    movie, user, other = MovieFactory(), UserFactory(), UserFactory()
    url = reverse("admin:catalog_movie_change", args=[movie.pk])
    rows = [
        aggregate("imdb"),
        aggregate("tmdb"),
        by_user(user),
        by_user(other),
        external("7"),
        external("8"),
        external("7", source="other"),
    ]

    response = staff_client.post(url, movie_form(movie, rows))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert Rating.objects.filter(movie=movie).count() == len(rows)


def test_every_conditional_unique_constraint_of_a_rating_is_checked_for_its_kind():
    conditional = {
        constraint.name
        for constraint in Rating._meta.constraints
        if isinstance(constraint, UniqueConstraint) and constraint.condition
    }

    assert {constraint.name for constraint in ONE_RATING_PER_KIND.values()} == conditional
    for kind, constraint in ONE_RATING_PER_KIND.items():
        assert constraint.condition == Q(rater_kind=kind)
