"""On a phone every control is big enough to tap: at least 24 x 24 CSS px (WCAG 2.2,
2.5.8 target size), measured in the browser on the pages people use most."""

import pytest

from feedback.services import feedback_record
from tests.browser.test_journeys import sign_up
from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    GenreFactory,
    MediaFactory,
    MovieFactory,
    MovieRelationshipFactory,
    ReviewFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SMALLEST = 24
# More films and library items than a page holds, so that the pages have page links.
ROWS = 30

# What counts: every control a person aims at on its own. The menu, buttons and form
# fields; page links; genre tags; a checkbox's label (the box is drawn by the browser,
# which WCAG exempts, and the label ticks it too, so the label is what a thumb aims at);
# and links that stand alone rather than in a sentence: a card's or a table row's title,
# the link beside a form's button, the jump to the filters, breadcrumbs, related films,
# the export links and the film page's links to the library.
# What does not: a link inside a sentence (the footer's "Browse films", "create an
# account"), whose height the line of text sets, as WCAG allows; and a text field's label,
# whose field is the target.
TARGETS = (
    ".site-header a",
    ".site-header button",
    ".site-header input",
    "main button",
    "main a.button",
    "main input:not([type=hidden], [type=checkbox], [type=radio])",
    "main select",
    ".pagination a",
    "a.tag",
    ".checkbox-list label",
    ".card :is(h2, h3) a",
    "td > a",
    ".form-actions a",
    ".to-filters a",
    ".breadcrumbs a",
    ".related-group a",
    ".export-links a",
    ".link-row a",
)

# Each selector's shown elements, with their size; hidden ones (display: none) have no box.
MEASURE = """(selectors) => selectors.map((selector) => [
  selector,
  [...document.querySelectorAll(selector)]
    .filter((element) => element.getClientRects().length > 0)
    .map((element) => {
      const box = element.getBoundingClientRect();
      const name = (element.innerText || element.value || element.name || "").trim();
      return [name.slice(0, 40), Math.round(box.width * 10) / 10, Math.round(box.height * 10) / 10];
    }),
])"""


@pytest.fixture
def pages(django_user_model):
    """Home, the film list, a film's page, the library and the stats, for someone with a
    library long enough to have pages."""
    genres = [GenreFactory(name=name) for name in ("Drama", "Crime", "Science Fiction")]
    films = [MovieFactory(genres=genres) for _ in range(ROWS)]
    MovieRelationshipFactory(from_movie=films[0], to_movie=films[1])
    ReviewFactory(movie=films[0])
    return films, ["/", "/movies/", films[0].get_absolute_url(), "/library/", "/stats/"]


def test_every_control_is_at_least_24_px_on_a_phone(page, pages, django_user_model):
    films, urls = pages
    sign_up(page, "thumb")
    person = django_user_model.objects.get(username="thumb")
    for film in films:
        item = MediaFactory(movie=film)
        feedback_record(user=person, media=item, rating=4)
        ViewingHistoryFactory(user=person, media=item)
    # Two lists, one of films: the lists' pages, and the film page's select of them.
    film_list = FilmListFactory(user=person)
    FilmListFactory(user=person)
    for film in films[1:4]:
        FilmListEntryFactory(film_list=film_list, movie=film)
    urls = [*urls, "/lists/", film_list.get_absolute_url()]
    page.set_viewport_size(PHONE)

    too_small, found = [], set()
    for url in urls:
        page.goto(url)
        for selector, boxes in page.evaluate(MEASURE, list(TARGETS)):
            found.update([selector] if boxes else [])
            too_small += [
                f"{url} {selector} “{name}”: {width} x {height}"
                for name, width, height in boxes
                if width < SMALLEST or height < SMALLEST
            ]

    assert not too_small, "\n".join(too_small)
    # Every kind of control was on some page: none passed only by being absent.
    assert found == set(TARGETS)
