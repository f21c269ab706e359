"""The account page in a real browser, with JavaScript off: a person who signed up
without an email address adds one, confirmed by the link mailed to it, then deletes the
account, asked first; a person picks a time zone and finds their history in it."""

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from catalog.models import Movie
from feedback.models import Media, UserFeedback
from feedback.services import feedback_record
from tests.browser.test_journeys import PASSWORD, sign_up
from tests.factories import MediaFactory, MovieFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_adds_an_email_then_deletes_the_account(page, django_user_model):
    sign_up(page, "leaver")
    media = MediaFactory(movie=MovieFactory(title="Alien"))
    feedback_record(user=django_user_model.objects.get(username="leaver"), media=media, rating=5)

    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("None: if you forget your password")

    # A wrong password changes nothing and keeps what was typed.
    page.get_by_role("link", name="Add an email address").click()
    page.get_by_label("Email address").fill("leaver@example.com")
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Save email address").click()
    expect(page.get_by_text("Your password was entered incorrectly.")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("leaver@example.com")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Save email address").click()
    expect(page).to_have_url(re.compile(r"/accounts/settings/$"))
    expect(page.locator(".messages")).to_contain_text("We sent a link to leaver@example.com")
    assert django_user_model.objects.get(username="leaver").email == ""

    # The address is the account's once the link mailed to it is followed and confirmed.
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    page.get_by_role("button", name="Use this address").click()
    expect(page.locator(".messages")).to_contain_text(
        "Your email address is now leaver@example.com."
    )
    assert django_user_model.objects.get(username="leaver").email == "leaver@example.com"

    # Deleting asks first, says what goes, and Cancel keeps everything.
    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account?")
    expect(page.locator(".own-rows")).to_contain_text("1 item")
    expect(page.get_by_role("link", name="JSON")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".messages")).to_contain_text("The account leaver is deleted")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not django_user_model.objects.filter(username="leaver").exists()
    assert not UserFeedback.objects.exists()
    assert Media.objects.filter(pk=media.pk).exists()
    assert Movie.objects.filter(title="Alien").exists()


def test_a_person_picks_a_time_zone_and_the_history_shows_times_in_it(page, django_user_model):
    sign_up(page, "traveller")
    ViewingHistoryFactory(
        user=django_user_model.objects.get(username="traveller"),
        media=MediaFactory(movie=MovieFactory(title="Alien")),
        started_at=dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),
    )

    page.get_by_role("link", name="Account", exact=True).click()
    page.get_by_role("combobox", name="Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator(".messages")).to_contain_text(
        "Your pages now show times in America/New_York."
    )
    expect(page.get_by_role("combobox", name="Time zone")).to_have_value("America/New_York")

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.locator("main")).to_contain_text("Saturday 28 March 2026")
    expect(page.locator("main time").last).to_have_text("21:30")
