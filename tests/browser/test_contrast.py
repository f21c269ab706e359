"""What is typed and where to type it can be seen: text against its background at least
4.5:1 (WCAG 1.4.3), a form control's edge against the white around it at least 3:1 (WCAG
1.4.11). Measured in the browser from the colours the stylesheet gives."""

import pytest

from tests.browser.test_journeys import sign_up
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db(transaction=True)

# WCAG's contrast ratio of two computed colours ("rgb(r, g, b)"), from their relative
# luminance: (lighter + 0.05) / (darker + 0.05).
CONTRAST = """
([first, second]) => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[0-9.]+/g).slice(0, 3).map((part) => {
      const channel = Number(part) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (lighter + 0.05) / (darker + 0.05);
}
"""


def contrast(page, first: str, second: str) -> float:
    return page.evaluate(CONTRAST, [first, second])


def test_the_header_search_box_shows_what_is_typed(page):
    page.goto("/")
    search_box = page.locator("#nav-q")
    search_box.fill("alien")

    text, background = search_box.evaluate(
        "(box) => [getComputedStyle(box).color, getComputedStyle(box).backgroundColor]"
    )

    assert contrast(page, text, background) >= 4.5


# Each shown text field, list and text area with its border's colour and the colour
# around it: the first ancestor's background that is not transparent. Checkboxes and
# radio buttons are drawn by the browser, which WCAG leaves out.
CONTROL_EDGES = """() => [...document.querySelectorAll(
  "input:not([type=hidden], [type=checkbox], [type=radio], [type=submit]), select, textarea"
)].filter((control) => control.getClientRects().length > 0).map((control) => {
  let around = control.parentElement;
  while (getComputedStyle(around).backgroundColor.match(/rgba\\(.*, 0\\)/)) {
    around = around.parentElement;
  }
  return {
    name: control.name,
    edge: getComputedStyle(control).borderTopColor,
    around: getComputedStyle(around).backgroundColor,
  };
})"""


def test_every_form_control_has_an_edge_that_can_be_seen(page, django_user_model):
    film = MovieFactory()
    sign_up(page, "reader")

    faint = {}
    for url in ("/movies/", "/accounts/settings/email/", f"/movies/{film.pk}/review/", "/lists/"):
        page.goto(url)
        for control in page.evaluate(CONTROL_EDGES):
            if (ratio := contrast(page, control["edge"], control["around"])) < 3:
                faint[f"{url} {control['name']}"] = round(ratio, 2)

    assert faint == {}
