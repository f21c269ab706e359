"""Malformed query strings and ids on the catalog pages: an answer, never a 500.

The test client re-raises any exception a view lets through, so a crash fails the test
before its status is even compared. Invalid filters answer 200 with the errors shown;
a page number that is no page shows the nearest page (tests/config/test_pagination.py).
"""

from http import HTTPStatus

import pytest

from tests.factories import GenreFactory, MovieFactory, ReviewFactory

pytestmark = pytest.mark.django_db

OK, NOT_FOUND = HTTPStatus.OK, HTTPStatus.NOT_FOUND
LONG = "x" * 10_000
HUGE = "9" * 20  # beyond a 64-bit integer

# (path, query string parameters, status, the form field that must show an error)
CASES = [
    ("/movies/", {"page": "abc"}, OK, None),
    ("/movies/", {"page": "-1"}, OK, None),
    ("/movies/", {"page": "0"}, OK, None),
    ("/movies/", {"page": "99999"}, OK, None),
    ("/movies/", {"page": HUGE}, OK, None),
    ("/movies/", {"page": "1.5"}, OK, None),
    ("/movies/", {"page": "last"}, OK, None),
    ("/movies/", {"year_min": "abc"}, OK, "year_min"),
    ("/movies/", {"year_min": "1e400"}, OK, "year_min"),
    ("/movies/", {"year_min": HUGE}, OK, "year_min"),
    ("/movies/", {"year_max": "-2000"}, OK, "year_max"),
    ("/movies/", {"year_min": "2000", "year_max": "1990"}, OK, "year_max"),
    ("/movies/", {"runtime_min": "-1"}, OK, "runtime_min"),
    ("/movies/", {"runtime_max": "0x10"}, OK, "runtime_max"),
    ("/movies/", {"rating_min": "NaN"}, OK, "rating_min"),
    ("/movies/", {"rating_min": "Infinity"}, OK, "rating_min"),
    ("/movies/", {"rating_min": "11"}, OK, "rating_min"),
    ("/movies/", {"rating_min": "7.25"}, OK, "rating_min"),
    ("/movies/", {"genres": "999999"}, OK, "genres"),
    ("/movies/", {"genres": "abc"}, OK, "genres"),
    ("/movies/", {"genres": HUGE}, OK, "genres"),
    ("/movies/", {"genres": "-1"}, OK, "genres"),
    ("/movies/", {"genres": "\x00"}, OK, "genres"),
    ("/movies/", {"ordering": "evil"}, OK, "ordering"),
    ("/movies/", {"ordering": "title,evil"}, OK, "ordering"),
    ("/movies/", {"ordering": "id; DROP TABLE catalog_movie"}, OK, "ordering"),
    ("/movies/", {"ordering": "-rating,title"}, OK, "ordering"),
    ("/movies/", {"ordering": ",".join(["title"] * 5000)}, OK, "ordering"),
    ("/movies/", {"title": "\x00"}, OK, "title"),
    ("/movies/", {"title": LONG}, OK, "title"),
    ("/movies/", {"title": "100%_\\"}, OK, None),
    ("/movies/", {"has_reviews": "maybe"}, OK, None),
    ("/movies/", {"unknown": "1", "year_min[]": "2000"}, OK, None),
    ("/search/", {"q": LONG}, OK, "q"),
    ("/search/", {"q": "\x00"}, OK, "q"),
    ("/search/", {"q": "heat\x00"}, OK, "q"),
    ("/search/", {"q": "<script>alert(1)</script>"}, OK, None),
    ("/search/", {"q": "!:*&|()'\"\\"}, OK, None),
    ("/search/", {"q": "-"}, OK, None),
    ("/search/", {"q": "the a of"}, OK, None),
    ("/search/", {"q": "100%_"}, OK, None),
    ("/search/", {"q": "heat", "page": "abc"}, OK, None),
    ("/search/", {"q": "heat", "page": "-1"}, OK, None),
    ("/search/", {"q": "heat", "page": "99999"}, OK, None),
    ("/search/", {"q": "heat", "year_min": "abc"}, OK, "year_min"),
    ("/search/", {"q": "heat", "genres": "abc"}, OK, "genres"),
    ("/search/", {"q": "heat", "ordering": "evil"}, OK, "ordering"),
    ("/search/", {"page": "abc"}, OK, None),
    ("/genres/drama/", {"page": "abc"}, OK, None),
    ("/genres/drama/", {"page": "99999"}, OK, None),
    ("/genres/drama/", {"genres": "abc"}, OK, "genres"),
    ("/genres/drama/", {"rating_min": "abc"}, OK, "rating_min"),
    ("/genres/nope/", {}, NOT_FOUND, None),
    ("/genres/%00/", {}, NOT_FOUND, None),
    ("/genres/dr%C3%A1ma/", {}, NOT_FOUND, None),
    ("/movies/0/", {}, NOT_FOUND, None),
    ("/movies/99999999/", {}, NOT_FOUND, None),
    (f"/movies/{HUGE}/", {}, NOT_FOUND, None),
    ("/movies/-1/", {}, NOT_FOUND, None),
    ("/movies/abc/", {}, NOT_FOUND, None),
    ("/movies/1.5/", {}, NOT_FOUND, None),
    ("/movies/%00/", {}, NOT_FOUND, None),
    ("/movies/{pk}/", {"page": "abc"}, OK, None),
    ("/movies/{pk}/", {"page": "-1"}, OK, None),
    ("/movies/{pk}/", {"page": HUGE}, OK, None),
    ("/movies/{pk}/", {"page": "\x00"}, OK, None),
    ("/", {"page": "abc", "q": "\x00"}, OK, None),
    # a list id that is no number matches no page, logged in or out
    ("/lists/abc/", {}, NOT_FOUND, None),
    ("/lists/1.5/", {}, NOT_FOUND, None),
    ("/lists/-1/", {}, NOT_FOUND, None),
    ("/lists/%00/", {}, NOT_FOUND, None),
]


@pytest.fixture
def catalog():
    drama = GenreFactory(name="Drama", slug="drama")
    movie = MovieFactory(title="Heat", genres=[drama])
    ReviewFactory.create_batch(3, movie=movie)
    return movie


def form_errors(response, field):
    context = response.context
    if field == "q":
        return context["search_form"].errors.get(field)
    return context["filter"].form.errors.get(field)


@pytest.mark.parametrize(
    ("path", "params", "status", "error_field"),
    CASES,
    ids=[f"{path} {sorted(params)}-{index}" for index, (path, params, _, _) in enumerate(CASES)],
)
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_bad_input_is_answered_not_crashed(
    client, user, catalog, path, params, status, error_field, logged_in
):
    if logged_in:
        client.force_login(user)

    response = client.get(path.format(pk=catalog.pk), params)

    assert response.status_code == status
    if error_field:
        assert form_errors(response, error_field), f"no error shown for {error_field}"
        assert f'id="id_{error_field}_error"' in response.content.decode()


def test_markup_in_a_query_is_escaped(client, catalog):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
