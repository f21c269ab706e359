"""The admin's import page asks for the permissions of what the chosen import writes.

Adding films is not enough to import ratings, reviews or relationships, nor to change
the films already in the catalog: each kind needs add and change on every model it can
create or update (the lists below are read from catalog/importers/, not from the code
under test).
"""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from catalog.models import Genre, Movie, MovieRelationship, MovieTag, Rating, Review
from tests.factories import MovieFactory, UserFactory
from tests.imports.conftest import DATA
from tests.imports.test_admin_upload import movielens_zip, upload

pytestmark = pytest.mark.django_db

URL = reverse("admin:catalog_movie_import")
CHANGELIST = reverse("admin:catalog_movie_changelist")
WRITTEN = [Genre, Movie, MovieRelationship, MovieTag, Rating, Review]

NEEDED = {
    "movielens": [
        "add_movie",
        "change_movie",
        "add_genre",
        "change_genre",
        "add_rating",
        "change_rating",
        "add_movietag",
        "change_movietag",
    ],
    "tmdb": [
        "add_movie",
        "change_movie",
        "add_genre",
        "change_genre",
        "add_rating",
        "change_rating",
        "add_movierelationship",
        "change_movierelationship",
    ],
    "tweets": ["add_review", "change_review"],
}
NAMES = {"movielens": "MovieLens", "tmdb": "TMDB", "tweets": "tweets"}


def files_of(kind: str):
    if kind == "movielens":
        return upload("ml.zip", movielens_zip())
    if kind == "tmdb":
        return upload("fight.json", (DATA / "tmdb_single.json").read_bytes())
    return upload("tweets.jsonl", (DATA / "tweets.jsonl").read_bytes())


def staff_with(*codenames: str) -> Client:
    """A client logged in as staff (not a superuser) holding exactly these permissions,
    and the right to see the films' changelist."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="catalog", codename__in=[*codenames, "view_movie"]
        )
    )
    client = Client()
    client.force_login(user)
    return client


def rows_written() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def test_adding_films_alone_runs_no_import_and_shows_no_link():
    client = staff_with("add_movie")

    assert URL not in client.get(CHANGELIST).text
    assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
    response = client.post(URL, {"kind": "tmdb", "file": files_of("tmdb")})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Movie.objects.exists()


@pytest.mark.parametrize("kind", sorted(NEEDED))
def test_the_permissions_of_a_kind_run_that_import(kind):
    MovieFactory(title="Alien", tmdb_id=348)  # a film for the tweets to name
    client = staff_with(*NEEDED[kind])
    before = rows_written()

    assert URL in client.get(CHANGELIST).text
    response = client.post(URL, {"kind": kind, "file": files_of(kind)})

    assert response.status_code == HTTPStatus.OK
    assert "The import ran" in response.text
    assert rows_written() != before


@pytest.mark.parametrize(
    ("kind", "missing"),
    [(kind, codename) for kind, codenames in sorted(NEEDED.items()) for codename in codenames],
)
def test_lacking_any_one_permission_of_a_kind_refuses_it_and_imports_nothing(kind, missing):
    """The user may run another kind, so the page opens: the refusal is by name."""
    MovieFactory(title="Alien", tmdb_id=348)
    other = "movielens" if kind == "tweets" else "tweets"
    client = staff_with(
        *NEEDED[other], *(codename for codename in NEEDED[kind] if codename != missing)
    )
    before = rows_written()

    response = client.post(URL, {"kind": kind, "file": files_of(kind)})

    assert response.status_code == HTTPStatus.OK
    assert f"You may not run a {NAMES[kind]} import" in response.text
    assert "The import ran" not in response.text
    assert rows_written() == before


def test_the_page_offers_only_the_kinds_one_may_run():
    client = staff_with(*NEEDED["tweets"])

    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert 'value="tweets"' in response.text
    assert 'value="tmdb"' not in response.text
    assert 'value="movielens"' not in response.text


def test_the_refusal_names_the_permissions_missing():
    client = staff_with(*NEEDED["tweets"], "add_movie", "change_movie")

    response = client.post(URL, {"kind": "tmdb", "file": files_of("tmdb")})

    assert response.status_code == HTTPStatus.OK
    assert "You may not run a TMDB import" in response.text
    assert "add genre" in response.text
    assert "add movie relationship" in response.text
    assert "add movie," not in response.text
    assert not Genre.objects.exists()


def test_superusers_may_run_every_kind(staff_client):
    MovieFactory(title="Alien", tmdb_id=348)

    for kind in NEEDED:
        response = staff_client.post(URL, {"kind": kind, "file": files_of(kind)})
        assert "The import ran" in response.text, kind
