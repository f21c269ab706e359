"""/accounts/import/letterboxd/: a person brings their Letterboxd history to their own
account, sees what was imported, and a bad upload changes nothing."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Review
from feedback.letterboxd_views import MAX_UPLOAD_SIZE, PROBLEMS_SHOWN, problem_place
from feedback.models import UserFeedback, ViewingHistory
from tests.factories import MovieFactory
from tests.feedback.letterboxd_zips import diary, letterboxd_zip, rating, review, watched

pytestmark = pytest.mark.django_db

URL = reverse("letterboxd_import")
# The session and its person.
PAGE_QUERIES = 2
# The page's, then the import's (tests/feedback/test_letterboxd_import.py counts them).
IMPORT_QUERIES = PAGE_QUERIES + 22


def upload(data: bytes, name="letterboxd-me-2024-06-01.zip"):
    return {"file": SimpleUploadedFile(name, data, content_type="application/zip")}


def diary_of(size: int) -> bytes:
    films = [MovieFactory(title=f"Film {n}", year=1990 + n % 20) for n in range(size)]
    return letterboxd_zip(
        watched=[watched("2024-01-01", film.title, film.year) for film in films],
        diary=[diary("2024-01-01", film.title, film.year, "3.5") for film in films],
    )


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('login')}?next={URL}"


def test_the_account_page_links_to_it(user_client):
    html = user_client.get(reverse("account_settings")).content.decode()

    assert "Bring your history" in html
    assert f'href="{URL}"' in html


def test_the_page_explains_the_export_and_carries_the_csrf_token(
    user_client, django_assert_num_queries
):
    with django_assert_num_queries(PAGE_QUERIES):
        response = user_client.get(URL)

    html = response.content.decode()
    assert "Export your data" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "half stars" in html


def test_a_post_without_the_csrf_token_is_refused(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    MovieFactory(title="Alien", year=1979)

    response = browser.post(URL, upload(letterboxd_zip(diary=[diary("2024-01-01", "Alien", 1979)])))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ViewingHistory.objects.exists()


@pytest.mark.parametrize("size", [3, 30])
def test_importing_shows_the_summary_in_a_fixed_number_of_queries(
    user_client, user, other_user, django_assert_num_queries, size
):
    data = diary_of(size)

    with django_assert_num_queries(IMPORT_QUERIES):
        response = user_client.post(URL, upload(data))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f"{size} viewings added" in html
    assert f"{size} ratings set ({size} half-star ratings rounded up)" in html
    assert ViewingHistory.objects.filter(user=user).count() == size
    assert not ViewingHistory.objects.filter(user=other_user).exists()


def test_staff_import_into_their_own_account(staff_client, staff_user):
    MovieFactory(title="Alien", year=1979)

    staff_client.post(
        URL, upload(letterboxd_zip(ratings=[rating("2024-01-01", "Alien", 1979, "5")]))
    )

    assert UserFeedback.objects.get().user == staff_user


def test_the_films_not_found_are_listed_up_to_a_cap(user_client):
    names = [rating("2024-01-01", f"Lost {n}", 2000, "3") for n in range(PROBLEMS_SHOWN + 5)]

    html = user_client.post(URL, upload(letterboxd_zip(ratings=names))).content.decode()

    assert "ratings.csv:2: “Lost 0” (2000): not found" in html
    assert f"“Lost {PROBLEMS_SHOWN - 1}”" in html
    assert f"“Lost {PROBLEMS_SHOWN}”" not in html
    assert "and 5 more" in html


def test_what_was_not_imported_is_listed_by_file_and_line(user_client):
    """A film not found and a line refused, of two files, are listed in the files'
    order, not one kind after the other, so that they read beside the files."""
    MovieFactory(title="Alien", year=1979)
    data = letterboxd_zip(
        diary=[diary("2024-01-01", "Lost", 2000), diary("2024-13-01", "Alien", 1979)],
        ratings=[rating("2024-01-01", "Alien", 1979, "9"), rating("2024-01-01", "Gone", 2001, "3")],
    )

    html = user_client.post(URL, upload(data)).content.decode()

    listed = html.split('<ul class="import-problems">')[1].split("</ul>")[0]
    assert [line.split(":")[:2] for line in listed.split("<li>")[1:]] == [
        ["diary.csv", "2"],
        ["diary.csv", "3"],
        ["ratings.csv", "2"],
        ["ratings.csv", "3"],
    ]


def test_problems_are_placed_by_file_then_line_number_not_its_text():
    problems = [
        "watched.csv:10: “B” (2000): not found",
        "history.json, item 2: no title",
        "watched.csv:9: Date '' is not a date (YYYY-MM-DD)",
        "history.json, item 10: no title",
    ]

    assert sorted(problems, key=problem_place) == [
        "history.json, item 2: no title",
        "history.json, item 10: no title",
        "watched.csv:9: Date '' is not a date (YYYY-MM-DD)",
        "watched.csv:10: “B” (2000): not found",
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (upload(b"just text", name="notes.txt"), "This file is not a ZIP"),
        (upload(letterboxd_zip()), "This ZIP holds none of"),
        ({}, "This field is required."),
        ({"file": "not a file"}, "This field is required."),
    ],
    ids=["not-a-zip", "empty-zip", "no-file", "a-text-field"],
)
def test_a_bad_upload_is_a_form_error_and_writes_nothing(user_client, files, message):
    response = user_client.post(URL, files)

    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not UserFeedback.objects.exists()


def test_a_file_past_the_limit_is_refused_before_it_is_read(user_client, settings):
    data = b"PK" + b"\0" * MAX_UPLOAD_SIZE

    response = user_client.post(URL, upload(data))

    assert f"at most {MAX_UPLOAD_SIZE // 1024**2} MB" in response.content.decode()


def test_a_malformed_query_string_is_no_error(user_client):
    response = user_client.get(f"{URL}?file=%ff&x[]=1")

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "data",
    [
        letterboxd_zip(ratings=[rating("2024-01-02", "Stalker", 1979, "5")]),
        letterboxd_zip(diary=[]),
    ],
    ids=["films-marquee-lacks", "header-only"],
)
def test_a_file_that_holds_nothing_to_import_says_so_not_that_it_was_there(user_client, data):
    html = user_client.post(URL, upload(data)).content.decode()

    assert "Nothing was imported" in html
    assert "was there already" not in html
    assert not UserFeedback.objects.exists()


def test_the_same_file_again_says_nothing_changed(user_client, user):
    data = diary_of(2)
    user_client.post(URL, upload(data))

    html = user_client.post(URL, upload(data)).content.decode()

    assert "Nothing changed: everything in the file was there already" in html
    assert ViewingHistory.objects.filter(user=user).count() == 2


def test_a_rating_of_the_same_day_kept_is_not_said_to_be_there_already(user_client, user):
    """The report's: Marquee cannot tell which of two ratings of a day is newer, keeps its
    own, and says so, not that the file's was there."""
    MovieFactory(title="Arrival", year=2016)
    user_client.post(
        URL, upload(letterboxd_zip(ratings=[rating("2024-01-31", "Arrival", 2016, "4")]))
    )

    data = letterboxd_zip(ratings=[rating("2024-01-31", "Arrival", 2016, "2")])
    html = user_client.post(URL, upload(data)).content.decode()

    assert "Nothing changed: Marquee kept what it had" in html
    assert "was there already" not in html
    assert "1 rating kept: yours in Marquee is from the same day or later" in html
    assert UserFeedback.objects.get(user=user).rating == 4


def test_two_diary_entries_of_a_film_on_a_day_are_two_viewings(user_client, user):
    """The report's: each entry is a viewing, a rewatch the same evening too; the same
    file again adds none."""
    MovieFactory(title="Heat", year=1995)
    data = letterboxd_zip(
        diary=[
            diary("2024-02-02", "Heat", 1995, "4", uri="https://boxd.it/h1"),
            diary("2024-02-02", "Heat", 1995, "5", rewatch="Yes", uri="https://boxd.it/h2"),
        ]
    )

    first = user_client.post(URL, upload(data)).content.decode()
    second = user_client.post(URL, upload(data)).content.decode()

    assert "2 viewings added" in first
    assert "already there" not in first
    assert "Nothing changed: everything in the file was there already" in second
    assert ViewingHistory.objects.filter(user=user).count() == 2


def test_a_film_s_older_reviews_are_counted_skipped(user_client, user):
    """The report's: Marquee keeps one review of a film, the latest; the older lines are
    counted, so that the counts add up to the file's lines."""
    MovieFactory(title="Oldboy", year=2003)
    data = letterboxd_zip(
        reviews=[
            review("2024-03-05", "Oldboy", 2003, "Better the second time."),
            review("2024-03-01", "Oldboy", 2003, "Hammer."),
        ]
    )

    first = user_client.post(URL, upload(data)).content.decode()
    second = user_client.post(URL, upload(data)).content.decode()

    assert "1 review added" in first
    assert (
        "1 older review of a film skipped: Marquee keeps your latest review of each film" in first
    )
    assert "Nothing changed: Marquee kept what it had" in second
    assert "1 older review of a film skipped" in second
    assert Review.objects.get(user=user).text == "Better the second time."


FOLDER = "letterboxd-ana-2024-11-24-10-00-utc/"


def test_an_export_unzipped_and_zipped_again_in_its_folder_is_read(user_client, user):
    """The report's: a browser or the system unzipped the download, and the person zipped
    its folder again, as macOS does, with its __MACOSX/ copies."""
    MovieFactory(title="Heat", year=1995)
    data = letterboxd_zip(
        folder=FOLDER,
        diary=[diary("2024-02-02", "Heat", 1995, "4")],
        extra={FOLDER: "", f"__MACOSX/{FOLDER}._diary.csv": "\0\5\26\7"},
    )

    html = user_client.post(URL, upload(data)).content.decode()

    assert "1 viewing added" in html
    assert ViewingHistory.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "extra",
    [
        {"notes.txt": "mine"},  # a file beside the folder: not an export packed again
        {"other/diary.csv": "Date\n"},  # two folders
    ],
    ids=["a-file-beside", "two-folders"],
)
def test_files_in_a_folder_among_others_are_not_an_export(user_client, extra):
    MovieFactory(title="Heat", year=1995)
    data = letterboxd_zip(folder=FOLDER, diary=[diary("2024-02-02", "Heat", 1995)], extra=extra)

    html = user_client.post(URL, upload(data)).content.decode()

    assert "This ZIP holds none of" in html
    assert not ViewingHistory.objects.exists()
