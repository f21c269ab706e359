"""A genre's slug is part of its address (/genres/<slug>/), linked from the home page,
the lists, search and every film's page. The database holds only slugs that can be
linked, and every one it holds links to its genre's page: a slug that could not be
linked made those pages answer 500 for every visitor."""

from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from catalog.models import Genre
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db

# Slugs the form refuses (only letters, digits, "_" and "-") that the database takes:
# a genre written around validation (an import, the shell, raw SQL) may have one.
UNTIDY_SLUGS = [
    "bad slug",
    "a.b",
    "...",
    ".hidden",
    "100%",
    "a?b#c",
    "a\\b",
    "a;b=c",
    "~, @ + & $ ' ( ) * :",
    " ",
    "アクション ドラマ",
    "a\u2028b",  # a line separator is no control character
]
# Slugs no address can hold: empty, a "/" (it would end the part), a control character
# (browsers drop some from an address, PostgreSQL no NUL in a query), "." or ".."
# (browsers resolve them as in a file path: /genres/../ is /).
UNLINKABLE_SLUGS = ["", "/", "a/b", "drama/", ".", "..", "a\nb", "\t", "a\x1bb", "a\x7f", "a\x85b"]
NUL_SLUGS = ["\x00", "a\x00b", "drama\x00"]


def pages_linking_genres(movie) -> list[str]:
    return [
        reverse("catalog:home"),
        reverse("catalog:movie_list"),
        reverse("catalog:search") + "?q=western",
        movie.get_absolute_url(),
    ]


@pytest.mark.parametrize("slug", UNLINKABLE_SLUGS)
def test_the_database_refuses_a_slug_no_address_can_hold(slug):
    assert_refused_by_database("catalog_genre", name="Unlinkable", slug=slug)


@pytest.mark.parametrize("slug", NUL_SLUGS)
def test_the_database_refuses_a_slug_with_a_nul(slug):
    # SQLite by a CHECK (its LIKE cannot look for a NUL), PostgreSQL by its text type.
    assert_refused_by_database("catalog_genre", name="Unlinkable", slug=slug)


@pytest.mark.parametrize("slug", [*UNLINKABLE_SLUGS, *NUL_SLUGS])
def test_an_address_with_a_slug_no_genre_can_have_is_not_found(client, slug):
    GenreFactory(name="Drama", slug="drama")

    response = client.get(f"/genres/{quote(slug)}/")

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("slug", [*UNLINKABLE_SLUGS, *NUL_SLUGS])
def test_no_link_is_made_to_a_slug_no_address_can_hold(slug):
    with pytest.raises(NoReverseMatch):
        reverse("catalog:genre_detail", kwargs={"slug": slug})


@pytest.mark.parametrize("slug", UNTIDY_SLUGS)
def test_every_slug_the_database_takes_links_to_its_genre(client, slug):
    raw_insert("catalog_genre", name="Untidy", slug=slug)
    genre = Genre.objects.get(slug=slug)
    GenreFactory(name="Drama", slug="drama")  # no neighbour is taken for it

    response = client.get(genre.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert response.context["genre"] == genre


@pytest.mark.parametrize("slug", UNTIDY_SLUGS)
def test_pages_that_link_a_genre_with_an_untidy_slug_answer(client, slug):
    raw_insert("catalog_genre", name="Western untidy", slug=slug)
    genre = Genre.objects.get(slug=slug)
    movie = MovieFactory(title="Western", genres=[genre])

    for url in pages_linking_genres(movie):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert f'href="{escape(genre.get_absolute_url())}"' in response.content.decode(), url


def test_an_untidy_slug_is_written_safely_in_its_link():
    assert Genre(slug="a?b#c").get_absolute_url() == "/genres/a%3Fb%23c/"
    assert Genre(slug="bad slug").get_absolute_url() == "/genres/bad%20slug/"
    assert Genre(slug="100%").get_absolute_url() == "/genres/100%25/"
    assert Genre(slug="...").get_absolute_url() == "/genres/.../"


def test_an_untidy_slug_in_another_case_redirects_to_the_genre_s_own(client):
    genre = GenreFactory(name="Bad slug genre", slug="bad slug")

    response = client.get("/genres/Bad%20SLUG/", {"page": "2"})

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/genres/bad%20slug/?page=2"
    assert client.get(response["Location"]).context["genre"] == genre
