"""How long a search takes to find and rank its films, over 100,000 of them.

    .venv/bin/python bench/search_titles.py --database-url sqlite:////tmp/search_titles.sqlite3
    .venv/bin/python bench/search_titles.py \
        --database-url postgres://postgres@127.0.0.1:5432/marquee_bench_search_titles

Migrates the database, and fills it once (kept for the next run) with 100,000 films whose
titles are one to four words of 21, after a leading article for seven films in eight
("The", "A", "Le", "La", "El", "Der", "Il") or none, the original title another such
title for three in ten, and an overview of twelve such words: a search for one of them
finds many films (up to half), the worst case for what is reckoned for each film found.
One title in four ends with a sequel's number, 2 to 20, in Roman numerals for half of
them (drawn apart from the rest, so that the other titles are the same as before).
Then, for each query below, runs what the search page runs (the count, then the first
page of 25, catalog/search.py), one warm-up then `--runs` timed; prints the median.
"""

import argparse
import random
import statistics
import time

from most_searched import setup_django

FILMS = 100_000
WORDS = ["love", "matrix", "night", "city", "dark", "star", "man", "woman", "house", "story"]
WORDS += ["war", "king", "blade", "runner", "heat", "alien", "girl", "boy", "day", "life"]
WORDS += ["dead"]
ARTICLES = ["the", "a", "le", "la", "el", "der", "il", ""]
QUERIES = ["love", "matrix", "the matrix", "le fabuleux destin d'amelie poulain", "godfat"]
QUERIES += ["love 2", "blade runner ii"]
ROMAN = ["ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv"]
ROMAN += ["xv", "xvi", "xvii", "xviii", "xix", "xx"]


def sequel(numbers: random.Random) -> str:
    """A sequel's number, for one title in four, or nothing."""
    if numbers.random() >= 0.25:
        return ""
    number = numbers.randint(2, 20)
    return " " + (ROMAN[number - 2].upper() if numbers.random() < 0.5 else str(number))


def title(rng: random.Random, words: int) -> str:
    article = rng.choice(ARTICLES)
    return " ".join([article] * bool(article) + rng.choices(WORDS, k=words)).title()


def fill(rng: random.Random) -> None:
    from django.db import connection

    from catalog.folding import search_title
    from catalog.models import Movie

    numbers = random.Random(4)
    films = []
    for number in range(FILMS):
        named = title(rng, rng.randint(1, 4)) + sequel(numbers)
        original = named if rng.random() < 0.7 else title(rng, 2)
        films.append(
            Movie(
                title=named,
                original_title=original,
                search_title=search_title(named, original),
                overview=" ".join(rng.choices(WORDS, k=12)),
                popularity=rng.random() * 100,
                tmdb_id=1_000_000 + number,
                imdb_id=f"tt{8_000_000 + number}",
            )
        )
    Movie.objects.bulk_create(films, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    setup_django(options.database_url)
    from catalog.models import Movie
    from catalog.search import search_movies

    if Movie.objects.count() != FILMS:
        fill(random.Random(3))
    for query in QUERIES:

        def search(query=query):
            found = search_movies(Movie.objects.all(), query)
            found.count()
            return [movie.title for movie in found[:25]]

        first = search()
        seconds = []
        for _ in range(options.runs):
            started = time.perf_counter()
            search()
            seconds.append(time.perf_counter() - started)
        print(f"{query!r}: median {statistics.median(seconds):.3f} s, first {first[:3]}")


if __name__ == "__main__":
    main()
