"""On a phone no page is wider than the screen, whatever the person named things: a list
name, a username or a search of one long word wraps rather than pushing the page sideways.
Measured in the browser: the page's scroll width against its width."""

import pytest

from tests.browser.test_journeys import sign_up
from tests.factories import FilmListFactory, MovieFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
# As long as each may be: a list's name, a username (Django's 150).
LONG_LIST_NAME = "Films I watched with my grandmother on Sunday afternoons " * 2
LONG_USERNAME = "carol_the_very_long_username_of_a_film_lover_" * 3
ONE_LONG_WORD = "a" * 120

# How far the page reaches past the screen's right edge, in CSS pixels.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_long_names_and_words_wrap_on_a_phone(page, django_user_model):
    film = MovieFactory(title="Alien")
    sign_up(page, LONG_USERNAME[:150])
    person = django_user_model.objects.get()
    film_list = FilmListFactory(user=person, name=LONG_LIST_NAME[:100].strip())
    page.set_viewport_size(PHONE)

    too_wide = {}
    for url in (
        "/",
        film.get_absolute_url(),  # "Add to a list" offers the long name
        "/lists/",
        film_list.get_absolute_url(),
        "/accounts/settings/",
        f"/search/?q={ONE_LONG_WORD}",
        f"/movies/?title={ONE_LONG_WORD}",
    ):
        page.goto(url)
        if (overflow := page.evaluate(OVERFLOW)) > 0:
            too_wide[url] = overflow

    assert too_wide == {}
