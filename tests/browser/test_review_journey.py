"""A member reviews a film in a real browser, with JavaScript off: writes it, edits it to
say it gives the plot away, sees it folded on the film's page, then deletes it."""

import pytest
from playwright.sync_api import expect

from catalog.models import Review
from tests.browser.test_journeys import catalog, sign_up  # noqa: F401 (catalog: a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_writes_edits_and_deletes_a_review(page, catalog):  # noqa: F811
    sign_up(page, "reviewer")
    page.goto(catalog["alien"].get_absolute_url())
    members = page.locator("#members-reviews")
    expect(members).to_contain_text("No member has reviewed this film yet.")

    members.get_by_label("Your review").fill("   ")
    members.get_by_role("button", name="Post my review").click()
    expect(page.locator(".error")).to_contain_text("Write something in your review.")
    assert not Review.objects.exists()

    page.get_by_label("Your review").fill("Tense from the first minute.")
    page.get_by_role("button", name="Post my review").click()
    expect(page.locator(".messages")).to_contain_text("Your review of “Alien” is posted.")
    expect(members.locator(".member-review")).to_contain_text("Tense from the first minute.")

    members.get_by_label("Your review").fill("Ripley is the one who survives.")
    members.get_by_label("Contains spoilers").check()
    members.get_by_role("button", name="Save my review").click()
    review = members.locator(".member-review")
    expect(review).to_contain_text("edited")
    # Folded: the text is there, hidden until the reader opens the disclosure.
    expect(review.get_by_text("Ripley is the one who survives.")).to_be_hidden()
    review.locator("summary", has_text="Contains spoilers").click()
    expect(review.get_by_text("Ripley is the one who survives.")).to_be_visible()

    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.locator("h1")).to_have_text("My reviews")
    expect(page.locator(".member-review")).to_contain_text("Alien")

    page.goto(catalog["alien"].get_absolute_url())
    page.get_by_role("link", name="Delete my review").click()
    expect(page.locator("h1")).to_have_text("Delete your review of “Alien”?")
    page.get_by_role("button", name="Delete my review").click()
    expect(page.locator(".messages")).to_contain_text("Your review of “Alien” is deleted.")
    expect(page.locator("#members-reviews")).to_contain_text("No member has reviewed")
    assert not Review.objects.exists()
