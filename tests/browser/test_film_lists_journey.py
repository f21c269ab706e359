"""A person makes a list, adds two films to it from their pages, moves the second up, and
sees the new order."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_up
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_makes_a_list_adds_two_films_and_reorders_them(page, live_server):
    sign_up(page, "lister")
    totoro = MovieFactory(title="My Neighbour Totoro", year=1988)
    paddington = MovieFactory(title="Paddington 2", year=2017)

    page.get_by_role("link", name="Lists", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your lists")
    page.get_by_label("Name").fill("Films to show the kids")
    page.get_by_role("button", name="Make the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Films to show the kids")

    for movie in (totoro, paddington):
        page.goto(f"{live_server.url}{movie.get_absolute_url()}")
        page.get_by_label("Add to a list").select_option(label="Films to show the kids")
        page.get_by_role("button", name="Add to the list chosen").click()
        expect(page.get_by_text(f"“{movie.title}” is on your list")).to_be_visible()
        expect(page.get_by_role("link", name="Films to show the kids")).to_be_visible()

    page.get_by_role("link", name="Films to show the kids").click()
    films = page.locator(".film-list-entry h2")
    expect(films).to_have_text(["My Neighbour Totoro (1988)", "Paddington 2 (2017)"])

    second = page.locator(".film-list-entry").filter(has_text="Paddington 2")
    second.get_by_role("button", name="Up").click()

    expect(films).to_have_text(["Paddington 2 (2017)", "My Neighbour Totoro (1988)"])
