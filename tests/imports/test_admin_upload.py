"""Staff upload an import file from the Movie admin; the page shows what happened."""

import io
import zipfile
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Movie, MovieTag, Rating
from tests.factories import MovieTagFactory
from tests.imports.conftest import DATA

pytestmark = pytest.mark.django_db

URL = reverse("admin:catalog_movie_import")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def movielens_zip(folder: str = "ml-sample/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((DATA / "movielens").iterdir()):
            archive.write(path, f"{folder}{path.name}")
        archive.writestr("../../escape.csv", "not extracted anywhere")
    return buffer.getvalue()


def test_the_movie_changelist_links_to_the_import_page(staff_client):
    response = staff_client.get(reverse("admin:catalog_movie_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert URL in response.text


def test_staff_import_a_movielens_zip_and_see_the_summary_and_rejections(staff_client):
    response = staff_client.post(
        URL, {"kind": "movielens", "file": upload("ml.zip", movielens_zip())}
    )

    assert response.status_code == HTTPStatus.OK
    assert "movies: 11 created, 0 updated, 1 skipped, 2 rejected" in response.text
    assert "unknown movieId 999999" in response.text
    assert "<td>ratings.csv</td><td>5</td>" in response.text
    assert Movie.objects.count() == 11
    assert Rating.objects.count() == 11
    assert MovieTag.objects.count() == 3


def test_a_file_missing_from_an_upload_is_named_without_the_server_s_folder(staff_client):
    # The summary said "links.csv: not in /tmp/marquee-import-rsxdbre1/movielens".
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("movies.csv", "tags.csv"):
            archive.write(DATA / "movielens" / name, f"ml/{name}")

    response = staff_client.post(
        URL, {"kind": "movielens", "file": upload("ml-small.zip", buffer.getvalue())}
    )

    assert response.status_code == HTTPStatus.OK
    assert "links.csv: not in ml-small.zip, nothing read" in response.text
    assert "ratings.csv: not in ml-small.zip, nothing read" in response.text
    assert "marquee-import" not in response.text


def test_staff_import_a_tmdb_file(staff_client):
    content = (DATA / "tmdb_single.json").read_bytes()

    response = staff_client.post(URL, {"kind": "tmdb", "file": upload("fight.json", content)})

    assert response.status_code == HTTPStatus.OK
    assert "movies: 1 created" in response.text
    assert Movie.objects.get().title == "Fight Club"


def test_strict_upload_stops_and_says_where(staff_client):
    content = (DATA / "tmdb_movies.jsonl").read_bytes()

    response = staff_client.post(
        URL, {"kind": "tmdb", "file": upload("movies.jsonl", content), "strict": "on"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "Stopped at the first rejected row: movies.jsonl:7:" in response.text
    assert not Movie.objects.exists()  # lines 1-6 were in the bad line's batch
    assert "Nothing changed" not in response.text


@pytest.mark.parametrize(
    ("kind", "name", "content", "error"),
    [
        ("movielens", "ml.zip", b"not a zip at all", "is not a .zip"),
        ("movielens", "ml.zip", b"PK\x03\x04broken", "not a .zip"),
        ("tmdb", "tweets.jsonl", (DATA / "tweets.jsonl").read_bytes(), "does not look like TMDB"),
        ("tweets", "empty.jsonl", b"", "The submitted file is empty."),
    ],
)
def test_a_wrong_file_is_an_error_next_to_the_field_not_a_500(
    staff_client, kind, name, content, error
):
    response = staff_client.post(URL, {"kind": kind, "file": upload(name, content)})

    assert response.status_code == HTTPStatus.OK
    assert error in response.text
    assert not Movie.objects.exists()


def test_a_zip_without_movies_csv_is_refused(staff_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ml/ratings.csv", "userId,movieId,rating,timestamp\n")

    response = staff_client.post(
        URL, {"kind": "movielens", "file": upload("ml.zip", buffer.getvalue())}
    )

    assert "holds no movies.csv" in response.text


def test_people_who_are_not_staff_cannot_import(client, user):
    assert client.get(URL).status_code == HTTPStatus.FOUND
    client.force_login(user)
    response = client.post(URL, {"kind": "tmdb", "file": upload("a.json", b"{}")})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("admin:login"))
    assert not Movie.objects.exists()


def test_the_upload_needs_its_csrf_token(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    content = (DATA / "tmdb_single.json").read_bytes()

    response = client.post(URL, {"kind": "tmdb", "file": upload("fight.json", content)})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Movie.objects.exists()


def test_staff_can_list_search_add_and_change_movie_tags(staff_client):
    """The smoke test tests/test_admin.py gives every model, for MovieTag."""
    tag = MovieTagFactory(tag="épique")
    MovieTagFactory.create_batch(3)

    for url, query in [
        (reverse("admin:catalog_movietag_changelist"), {}),
        (reverse("admin:catalog_movietag_changelist"), {"q": "épi"}),
        (reverse("admin:catalog_movietag_add"), {}),
        (reverse("admin:catalog_movietag_change", args=[tag.pk]), {}),
    ]:
        response = staff_client.get(url, query)
        assert response.status_code == HTTPStatus.OK
    assert "épique" in staff_client.get(reverse("admin:catalog_movietag_changelist")).text
