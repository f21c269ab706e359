"""The frame the three history import pages share (templates/accounts/_history_import_page.html):
each names its service in the title and heading, and after an import links to the history
and the watchlist it filled."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.feedback.imdb_csvs import ratings_csv
from tests.feedback.letterboxd_zips import letterboxd_zip
from tests.feedback.test_trakt_read import json_file

pytestmark = pytest.mark.django_db

# Each page's route, its service's name, and an upload that imports nothing.
PAGES = [
    pytest.param(
        "letterboxd_import",
        "Letterboxd",
        lambda: {"file": SimpleUploadedFile("letterboxd.zip", letterboxd_zip(watched=[]))},
        id="letterboxd",
    ),
    pytest.param(
        "imdb_import",
        "IMDb",
        lambda: {"ratings": SimpleUploadedFile("ratings.csv", ratings_csv())},
        id="imdb",
    ),
    pytest.param(
        "trakt_import",
        "Trakt",
        lambda: {"files": SimpleUploadedFile("history.json", json_file())},
        id="trakt",
    ),
]


@pytest.mark.parametrize(("route", "service", "empty_upload"), PAGES)
def test_the_page_names_its_service_and_offers_the_upload(
    user_client, route, service, empty_upload
):
    html = user_client.get(reverse(route)).content.decode()

    assert f"<title>Import from {service} · Marquee</title>" in html
    assert f"<h1>Import from {service}</h1>" in html
    assert 'enctype="multipart/form-data"' in html
    assert f'href="{reverse("account_settings")}"' in html
    # The summary's links come with a summary only.
    assert f'href="{reverse("feedback:history")}"' not in html.split("<main")[-1]


@pytest.mark.parametrize(("route", "service", "empty_upload"), PAGES)
def test_after_an_import_the_page_links_to_the_history_and_the_watchlist(
    user_client, route, service, empty_upload
):
    html = user_client.post(reverse(route), empty_upload()).content.decode()

    assert "Nothing was imported" in html
    assert f'href="{reverse("feedback:history")}">See your history</a>' in html
    assert f'href="{reverse("feedback:watchlist")}">your watchlist</a>' in html
