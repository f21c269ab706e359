"""A person opens Your stats from the menu and reads their figures, then a year's."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_up
from tests.factories import GenreFactory, MediaFactory, MovieFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_opens_stats_from_the_menu_and_sees_the_figures(page, django_user_model):
    sign_up(page, "counter")
    person = django_user_model.objects.get(username="counter")
    horror = GenreFactory(name="Horror", slug="horror")
    alien = MediaFactory(movie=MovieFactory(title="Alien", runtime_minutes=117, genres=[horror]))
    for started in (
        dt.datetime(2024, 5, 1, 20, tzinfo=dt.UTC),
        dt.datetime(2025, 5, 1, 20, tzinfo=dt.UTC),
    ):
        ViewingHistoryFactory(user=person, media=alien, started_at=started, minutes_watched=None)

    page.get_by_role("link", name="Stats", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your stats, all time")
    expect(page.locator("#stat-viewings")).to_have_text("2")
    expect(page.locator("#stat-rewatched")).to_have_text("1")
    expect(page.locator("#stat-hours")).to_have_text("3.9")
    expect(page.get_by_role("link", name="Horror")).to_be_visible()
    expect(page.locator(".stats-bars")).to_contain_text("2024: 1")

    page.get_by_role("navigation", name="Period").get_by_role("link", name="2025").click()
    expect(page).to_have_url(re.compile(r"\?year=2025$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your stats for 2025")
    expect(page.locator("#stat-viewings")).to_have_text("1")
    expect(page.locator(".stats-bars")).to_contain_text("May: 1")
