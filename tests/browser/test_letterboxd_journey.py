"""A person coming from Letterboxd brings their history, in a real browser with
JavaScript off: from the account page to the import, then to their history."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import PASSWORD
from tests.factories import MovieFactory
from tests.feedback.letterboxd_zips import diary, letterboxd_zip, rating

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_imports_a_letterboxd_diary_and_finds_it_in_the_history(
    page, django_user_model, tmp_path, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    django_user_model.objects.create_user("boxdfan", password=PASSWORD)
    MovieFactory(title="Amélie", year=2001)
    export = tmp_path / "letterboxd-boxdfan-2024-06-01-utc.zip"
    export.write_bytes(
        letterboxd_zip(
            diary=[diary("2024-03-01", "Amélie", 2001, "4.5")],
            ratings=[rating("2024-03-02", "Nowhere, a Film", 1999, "2")],
        )
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("boxdfan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", name="Bring your history")).to_be_visible()
    page.get_by_role("link", name="Import your Letterboxd history").click()
    expect(page).to_have_url(re.compile(r"/accounts/import/letterboxd/$"))
    page.get_by_label("Your Letterboxd export (.zip)").set_input_files(export)
    page.get_by_role("button", name="Import").click()

    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("1 viewing added")
    expect(summary).to_contain_text("1 rating set (1 half-star rating rounded up)")
    expect(summary).to_contain_text("ratings.csv:2: “Nowhere, a Film” (1999): not found")

    page.get_by_role("link", name="See your history").click()
    day = page.locator(".history-day")
    expect(day.get_by_role("heading")).to_have_text("Friday 1 March 2024")
    expect(day).to_contain_text("20:00")
    expect(day).to_contain_text("Amélie")
