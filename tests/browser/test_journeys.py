"""What a person does in a real browser, with JavaScript off: sign up, find a film by
search and by genre, open it, rate it, watch it, and find it in the library and history;
put a film on the watchlist, and see it leave the list for the history once watched;
say they watched a film last week and stopped half way, and see it stay on the list."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import UserFeedback, ViewingHistory, WatchlistEntry
from tests.factories import (
    GenreFactory,
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-browser-test-password-42"


@pytest.fixture
def catalog():
    science_fiction = GenreFactory(name="Science Fiction", slug="science-fiction")
    drama = GenreFactory(name="Drama", slug="drama")
    alien = MovieFactory(
        title="Alien",
        release_date=None,
        year=1979,
        overview="A crew brings back a stowaway that hunts them through the ship.",
        genres=[science_fiction],
    )
    MovieFactory(
        title="Tokyo Story", overview="Elderly parents visit their busy children.", genres=[drama]
    )
    return {"alien": alien, "science_fiction": science_fiction}


def sign_up(page, username):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".current-user")).to_contain_text(username)


def test_a_weak_password_is_explained_under_the_field_it_was_typed_in(page, django_user_model):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password", exact=True).fill("password123")
    page.get_by_label("Password confirmation").fill("password123")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_label("Password", exact=True)).to_have_accessible_description(
        re.compile("This password is too common.")
    )
    expect(page.get_by_label("Password confirmation")).not_to_have_accessible_description(
        re.compile("too common")
    )
    assert not django_user_model.objects.filter(username="newcomer").exists()


def test_a_new_user_finds_rates_and_watches_a_film(page, catalog):
    sign_up(page, "newcomer")

    # Search from the navigation bar.
    page.get_by_role("searchbox", name="Search films").fill("alien")
    page.get_by_role("searchbox", name="Search films").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=alien"))
    expect(page.get_by_role("link", name=re.compile("^Alien"))).to_be_visible()
    expect(page.get_by_text("Tokyo Story")).to_have_count(0)

    # Filter the film list by genre.
    page.goto("/movies/")
    page.get_by_label("Science Fiction").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"genres="))
    expect(page.get_by_text("Tokyo Story")).to_have_count(0)
    page.get_by_role("link", name=re.compile("^Alien")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alien")

    # Rate it.
    page.get_by_role("link", name="Rate / give feedback").click()
    page.get_by_label("Watched to completion").select_option("yes")
    page.get_by_label("Would watch again").select_option("yes")
    page.get_by_label("Rating").select_option("5")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator(".messages")).to_be_visible()

    # Say it was watched, from the film's page.
    page.goto(catalog["alien"].get_absolute_url())
    page.get_by_role("button", name="I watched this").click()
    expect(page.locator(".messages")).to_be_visible()

    # The library and the history both have it.
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_role("link", name="Alien").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("5")
    page.get_by_role("link", name="History").first.click()
    expect(page.get_by_role("link", name="Alien").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("finished")

    feedback = UserFeedback.objects.get(user__username="newcomer")
    assert (feedback.rating, feedback.watched_completion, feedback.would_watch_again) == (
        5,
        True,
        True,
    )
    assert ViewingHistory.objects.filter(user__username="newcomer", completed=True).count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in_and_brought_back(page, catalog, django_user_model):
    django_user_model.objects.create_user("returning", password=PASSWORD)
    alien = catalog["alien"]

    page.goto(alien.get_absolute_url())
    page.get_by_role("link", name="Log in to rate this film").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Username").fill("returning")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/movies/{alien.pk}/$"))

    # Going straight for the feedback form also passes through the login page and back.
    page.context.clear_cookies()
    page.goto(f"/movies/{alien.pk}/feedback/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("returning")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/movies/{alien.pk}/feedback/$"))
    expect(page.get_by_role("button", name="Save feedback")).to_be_visible()


def test_a_film_on_the_watchlist_leaves_it_for_the_history_once_watched(
    page, catalog, django_user_model
):
    django_user_model.objects.create_user("planner", password=PASSWORD)
    alien = catalog["alien"]

    # Logged out, the film's button leads to the log-in page and back to the film.
    page.goto(alien.get_absolute_url())
    page.get_by_role("link", name="Add to watchlist").click()
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/movies/{alien.pk}/$"))

    page.get_by_role("button", name="Add to watchlist").click()
    expect(page.locator(".messages")).to_contain_text("“Alien” is on your watchlist.")
    expect(page.locator(".watchlist-status")).to_contain_text("On your watchlist (added")

    page.get_by_role("link", name="Watchlist", exact=True).click()
    expect(page).to_have_url(re.compile(r"/watchlist/$"))
    expect(page.get_by_role("link", name="Alien", exact=True)).to_be_visible()
    expect(page.get_by_text("Tokyo Story")).to_have_count(0)

    page.get_by_role("button", name=re.compile("^I watched this")).click()
    expect(page).to_have_url(re.compile(r"/watchlist/$"))
    expect(page.locator(".messages")).to_contain_text("It is off your watchlist now.")
    expect(page.get_by_text("Your watchlist is empty.")).to_be_visible()

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("link", name="Alien").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("finished")
    assert not WatchlistEntry.objects.exists()
    viewing = ViewingHistory.objects.get(user__username="planner")
    assert (viewing.media.movie_id, viewing.completed) == (alien.pk, True)


def test_a_film_watched_last_week_and_not_finished_stays_on_the_watchlist(
    page, catalog, django_user_model
):
    person = django_user_model.objects.create_user("halfway", password=PASSWORD)
    alien = catalog["alien"]
    WatchlistEntryFactory(user=person, movie=alien, added_at=timezone.now() - dt.timedelta(days=30))
    last_week = timezone.localtime() - dt.timedelta(days=7)
    page.goto(f"/accounts/login/?next={alien.get_absolute_url()}")
    page.get_by_label("Username").fill("halfway")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The details are folded away under the one-click button; opening them needs no script.
    details = page.get_by_text("Watched it another day, or not to the end?")
    expect(page.get_by_label("Watched on")).to_be_hidden()
    details.click()
    page.get_by_label("Watched on").fill(last_week.strftime("%Y-%m-%dT20:30"))
    page.get_by_label("Minutes watched").fill("40")
    page.get_by_label("I finished it").uncheck()
    page.get_by_role("button", name="Add to my history").click()

    expect(page).to_have_url(re.compile(rf"/movies/{alien.pk}/$"))
    expect(page.locator(".messages")).to_contain_text(
        f"“Alien”, watched on {last_week.day} {last_week:%b %Y}, 20:30, is added to your history."
    )
    expect(page.locator(".messages")).to_contain_text("It stays on your watchlist.")
    expect(page.locator(".watchlist-status")).to_contain_text("On your watchlist")

    # The history has it on its day, where it stopped.
    page.get_by_role("link", name="History", exact=True).click()
    day = page.locator(".history-day")
    expect(day.get_by_role("heading")).to_have_text(
        f"{last_week:%A} {last_week.day} {last_week:%B %Y}"
    )
    expect(day).to_contain_text("20:30")
    expect(day).to_contain_text("stopped at 40 min")

    # Finished another evening, said from the watchlist's own link to the form.
    page.get_by_role("link", name="Watchlist", exact=True).click()
    page.get_by_role("link", name=re.compile("^Another day, or not to the end")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I watched Alien")
    page.get_by_label("Watched on").fill(
        (last_week + dt.timedelta(days=2)).strftime("%Y-%m-%dT21:00")
    )
    page.get_by_role("button", name="I watched this").click()
    expect(page).to_have_url(re.compile(r"/watchlist/$"))
    expect(page.locator(".messages")).to_contain_text("It is off your watchlist now.")
    expect(page.get_by_text("Your watchlist is empty.")).to_be_visible()

    viewings = ViewingHistory.objects.filter(user=person).order_by("started_at")
    assert [(v.minutes_watched, v.completed) for v in viewings] == [(40, False), (None, True)]
    assert timezone.localtime(viewings[0].started_at).strftime("%H:%M") == "20:30"


def test_wrong_feedback_shows_the_reason_and_keeps_what_was_typed(page, catalog, django_user_model):
    django_user_model.objects.create_user("typist", password=PASSWORD)
    page.goto("/accounts/login/?next=/library/feedback/new/")
    page.get_by_label("Username").fill("typist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Media id").fill("plex:does-not-exist")
    page.get_by_label("Rating").select_option("4")
    page.get_by_role("button", name="Save feedback").click()

    expect(page.get_by_text("No media item has the id “plex:does-not-exist”.")).to_be_visible()
    expect(page.get_by_label("Media id")).to_have_value("plex:does-not-exist")
    expect(page.get_by_label("Rating")).to_have_value("4")
    assert not UserFeedback.objects.exists()


def test_deleting_feedback_asks_first_and_a_stale_repeat_says_it_is_gone(
    page, catalog, django_user_model
):
    person = django_user_model.objects.create_user("tidier", password=PASSWORD)
    media = MediaFactory(title="Alien", movie=catalog["alien"])
    UserFeedbackFactory(user=person, media=media, rating=2)
    page.goto(f"/accounts/login/?next={media.get_absolute_url()}")
    page.get_by_label("Username").fill("tidier")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The button only asks; Cancel goes back with the feedback untouched.
    page.get_by_role("link", name="Delete my feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your feedback on “Alien”?")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alien")
    assert UserFeedback.objects.filter(user=person).exists()

    # Asked again in two tabs: the first deletes, the other, now stale, says it is gone.
    page.get_by_role("link", name="Delete my feedback").click()
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    other_tab.get_by_role("button", name="Delete my feedback").click()
    expect(other_tab.locator(".messages")).to_contain_text("Your feedback on “Alien” is deleted.")
    assert not UserFeedback.objects.filter(user=person).exists()

    page.get_by_role("button", name="Delete my feedback").click()
    expect(page.locator(".messages")).to_contain_text(
        "Your feedback on “Alien” is already deleted."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("My library")


def test_an_item_whose_id_ends_as_an_old_action_address_has_its_own_page(page, django_user_model):
    """ "plex://show/1/feedback" was the feedback address of "plex://show/1": its page and
    forms are its own now, and bookmarks of the other item's old addresses still work."""
    person = django_user_model.objects.create_user("archivist", password=PASSWORD)
    show = MediaFactory(media_id="plex://show/1", title="The Show", movie=None)
    extra = MediaFactory(media_id="plex://show/1/feedback", title="The Show: Extras", movie=None)
    UserFeedbackFactory(user=person, media=show, rating=5)
    page.goto(f"/accounts/login/?next={extra.get_absolute_url()}")
    page.get_by_label("Username").fill("archivist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Show: Extras")

    page.get_by_role("link", name="Give feedback").click()
    page.get_by_label("Rating").select_option("3")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Show: Extras")
    page.get_by_role("button", name="I watched this").click()
    expect(page.locator(".messages")).to_contain_text("“The Show: Extras” is added")
    ratings = dict(UserFeedback.objects.filter(user=person).values_list("media_id", "rating"))
    assert ratings == {show.media_id: 5, extra.media_id: 3}
    assert ViewingHistory.objects.get(user=person).media_id == extra.media_id

    # A bookmark of the other item's old delete address asks to delete its feedback; its
    # old feedback address is the extras' page, which wins.
    page.goto(f"{show.get_absolute_url()}feedback/delete/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your feedback on “The Show”?")
    page.goto(f"{show.get_absolute_url()}feedback/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Show: Extras")


def test_on_a_phone_a_link_above_the_films_leads_to_the_filters_below_them(page, catalog):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/movies/")
    to_filters = page.get_by_role("link", name="Filter and sort ↓")
    apply = page.get_by_role("button", name="Apply filters")
    expect(to_filters).to_be_in_viewport()
    expect(apply).not_to_be_in_viewport()

    to_filters.click()

    expect(apply).to_be_in_viewport()
    expect(page).to_have_url(re.compile(r"#filters$"))


def test_on_a_wide_screen_the_filters_are_beside_the_films_and_their_link_is_the_keyboards(
    page, catalog
):
    """The filters come after the films in the page: a keyboard reaches the link to them
    before the films, and only then is it shown."""
    page.goto("/movies/")
    to_filters = page.get_by_role("link", name="Filter and sort ↓")

    expect(page.get_by_role("heading", name="Filter", exact=True)).to_be_in_viewport()
    expect(to_filters).not_to_be_in_viewport()

    to_filters.focus()
    expect(to_filters).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#filters$"))
    expect(page.locator("#filters")).to_be_focused()
