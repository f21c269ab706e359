"""A person coming from Trakt brings their history, ratings and watchlist, in a real
browser with JavaScript off: from the account page to the import, three files in one
field, then to their history and watchlist; the same files again change nothing."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_up
from tests.factories import MovieFactory
from tests.feedback.test_trakt_read import episode_watched, json_file, listed, movie, rated, watched

pytestmark = pytest.mark.django_db(transaction=True)

ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)
PADDINGTON = movie("Paddington 2", 2017, imdb="tt4468740", tmdb=346648)
AMELIE = movie("Amélie", 2001, imdb="tt0211915", tmdb=194)


def test_a_person_imports_trakt_history_ratings_and_watchlist_and_finds_them(page, tmp_path):
    MovieFactory(title="Alien", year=1979, tmdb_id=348)
    MovieFactory(title="Paddington 2", year=2017, tmdb_id=None, imdb_id="tt4468740")
    MovieFactory(title="Amélie", year=2001, tmdb_id=None, imdb_id=None)
    files = {
        "history.json": json_file(
            watched(ALIEN, "2024-03-02T21:00:00.000Z", 1),
            watched(ALIEN, "2024-05-02T21:00:00.000Z", 2),
            episode_watched(),
        ),
        "ratings.json": json_file(rated(ALIEN, 7, "2024-03-03T10:00:00.000Z")),
        "watchlist.json": json_file(
            listed(PADDINGTON, rank=1),
            listed(AMELIE, rank=2),
            # Listed before it was watched: watched since, so not on the watchlist.
            listed(ALIEN, "2024-01-01T00:00:00.000Z", rank=3),
        ),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    sign_up(page, "traktfan")  # a new account, as someone arriving from Trakt has

    page.get_by_role("link", name="Account", exact=True).click()
    page.get_by_role("link", name="Import your Trakt history").click()
    expect(page).to_have_url(re.compile(r"/accounts/import/trakt/$"))
    page.get_by_label("Your Trakt files (.json or .zip)").set_input_files(paths)
    page.get_by_role("button", name="Import").click()

    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("2 viewings added")
    expect(summary).to_contain_text("1 rating set (1 odd rating rounded up to the next whole star)")
    expect(summary).to_contain_text("2 watchlist entries added")
    expect(summary).to_contain_text("1 item was a show or episode, not a film")

    page.get_by_role("link", name="your watchlist").click()
    expect(page.get_by_role("link", name="Paddington 2", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Amélie", exact=True)).to_be_visible()
    expect(page.get_by_text("Alien")).to_have_count(0)

    page.goto("/accounts/import/trakt/")
    page.get_by_label("Your Trakt files (.json or .zip)").set_input_files(paths)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name=re.compile("Nothing changed"))).to_be_visible()

    page.goto("/accounts/import/trakt/")
    (tmp_path / "notes.json").write_text("not json at all")
    page.get_by_label("Your Trakt files (.json or .zip)").set_input_files(tmp_path / "notes.json")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("notes.json is not JSON")).to_be_visible()
