"""/accounts/import/trakt/: a person brings their Trakt history, ratings and watchlist to
their own account, as files or their export's ZIP, sees what was imported and what was
skipped, and a bad upload changes nothing."""

import json
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Movie
from feedback.letterboxd_views import MAX_UPLOAD_SIZE
from feedback.models import UserFeedback, ViewingHistory, WatchlistEntry
from tests.factories import MediaFactory, MovieFactory, UserFeedbackFactory
from tests.feedback.test_trakt_read import (
    STATS,
    WATCHED_SHOW,
    json_file,
    listed,
    movie,
    rated,
    trakt_zip,
    watched,
)

pytestmark = pytest.mark.django_db

URL = reverse("trakt_import")
# The session and its person.
PAGE_QUERIES = 2
# The page's, then the import's (tests/feedback/test_trakt_import.py counts them), here
# every film found by its TMDB id, none rated before, one film put on the watchlist.
IMPORT_QUERIES = PAGE_QUERIES + 24
ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)


def json_upload(data: bytes, name: str):
    return SimpleUploadedFile(name, data, content_type="application/json")


def zip_upload(data: bytes, name: str = "trakt.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_the_page_is_trakt_s_route():
    assert URL == "/accounts/import/trakt/"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('login')}?next={URL}"


def test_the_account_page_links_to_it_beside_imdb_and_letterboxd(user_client):
    html = user_client.get(reverse("account_settings")).content.decode()

    assert f'href="{reverse("letterboxd_import")}"' in html
    assert f'href="{reverse("imdb_import")}"' in html
    assert f'href="{URL}"' in html


def test_the_page_explains_the_files_and_carries_the_csrf_token(
    user_client, django_assert_num_queries
):
    with django_assert_num_queries(PAGE_QUERIES):
        response = user_client.get(URL)

    html = response.content.decode()
    assert "history" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="files"' in html
    assert "multiple" in html
    assert 'accept=".json,.zip,application/json,application/zip"' in html
    assert "or its ZIP alone; at most 10 MB each" in html


def test_a_post_without_the_csrf_token_is_refused(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    MovieFactory(title="Alien", year=1979, tmdb_id=348)

    response = browser.post(URL, {"files": json_upload(json_file(rated(ALIEN, 8)), "r.json")})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not UserFeedback.objects.exists()


@pytest.mark.parametrize("zipped", [False, True], ids=["files", "zip"])
@pytest.mark.parametrize("size", [5, 40])
def test_importing_every_kind_shows_the_summary_in_a_fixed_number_of_queries(
    user_client, user, other_user, django_assert_num_queries, size, zipped
):
    movies = Movie.objects.bulk_create(
        [Movie(title=f"Film {n}", year=1990, tmdb_id=n + 1) for n in range(size + 1)]
    )
    theirs = UserFeedbackFactory(user=other_user, media=MediaFactory(movie=movies[0]), rating=1)
    films = [movie(m.title, m.year, tmdb=m.tmdb_id) for m in movies]
    files = [
        json_upload(
            json_file(*(watched(film, number=n) for n, film in enumerate(films))), "h.json"
        ),
        json_upload(json_file(*(rated(film, 7) for film in films[:size])), "r.json"),
        json_upload(json_file(listed(films[size], "2024-06-01T00:00:00Z")), "watchlist.json"),
    ]
    if zipped:  # the export as it comes: the files in its folder, with the others
        packed = {f"trakt/{each.name}": each.read() for each in files}
        files = [zip_upload(trakt_zip({**packed, "trakt/stats.json": json.dumps(STATS).encode()}))]

    with django_assert_num_queries(IMPORT_QUERIES):
        response = user_client.post(URL, {"files": files})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f"{size + 1} viewings added" in html
    assert f"{size} ratings set ({size} odd ratings rounded up to the next whole star)" in html
    assert "1 watchlist entry added" in html
    assert UserFeedback.objects.filter(user=user, rating=4).count() == size
    assert ViewingHistory.objects.filter(user=user).count() == size + 1
    assert WatchlistEntry.objects.get(user=user).movie == movies[size]
    assert ("1 file skipped, not history, ratings or watchlist: stats.json" in html) is zipped
    theirs.refresh_from_db()
    assert theirs.rating == 1
    assert not ViewingHistory.objects.filter(user=other_user).exists()


def test_the_films_not_found_and_the_items_rejected_are_shown(user_client, user):
    MovieFactory(title="Alien", year=1979, tmdb_id=348)
    data = json_file(
        rated(ALIEN, 8),
        rated(movie("Сталкер", 1979, imdb="tt0079944"), 10),
        rated(ALIEN, 11),
    )

    html = user_client.post(URL, {"files": json_upload(data, "ratings.json")}).content.decode()

    assert "ratings.json, item 2: “Сталкер” (1979): not found" in html
    assert "ratings.json, item 3: rating &#x27;11&#x27; is not a whole number from 1 to 10" in html
    assert "1 item rejected" in html
    assert UserFeedback.objects.get(user=user).rating == 4


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "Upload your Trakt history, ratings or watchlist: one JSON file or more."),
        ({"files": "not a file"}, "Upload your Trakt history, ratings or watchlist"),
        (
            {"files": json_upload(b"Date,Name\n2024-01-01,Alien\n", "notes.json")},
            "notes.json is not JSON: it is not a Trakt history, ratings or watchlist export.",
        ),
        (
            {"files": zip_upload(trakt_zip({"r.json": json_file(rated(ALIEN, 8))}))},
            "trakt.zip is a ZIP, which is imported alone: upload it, or JSON files, not both.",
        ),
    ],
    ids=["no-file", "a-text-field", "csv", "zip-beside-a-file"],
)
def test_a_bad_upload_is_a_form_error_and_writes_nothing(user_client, files, message):
    MovieFactory(title="Alien", year=1979, tmdb_id=348)
    good = json_upload(json_file(rated(ALIEN, 8)), "ratings.json")
    # A bad file beside a good one: the good one is not imported either.
    if isinstance(files.get("files"), SimpleUploadedFile):
        files = {"files": [good, files["files"]]}

    response = user_client.post(URL, files)

    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not UserFeedback.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (json_upload(b'{"a": 1}', "o.json"), "o.json is not a JSON array of items"),
        (
            json_upload(b'[{"plays": 1}]', "watched.json"),
            "watched.json is not a Trakt history, ratings or watchlist export",
        ),
        (
            zip_upload(trakt_zip({"stats.json": json.dumps(STATS).encode()})),
            "This ZIP holds no Trakt history, ratings or watchlist",
        ),
    ],
    ids=["object", "other-kind", "zip-of-other-kinds"],
)
def test_a_lone_file_of_no_kind_is_a_form_error_saying_why(user_client, upload, message):
    response = user_client.post(URL, {"files": upload})

    assert message in response.content.decode()
    assert not UserFeedback.objects.exists()


def test_the_whole_export_is_taken_and_the_files_skipped_are_named(user_client, user):
    MovieFactory(title="Alien", year=1979, tmdb_id=348)
    files = [
        json_upload(json.dumps(STATS).encode(), "stats.json"),
        json_upload(json_file(rated(ALIEN, 8)), "ratings.json"),
        json_upload(json_file(WATCHED_SHOW), "watched-shows.json"),
    ]

    html = user_client.post(URL, {"files": files}).content.decode()

    assert "1 rating set" in html
    assert (
        "<li>2 files skipped, not history, ratings or watchlist: stats.json, "
        "watched-shows.json</li>" in html
    )
    assert UserFeedback.objects.get(user=user).rating == 4


def test_a_file_past_the_limit_is_refused_before_it_is_read(user_client):
    data = b"[" + b" " * MAX_UPLOAD_SIZE + b"]"

    response = user_client.post(URL, {"files": json_upload(data, "big.json")})

    assert f"at most {MAX_UPLOAD_SIZE // 1024**2} MB" in response.content.decode()


def test_the_same_files_again_say_nothing_changed(user_client, user):
    MovieFactory(title="Alien", year=1979, tmdb_id=348)
    data = [json_file(rated(ALIEN, 8)), json_file(watched(ALIEN))]

    def upload():
        files = [json_upload(each, f"{n}.json") for n, each in enumerate(data)]
        return user_client.post(URL, {"files": files}).content.decode()

    upload()
    html = upload()

    assert "Nothing changed: everything in the files was there already" in html
    assert "2 already there" in html
    assert UserFeedback.objects.filter(user=user).count() == 1
    assert ViewingHistory.objects.filter(user=user).count() == 1


def test_a_film_in_the_history_alone_shows_as_watched_in_the_library_and_on_its_page(
    user_client, user
):
    # As a Letterboxd export's watched films do: without a rating, the watch says it.
    alien = MovieFactory(title="Alien", year=1979, tmdb_id=348)
    history = json_file(watched(ALIEN, "2024-01-02T20:15:00.000Z"))

    html = user_client.post(URL, {"files": json_upload(history, "h.json")}).content.decode()

    assert "1 film marked watched" in html
    library = user_client.get(reverse("feedback:library"))
    (item,) = library.context["page_obj"].object_list
    assert item.watched_completion is True
    assert '<td data-label="Watched to completion">Yes</td>' in library.content.decode()
    page = user_client.get(alien.get_absolute_url()).content.decode()
    assert "watched to the end" in page
    assert "No feedback from you on this yet." not in page


def test_an_empty_array_holds_nothing_to_import_and_says_so(user_client):
    html = user_client.post(URL, {"files": json_upload(b"[]", "w.json")}).content.decode()

    assert "Nothing was imported" in html
    assert "was there already" not in html
