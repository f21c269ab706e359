"""A film's year is that of its release date (a CHECK since catalog migration 0017):
the admin says so on the form, never failing on the constraint. The imports keep to it
too (tests/imports/test_tmdb.py)."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import Movie
from tests.factories import MovieFactory
from tests.test_integer_bounds import field_errors, movie_form

pytestmark = pytest.mark.django_db

RELEASE_YEAR_MESSAGE = "The year must be the year of the release date."


def test_the_admin_refuses_a_year_that_is_not_the_release_dates(staff_client):
    url = reverse("admin:catalog_movie_add")

    response = staff_client.post(url, movie_form(release_date="1979-05-25", year="1950"))

    assert field_errors(response, "year") == [RELEASE_YEAR_MESSAGE]
    assert not Movie.objects.exists()


def test_the_admin_fills_the_year_in_from_the_release_date(staff_client):
    url = reverse("admin:catalog_movie_add")

    response = staff_client.post(url, movie_form(release_date="1979-05-25", year=""))

    assert response.status_code == HTTPStatus.FOUND
    assert Movie.objects.get().year == 1979


def test_the_admin_refuses_a_new_release_date_of_another_year(staff_client):
    movie = MovieFactory(title="Alien", release_date=dt.date(1979, 5, 25), genres=[])
    url = reverse("admin:catalog_movie_change", args=[movie.pk])
    form = movie_form(title="Alien", release_date="1986-07-18", year="1979")

    response = staff_client.post(url, form)

    assert field_errors(response, "year") == [RELEASE_YEAR_MESSAGE]
    movie.refresh_from_db()
    assert (movie.release_date, movie.year) == (dt.date(1979, 5, 25), 1979)
