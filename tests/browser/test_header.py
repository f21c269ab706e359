"""The site header in a real browser: on a 1280 px screen a signed-in member's header,
every item of it there (staff's Admin too, and the longest username), is one line; on a
phone it wraps onto several, every item still on the screen."""

import pytest

from tests.browser.test_journeys import sign_up

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
NAV_ITEMS = [
    "Films",
    "Search",
    "Tonight",
    "Watchlist",
    "Lists",
    "Library",
    "History",
    "Stats",
    "Reviews",
    "Admin",
    "Account",
    "Log out",
]

# Each item of the header (the links and account items, the search box) with its box.
ITEMS = """() => [...document.querySelectorAll('.nav .brand, .nav li, .nav-search')].map(item => {
    const box = item.getBoundingClientRect();
    return {text: item.textContent.trim(), top: box.top, bottom: box.bottom,
            left: box.left, right: box.right};
})"""


def staff_member(page, django_user_model, username):
    sign_up(page, username)
    django_user_model.objects.filter(username=username).update(is_staff=True)


def header_items(page) -> list[dict]:
    page.goto("/")
    items = page.evaluate(ITEMS)
    assert [item["text"] for item in items if item["text"] in NAV_ITEMS] == NAV_ITEMS
    return items


@pytest.mark.parametrize("username", ["carol_film_fan", "c" * 150])
def test_at_1280_px_the_header_is_one_line(page, django_user_model, username):
    staff_member(page, django_user_model, username)
    page.set_viewport_size(LAPTOP)

    items = header_items(page)

    brand, *others = items
    # Each item's middle is level with the brand's: nothing went down a line.
    off_the_line = [
        item["text"][:20]
        for item in others
        if not brand["top"] <= (item["top"] + item["bottom"]) / 2 <= brand["bottom"]
    ]
    assert off_the_line == []
    assert max(item["right"] for item in items) <= LAPTOP["width"]


def test_on_a_phone_the_header_wraps_and_keeps_every_item_on_the_screen(page, django_user_model):
    staff_member(page, django_user_model, "carol_film_fan")
    page.set_viewport_size(PHONE)

    items = header_items(page)

    off_screen = [
        item["text"][:20] for item in items if item["left"] < 0 or item["right"] > PHONE["width"]
    ]
    assert off_screen == []
    assert len({round(item["top"]) for item in items}) > 1  # on several lines
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
