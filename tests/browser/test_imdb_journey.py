"""A person coming from IMDb brings their ratings and watchlist, in a real browser with
JavaScript off: from the account page to the import, then to their watchlist."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import PASSWORD
from tests.factories import MovieFactory
from tests.feedback.imdb_csvs import listed, rated, ratings_csv, watchlist_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_imports_imdb_ratings_and_watchlist_and_finds_them(
    page, django_user_model, tmp_path
):
    django_user_model.objects.create_user("imdbfan", password=PASSWORD)
    MovieFactory(title="Alien", year=1979, imdb_id="tt0078748")
    MovieFactory(title="Paddington 2", year=2017, imdb_id="tt4468740")
    ratings = tmp_path / "ratings.csv"
    ratings.write_bytes(
        ratings_csv(
            rated("tt0078748", "Alien", 1979, 7, day="2024-03-02"),
            rated("tt0903747", "Breaking Bad", 2008, 10, kind="TV Series"),
        )
    )
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_bytes(
        watchlist_csv(
            listed("tt4468740", "Paddington 2", 2017),
            # Listed before it was rated: watched since, so not on the watchlist.
            listed("tt0078748", "Alien", 1979, day="2024-01-01", position=2),
        )
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("imdbfan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Account", exact=True).click()
    page.get_by_role("link", name="Import your IMDb ratings and watchlist").click()
    expect(page).to_have_url(re.compile(r"/accounts/import/imdb/$"))
    page.get_by_label("Your IMDb ratings (.csv)").set_input_files(ratings)
    page.get_by_label("Your IMDb watchlist (.csv)").set_input_files(watchlist)
    page.get_by_role("button", name="Import").click()

    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("1 rating set (1 odd rating rounded up to the next whole star)")
    expect(summary).to_contain_text("1 film marked watched")
    expect(summary).to_contain_text("1 TV series, episodes and other titles that are not films")

    page.get_by_role("link", name="your watchlist").click()
    expect(page.get_by_role("link", name="Paddington 2", exact=True)).to_be_visible()
    expect(page.get_by_text("Alien")).to_have_count(0)
