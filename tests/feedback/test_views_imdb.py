"""/accounts/import/imdb/: a person brings their IMDb ratings and watchlist to their own
account, sees what was imported, and a bad upload changes nothing."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Movie
from feedback.imdb_views import MAX_UPLOAD_SIZE
from feedback.models import UserFeedback, UserTimeZone, WatchlistEntry
from tests.factories import MediaFactory, MovieFactory, UserFeedbackFactory
from tests.feedback.imdb_csvs import listed, rated, ratings_csv, watchlist_csv

pytestmark = pytest.mark.django_db

URL = reverse("imdb_import")
# The session and its person.
PAGE_QUERIES = 2
# The page's, then the import's (tests/feedback/test_imdb_import.py counts them), here
# with every film found by its id (no look-up by title), none rated before (no update)
# and one film put on the watchlist (the films of it turned down read, then an insert).
IMPORT_QUERIES = PAGE_QUERIES + 23


def csv_file(data: bytes, name: str):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def uploads(ratings=None, watchlist=None):
    files = {}
    if ratings is not None:
        files["ratings"] = csv_file(ratings, "ratings.csv")
    if watchlist is not None:
        files["watchlist"] = csv_file(watchlist, "WATCHLIST.csv")
    return files


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('login')}?next={URL}"


def test_the_account_page_links_to_it_beside_letterboxd(user_client):
    html = user_client.get(reverse("account_settings")).content.decode()

    assert f'href="{reverse("letterboxd_import")}"' in html
    assert f'href="{URL}"' in html


def test_the_page_explains_the_exports_and_carries_the_csrf_token(
    user_client, django_assert_num_queries
):
    with django_assert_num_queries(PAGE_QUERIES):
        response = user_client.get(URL)

    html = response.content.decode()
    assert "Your Ratings" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "no viewings" in html


def test_a_post_without_the_csrf_token_is_refused(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    MovieFactory(title="Alien", year=1979, imdb_id="tt0078748")

    response = browser.post(URL, uploads(ratings_csv(rated("tt0078748", "Alien", 1979, 8))))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not UserFeedback.objects.exists()


@pytest.mark.parametrize("size", [3, 200])
def test_importing_both_shows_the_summary_in_a_fixed_number_of_queries(
    user_client, user, other_user, django_assert_num_queries, size
):
    movies = Movie.objects.bulk_create(
        [Movie(title=f"Film {n}", year=1990, imdb_id=f"tt{n + 1:07d}") for n in range(size + 1)]
    )
    theirs = UserFeedbackFactory(user=other_user, media=MediaFactory(movie=movies[0]), rating=1)
    rated_films, listed_film = movies[:size], movies[size]
    files = uploads(
        ratings_csv(*(rated(m.imdb_id, m.title, m.year, 7) for m in rated_films)),
        watchlist_csv(listed(listed_film.imdb_id, listed_film.title, listed_film.year)),
    )

    with django_assert_num_queries(IMPORT_QUERIES):
        response = user_client.post(URL, files)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f"{size} ratings set ({size} odd ratings rounded up to the next whole star)" in html
    assert "1 watchlist entry added" in html
    assert UserFeedback.objects.filter(user=user, rating=4).count() == size
    assert WatchlistEntry.objects.get(user=user).movie == listed_film
    theirs.refresh_from_db()
    assert theirs.rating == 1
    assert not WatchlistEntry.objects.filter(user=other_user).exists()


def test_one_file_is_enough_and_the_films_not_found_are_listed(user_client, user):
    MovieFactory(title="Alien", year=1979, imdb_id="tt0078748")
    data = ratings_csv(
        rated("tt0078748", "Alien", 1979, 8),
        rated("tt0079944", "Stalker", 1979, 10),
        rated("tt0078748", "Alien", 1979, 11),
    )

    html = user_client.post(URL, uploads(ratings=data)).content.decode()

    assert "ratings.csv:3: “Stalker” (1979): not found" in html
    assert "ratings.csv:4: Your Rating &#x27;11&#x27; is not a whole number from 1 to 10" in html
    assert UserFeedback.objects.get(user=user).rating == 4


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "Upload your ratings export, your watchlist export or both."),
        ({"ratings": "not a file"}, "Upload your ratings export, your watchlist export or both."),
        (
            {"ratings": csv_file(b"Date,Name\n2024-01-01,Alien\n", "notes.csv")},
            "notes.csv is not an IMDb ratings or watchlist export",
        ),
        (
            {"watchlist": csv_file(b"", "WATCHLIST.csv")},
            "WATCHLIST.csv is empty: it is not an IMDb ratings or watchlist export.",
        ),
        (
            {"ratings": csv_file(b"\xff\xfe\x00\x01", "ratings.csv")},
            "ratings.csv is not UTF-8 text",
        ),
        (
            {
                "ratings": csv_file(ratings_csv(), "a.csv"),
                "watchlist": csv_file(ratings_csv(), "b.csv"),
            },
            "Both files are IMDb ratings exports",
        ),
    ],
    ids=["no-file", "a-text-field", "letterboxd-csv", "empty", "binary", "two-ratings"],
)
def test_a_bad_upload_is_a_form_error_and_writes_nothing(user_client, files, message):
    MovieFactory(title="Alien", year=1979, imdb_id="tt0078748")
    good = ratings_csv(rated("tt0078748", "Alien", 1979, 8))
    # A bad ratings file beside a good watchlist: the good one is not imported either.
    if "watchlist" not in files and isinstance(files.get("ratings"), SimpleUploadedFile):
        files = {**files, "watchlist": csv_file(good, "ratings.csv")}

    response = user_client.post(URL, files)

    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not UserFeedback.objects.exists()


def test_a_file_past_the_limit_is_refused_before_it_is_read(user_client):
    data = b"Const," + b"x" * MAX_UPLOAD_SIZE

    response = user_client.post(URL, {"watchlist": csv_file(data, "big.csv")})

    assert f"at most {MAX_UPLOAD_SIZE // 1024**2} MB" in response.content.decode()


def test_a_malformed_query_string_is_no_error(user_client):
    response = user_client.get(f"{URL}?ratings=%ff&x[]=1")

    assert response.status_code == HTTPStatus.OK


def test_the_same_files_again_say_nothing_changed(user_client, user):
    MovieFactory(title="Alien", year=1979, imdb_id="tt0078748")
    data = ratings_csv(rated("tt0078748", "Alien", 1979, 8))
    user_client.post(URL, uploads(data))

    html = user_client.post(URL, uploads(data)).content.decode()

    assert "Nothing changed: everything in the files was there already" in html
    assert "1 already there" in html
    assert UserFeedback.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "data",
    [ratings_csv(rated("tt0079944", "Stalker", 1979, 10)), ratings_csv()],
    ids=["films-marquee-lacks", "header-only"],
)
def test_files_that_hold_nothing_to_import_say_so_not_that_it_was_there(user_client, data):
    html = user_client.post(URL, uploads(data)).content.decode()

    assert "Nothing was imported" in html
    assert "was there already" not in html
    assert not UserFeedback.objects.exists()


def test_a_malformed_upload_is_no_server_error(user_client):
    response = user_client.post(
        URL, data=b"--x\r\nnot a part", content_type="multipart/form-data; boundary=x"
    )

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert not UserFeedback.objects.exists()


def test_a_rating_of_the_same_day_kept_says_so_in_any_zone(user_client, user):
    """The Letterboxd import's rule and words, shared: IMDb's Date Rated is a day too."""
    MovieFactory(title="Arrival", year=2016, imdb_id="tt2543164")
    user_client.post(URL, uploads(ratings_csv(rated("tt2543164", "Arrival", 2016, 8))))
    UserTimeZone.objects.create(user=user, time_zone="America/Los_Angeles")

    data = ratings_csv(rated("tt2543164", "Arrival", 2016, 4))
    html = user_client.post(URL, uploads(data)).content.decode()

    assert "Nothing changed: Marquee kept what it had" in html
    assert "1 rating kept: yours in Marquee is from the same day or later" in html
    assert UserFeedback.objects.get(user=user).rating == 4
