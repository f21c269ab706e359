"""A film's admin page links to its reviews instead of listing them: a film with a few
hundred tweets made the page a megabyte, and its form more fields than Django accepts."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests import factories
from tests.test_admin import inline_management_forms

pytestmark = pytest.mark.django_db

REVIEWS = 150  # 7 fields each in the old inline: over Django's 1,000 fields per form


@pytest.fixture
def reviewed_film():
    movie = factories.MovieFactory(title="Alien")
    factories.ReviewFactory.create_batch(REVIEWS, movie=movie)
    return movie


def test_the_film_page_counts_its_reviews_and_links_to_them(staff_client, reviewed_film):
    other = factories.ReviewFactory(author="Someone on another film")

    page = staff_client.get(reverse("admin:catalog_movie_change", args=[reviewed_film.pk]))

    html = page.content.decode()
    assert f"{REVIEWS} reviews</a>" in html
    listed = staff_client.get(
        reverse("admin:catalog_review_changelist"), {"movie__id__exact": reviewed_film.pk}
    )
    assert listed.status_code == HTTPStatus.OK
    shown = {review.pk for review in listed.context["cl"].result_list}
    assert len(shown) == min(REVIEWS, listed.context["cl"].list_per_page)
    assert other.pk not in shown
    assert listed.context["cl"].result_count == REVIEWS


def test_a_film_with_many_reviews_can_be_saved(staff_client, reviewed_film):
    response = staff_client.post(
        reverse("admin:catalog_movie_change", args=[reviewed_film.pk]),
        {"title": "Alien (1979)", "popularity": "1", **inline_management_forms()},
    )

    assert response.status_code == HTTPStatus.FOUND
    reviewed_film.refresh_from_db()
    assert reviewed_film.title == "Alien (1979)"
    assert reviewed_film.reviews.count() == REVIEWS


def test_the_add_link_starts_a_review_of_the_film(staff_client, reviewed_film):
    page = staff_client.get(reverse("admin:catalog_review_add"), {"movie": reviewed_film.pk})

    assert page.context["adminform"].form.initial["movie"] == str(reviewed_film.pk)
