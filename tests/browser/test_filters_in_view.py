"""The film list's filters hide nothing behind a scroll: every genre of a full catalog
shows in the sidebar on a desktop screen. Chromium draws no scrollbar until the mouse is
over a scrolled box, so a genre list cut at a height looked like it ended at "History",
with Horror to Western missing."""

import pytest

from tests.factories import GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
# TMDB's film genres: the nineteen an imported catalog has.
TMDB_GENRES = [
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "TV Movie",
    "Thriller",
    "War",
    "Western",
]

# How much of the genre list is out of its box, in CSS pixels.
HIDDEN = """() => {
  const list = document.querySelector(".checkbox-list");
  return list.scrollHeight - list.clientHeight;
}"""


@pytest.mark.parametrize("url", ["/movies/", "/search/?q=alien"])
def test_every_genre_shows_in_the_filters_on_a_desktop(page, url):
    genres = [GenreFactory(name=name) for name in TMDB_GENRES]
    MovieFactory(title="Alien", genres=genres)
    page.set_viewport_size(DESKTOP)

    page.goto(url)

    assert page.evaluate(HIDDEN) == 0
