"""The home page, and how scores are written on every page."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.templatetags.catalog_tags import out_of_ten, thousands, vote_count
from tests.factories import GenreFactory, MovieFactory, RatingFactory

pytestmark = pytest.mark.django_db


def test_home_shows_popular_and_top_rated_films_and_links_to_browse(client):
    GenreFactory(name="Western", slug="western")
    for number in range(10):
        MovieFactory(title=f"Popular {number}", popularity=100 + number)
    obscure = MovieFactory(title="Obscure masterpiece", popularity=0)
    for _ in range(3):
        RatingFactory(movie=obscure, value=5)
    once = MovieFactory(title="Rated once", popularity=0)
    RatingFactory(movie=once, value=5)

    response = client.get(reverse("catalog:home"))

    assert response.status_code == HTTPStatus.OK
    assert [m.title for m in response.context["popular"]] == [
        f"Popular {number}" for number in range(9, 1, -1)
    ]
    # One rating is not enough to be "top rated".
    assert [m.title for m in response.context["top_rated"]] == ["Obscure masterpiece"]
    html = response.content.decode()
    assert f'href="{reverse("catalog:movie_list")}">Browse all films</a>' in html
    assert 'href="/genres/western/">Western</a>' in html


def test_top_rated_weighs_a_few_perfect_votes_against_many_good_ones(client):
    few = MovieFactory(title="Three perfect votes")
    RatingFactory.create_batch(3, movie=few, value=5)  # 1.0 each
    many = MovieFactory(title="A thousand votes at 9/10")
    RatingFactory(movie=many, aggregate=True, value=9, scale_min=0, scale_max=10, vote_count=1000)
    average = MovieFactory(title="A thousand votes at 5/10")
    RatingFactory(
        movie=average, aggregate=True, value=5, scale_min=0, scale_max=10, vote_count=1000
    )

    response = client.get(reverse("catalog:home"))
    shelf = response.context["top_rated"]

    # The catalog's mean is 0.70: (3 + 7.0) / 13 = 0.77 for the few votes, against
    # (900 + 7.0) / 1010 = 0.90 for the many; each card still shows its own average.
    assert [movie.title for movie in shelf] == [many.title, few.title, average.title]
    assert [round(movie.rating_average, 2) for movie in shelf] == [0.9, 1.0, 0.5]
    assert "weighted by how many people rated each film" in response.content.decode()


def test_home_on_an_empty_catalog_explains_itself(client):
    html = client.get(reverse("catalog:home")).content.decode()

    assert "The catalog is empty" in html
    assert "No film has enough ratings yet." in html


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (0.78, "7.8 / 10"),
        (1, "10.0 / 10"),
        (0, "0.0 / 10"),
        (0.775, "7.8 / 10"),
        (0.705, "7.1 / 10"),  # half up, though the float is a little under 0.705
        (0.695, "7.0 / 10"),
        (0.725, "7.3 / 10"),
        (0.755, "7.6 / 10"),
        ("0.705", "7.1 / 10"),
        (None, "No ratings yet"),
    ],
)
def test_out_of_ten(score, shown):
    assert out_of_ten(score) == shown


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0 ratings"), (1, "1 rating"), (1200, "1,200 ratings")]
)
def test_vote_count(count, shown):
    assert vote_count(count) == shown


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (999, "999"), (14210, "14,210"), (1234567, "1,234,567"), (None, "0"), ("x", "")],
)
def test_thousands(count, shown):
    assert thousands(count) == shown
