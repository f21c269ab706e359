"""The film a query names comes first, on both databases; then titles that hold the
query's words where a word starts, then the rest, as each database finds them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from catalog.models import Movie
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("catalog:search")
POSTGRESQL = connection.vendor == "postgresql"


def found(client, query):
    response = client.get(SEARCH_URL, {"q": query})
    return [movie.title for movie in response.context["object_list"]]


def films(*titles, overview=""):
    """Films in falling popularity: the exact title is given last, the least popular."""
    for popularity, title in enumerate(reversed(titles), start=1):
        MovieFactory(title=title, original_title=title, overview=overview, popularity=popularity)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("the matrix", ["The Matrix Reloaded", "The Matrix Revolutions", "The Matrix"]),
        ("toy story", ["Toy Story 3", "Toy Story 2", "Toy Story"]),
        ("blade runner", ["Blade Runner 2049", "Blade Runner"]),
        ("Blade Runner", ["Blade Runner 2049", "Blade Runner"]),
        ('"blade runner"', ["Blade Runner 2049", "Blade Runner"]),
        ("amelie", ["Amélie from Montmartre", "Amélie"]),  # accents aside
        ("dont look up", ["Don't Look Up Again", "Don't Look Up"]),  # and the apostrophe
    ],
)
def test_the_title_a_query_names_comes_before_more_popular_ones(client, query, titles):
    films(*titles)

    assert found(client, query) == [titles[-1], *titles[:-1]]


def test_full_text_ranks_the_named_title_first_too(client):
    # Full text ranks Reloaded higher: "matrix" is in its overview as well.
    MovieFactory(title="The Matrix", overview="A hacker learns the truth.", popularity=1)
    MovieFactory(title="The Matrix Reloaded", overview="Back in the matrix.", popularity=1)

    assert found(client, "the matrix") == ["The Matrix", "The Matrix Reloaded"]


def test_a_title_named_by_its_original_title_or_with_one_comes_first(client):
    MovieFactory(title="M", original_title="M - Eine Stadt sucht einen Mörder", popularity=1)
    MovieFactory(title="M3GAN", original_title="M3GAN", overview="", popularity=50)
    MovieFactory(title="Mad Max", original_title="Mad Max", overview="m", popularity=90)

    assert found(client, "m")[0] == "M"


def test_a_longer_title_holding_the_query_is_not_taken_for_it(client):
    # Its original title holds the rest: "blade runner" names neither of its titles.
    MovieFactory(title="Blade Runner 2049", original_title="Blade Runner 2049", popularity=9)
    MovieFactory(title="Blade Runner", original_title="", popularity=1)
    MovieFactory(title="Blade", original_title="Runner", popularity=5)

    assert found(client, "blade runner") == ["Blade Runner", "Blade Runner 2049", "Blade"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("matrix", ["The Matrix Reloaded", "The Matrix Revolutions", "The Matrix"]),
        ("the matrix", ["The Matrix Reloaded", "The Matrix"]),  # with its article too
        ("godfather", ["The Godfather Part II", "The Godfather"]),
        ("clockwork orange", ["A Clockwork Orange Remastered", "A Clockwork Orange"]),
        ("miserables", ["Les Misérables in Concert", "Les Misérables"]),
        ("avventura", ["L'Avventura di Roma", "L’Avventura"]),  # elided, either apostrophe
        ("l'avventura", ["L'Avventura di Roma", "L'Avventura"]),
        ("boot", ["Das Boot Revisited", "Das Boot"]),
        ("postino", ["Il Postino Returns", "Il Postino"]),
        ("laberinto del fauno", ["El Laberinto del Fauno II", "El Laberinto del Fauno"]),
    ],
)
def test_a_leading_article_of_the_title_does_not_keep_the_query_from_naming_it(
    client, query, titles
):
    films(*titles)

    assert found(client, query) == [titles[-1], *titles[:-1]]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        # Words that lead English titles as themselves, not as articles.
        ("hard", ["Die Hard", "Hard"]),
        ("robot", ["I, Robot", "Robot"]),
    ],
)
def test_only_an_article_is_passed_over(client, query, titles):
    films(*titles)  # the first more popular: it comes first unless the query names it

    assert found(client, query)[:2] == [titles[-1], titles[0]]


def test_a_film_named_by_its_original_title_comes_first(client):
    amelie = "Le Fabuleux Destin d'Amélie Poulain"
    MovieFactory(title="Amélie", original_title=amelie, popularity=1)
    MovieFactory(title=f"The Making of {amelie}", original_title="", popularity=90)
    MovieFactory(title="The Postman", original_title="Il Postino", popularity=1)
    MovieFactory(title="Il Postino Returns", original_title="", popularity=90)

    assert found(client, "le fabuleux destin d’amelie poulain")[0] == "Amélie"
    assert found(client, "fabuleux destin d'amelie poulain")[0] == "Amélie"  # no article
    assert found(client, "postino")[0] == "The Postman"


@pytest.mark.parametrize(
    ("query", "titles", "inside_a_word"),
    [
        # Stopwords to PostgreSQL's full text: its search falls back to titles, where the
        # word may be inside another (godfatHER); SQLite wants it where a word starts.
        ("her", ["Her", "Her Smell", "Love Her"], ["The Godfather"]),
        ("it", ["It", "It Follows"], ["Little Women"]),
        ("the", ["The", "The Thing"], ["Other People"]),
    ],
)
def test_a_stopword_finds_its_title_first_then_titles_with_it_as_a_word(
    client, query, titles, inside_a_word
):
    films(*inside_a_word, *titles[1:], titles[0])

    assert found(client, query) == titles + (inside_a_word if POSTGRESQL else [])


def test_a_query_with_alternatives_names_each_of_its_titles(client):
    films("Alien vs. Predator", "Alien 3", "Predator", "Alien")

    assert sorted(found(client, "alien or predator")[:2]) == ["Alien", "Predator"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_where_the_title_ends_and_back(client):
    MovieFactory(title="Blade Runner", original_title="Runner")
    call_command("migrate", "catalog", "0021", verbosity=0)
    try:
        assert Movie.objects.get().search_title == " blade runner runner"
    finally:
        call_command("migrate", verbosity=0)

    assert Movie.objects.get().search_title == " blade runner | runner"
    assert found(client, "blade runner") == ["Blade Runner"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("the matrix", ["The Matrix Reloaded", "Matrix Revisited", "Matrix"]),
        ("a clockwork orange", ["A Clockwork Orange Remastered", "Clockwork Orange"]),
        ("das boot", ["Das Boot Revisited", "Boot"]),
        ("el laberinto del fauno", ["El Laberinto del Fauno II", "Laberinto del Fauno"]),
    ],
)
def test_a_leading_article_of_the_query_the_title_lacks_does_not_hide_it(client, query, titles):
    films(*titles)

    assert found(client, query) == [titles[-1], *titles[:-1]]


def test_the_title_with_the_query_s_article_comes_before_the_one_without(client):
    # Full text ranks Reloaded higher: the word is in its overview as well.
    MovieFactory(title="Matrix", original_title="", overview="", popularity=90)
    MovieFactory(title="The Matrix", original_title="", overview="", popularity=1)
    MovieFactory(
        title="The Matrix Reloaded", original_title="", overview="Into the matrix.", popularity=50
    )

    assert found(client, "the matrix") == ["The Matrix", "Matrix", "The Matrix Reloaded"]
    assert found(client, "matrix")[:2] == ["Matrix", "The Matrix"]  # both named: popularity
