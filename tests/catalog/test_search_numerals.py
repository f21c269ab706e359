"""A title's number is found in either numeral, on both databases: "godfather part 2"
finds The Godfather: Part II, and "star wars episode iv" a Star Wars: Episode 4; the
single letters I, V and X typed stay letters (catalog/numerals.py)."""

import pytest
from django.urls import reverse

from catalog.numerals import respelt
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("catalog:search")


def found(client, query):
    response = client.get(SEARCH_URL, {"q": query})
    return [movie.title for movie in response.context["object_list"]]


def films(*titles, overview=""):
    """Films in falling popularity: the first is the most popular."""
    for popularity, title in enumerate(reversed(titles), start=1):
        MovieFactory(title=title, original_title="", overview=overview, popularity=popularity)


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("godfather part 2", "godfather part ii"),
        ("star wars episode iv", "star wars episode 4"),
        ("rocky xx 20", "rocky 20 xx"),
        ("5 for vendetta", "v for vendetta"),  # a digit typed is a number
        ("malcolm 10", "malcolm x"),
        ("v for vendetta", ""),  # a single letter typed is a letter
        ("x men", ""),
        ("i robot", ""),
        ("part 1", ""),  # "i" is a stopword to PostgreSQL's full text
        ("xxi 21 0 vix", ""),  # beyond XX, or no numeral
    ],
)
def test_a_numeral_s_other_spelling(typed, other):
    assert respelt(typed) == other


ROCKY_IV = ["Rocky IV", "Rocky 4: The Director's Cut"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("godfather part 2", ["The Godfather: Part II"]),
        ("Godfather Part 3", ["The Godfather: Part III"]),
        ("rocky 4", ROCKY_IV),
        ("rocky iv", ROCKY_IV),
        ("star wars episode iv", ["Star Wars: Episode 4"]),
        ("star wars episode 5", ["Star Wars: Episode V"]),  # a digit finds a single letter
        ('"part 2"', ["The Godfather: Part II"]),  # in a phrase
        ('"ocean\'s 11"', ["Ocean's XI"]),  # the apostrophe keeps its place
        ("oceans 11", ["Ocean's XI"]),
        ("godf part 2", ["The Godfather: Part II"]),  # PostgreSQL's fallback to titles
    ],
)
def test_a_number_finds_its_title_in_either_numeral(client, query, titles):
    films(
        "The Godfather: Part II",
        "The Godfather: Part III",
        "The Godfather",
        "Rocky IV",
        "Rocky 4: The Director's Cut",
        "Rocky",
        "Star Wars: Episode 4",
        "Star Wars: Episode V",
        "Ocean's XI",
    )

    assert found(client, query) == titles


def test_the_other_numeral_is_a_whole_word_of_a_title(client):
    films("Rocky III", "Rocky II")
    # Not in an overview: SQLite cannot tell a word there from part of one ("Hawaii").
    MovieFactory(title="Rocky", overview="A boxer back from World War II.", popularity=90)

    assert found(client, "rocky 2") == ["Rocky II"]  # not III, whose word starts with ii
    assert found(client, "rocky -2") == ["Rocky", "Rocky III"]


def test_the_film_a_number_names_comes_first_in_either_numeral(client):
    films("Rocky II: Behind the Scenes", "Rocky 20", "Rocky", "Rocky III", "Rocky II")

    assert found(client, "rocky 2")[0] == "Rocky II"
    assert found(client, "rocky")[0] == "Rocky"
    assert found(client, "rocky 3")[0] == "Rocky III"


def test_a_letter_typed_stays_a_letter(client):
    films("5 Centimeters per Second", "The Fifth Element: Part 5", "V for Vendetta")
    films("X-Men", "10 Men")

    assert found(client, "v for vendetta") == ["V for Vendetta"]
    assert found(client, "5 for vendetta") == ["V for Vendetta"]  # harmless: a digit typed
    assert found(client, "x men") == ["X-Men"]
    assert found(client, "10 men") == ["10 Men", "X-Men"]
