"""The film lists and the library read in the order they show (WCAG 1.3.2 meaningful
sequence, 2.4.3 focus order): at 200% zoom or on a phone the filters sit below the
results, so Tab and a screen reader reach the results first and the filters after them;
on a wide screen the filters keep their column at the left. Measured in the browser:
where each control is drawn against where it comes in the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_up
from tests.factories import GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db(transaction=True)

# 1280 CSS px at 200% zoom is 640; a wide screen at 100%.
ZOOMED = {"width": 640, "height": 800}
WIDE = {"width": 1280, "height": 800}

# Every control of the films and their filters, in the order Tab reaches them, with the
# top and left edges of the box drawn for it.
CONTROLS_IN_TAB_ORDER = """() => [...document.querySelectorAll(
  ".layout-with-sidebar :is(a[href], button, input:not([type=hidden]), select, textarea)"
)].filter((control) => control.getClientRects().length > 0).map((control) => {
  const box = control.getBoundingClientRect();
  return {name: control.textContent.trim() || control.name, top: box.top + scrollY, left: box.left};
})"""

BOX = "(element) => { const box = element.getBoundingClientRect(); return [box.left, box.top]; }"


@pytest.fixture
def film_pages(page):
    """The pages of results beside their filters, the library's among them."""
    drama = GenreFactory(name="Drama", slug="drama")
    for n in range(3):
        MovieFactory(title=f"Alien {n}", genres=[drama])
    sign_up(page, "reader")
    return ["/movies/", "/search/?q=alien", drama.get_absolute_url(), "/library/"]


def test_at_200_percent_zoom_tab_reaches_the_films_before_their_filters(page, film_pages):
    page.set_viewport_size(ZOOMED)
    out_of_order = {}
    for url in film_pages:
        page.goto(url)
        controls = page.evaluate(CONTROLS_IN_TAB_ORDER)
        # One column: each control is drawn level with or below the one before it.
        upward = [
            (before["name"], after["name"])
            for before, after in zip(controls, controls[1:], strict=False)
            if after["top"] < before["top"] - 1
        ]
        if upward:
            out_of_order[url] = upward

    assert out_of_order == {}


def test_on_a_wide_screen_the_filters_keep_their_left_column(page, film_pages):
    page.set_viewport_size(WIDE)
    for url in film_pages:
        page.goto(url)
        filters_left, filters_top = page.locator("#filters").evaluate(BOX)
        films_left, films_top = page.locator(".layout-with-sidebar > section").evaluate(BOX)

        assert (filters_left < films_left, filters_top) == (True, films_top), url


def test_the_jump_link_leads_down_to_the_filters(page, film_pages):
    page.set_viewport_size(ZOOMED)
    for url in film_pages:
        page.goto(url)
        page.locator(".to-filters a").click()

        expect(page).to_have_url(re.compile("#filters$"))
        expect(page.locator("#filters")).to_be_in_viewport()
