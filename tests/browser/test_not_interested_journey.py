"""In a real browser, with JavaScript off: "Not interested" on a pick of Tonight brings
back a slate without that film, and its Undo lets it be suggested again."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import NotInterested
from tests.factories import UserFactory
from tests.recommendations.builders import crime_fan_of

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-browser-test-password-42"


def test_not_interested_on_tonight_takes_the_film_off_the_slate(page):
    fan = UserFactory(username="crimefan", password=PASSWORD)
    crime_fan_of(fan)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("crimefan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/recommendations/")
    slate = page.locator(".slate")
    expect(slate.get_by_role("heading", name=re.compile("^Ronin"))).to_be_visible()

    slate.get_by_role("button", name="Not interested in Ronin").click()

    expect(page.locator(".messages")).to_contain_text("“Ronin” won’t be suggested again.")
    expect(slate.get_by_role("heading", name=re.compile("^Ronin"))).to_have_count(0)
    expect(slate.locator(".pick")).not_to_have_count(0)

    page.get_by_role("button", name="Undo turning down Ronin").click()

    expect(page.locator(".messages")).to_contain_text("“Ronin” may be suggested again.")
    assert not NotInterested.objects.exists()
