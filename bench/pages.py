"""How long the catalog's pages take over a million ratings, on PostgreSQL.

    .venv/bin/python bench/pages.py [--runs 5]
        [--database-url postgres://postgres@127.0.0.1:5432/marquee_bench_recs]

Uses (or makes, as the recommendation benchmarks do) the synthetic catalog of 100,000
films and a million ratings, imported by import_movielens. Then requests each page below
through Django's test client, in process, with the query log off: one warm-up request,
then `--runs` timed ones. Prints, for each page, the median and the slowest time, the
queries it ran, and the slowest query of one request.

The pages are what a visitor meets first (the home page), what they sort and page
through (the film list, a genre), and one film. No target is set for them in the issues;
the figures are here so that a change to how ratings are read can be measured.
"""

import argparse
import statistics
import time
import warnings

from recommendations_data import DEFAULT_URL, ensure_catalog, setup_django


def pages() -> list[tuple[str, str]]:
    from catalog.models import Genre, Movie
    from catalog.views import MOVIES_PER_PAGE

    genre = Genre.objects.order_by("name").values_list("slug", flat=True).first()
    movie = Movie.objects.order_by("-popularity", "id").values_list("pk", flat=True).first()
    last_page = -(-Movie.objects.count() // MOVIES_PER_PAGE)
    return [
        ("home: popular and top rated shelves", "/"),
        ("films, by title", "/movies/"),
        ("films, best rated first", "/movies/?ordering=-rating"),
        ("films, most rated first", "/movies/?ordering=-votes"),
        ("films, page 200 by title", "/movies/?page=200"),
        ("films, the last page by title", f"/movies/?page={last_page}"),
        (f"genre {genre}, by title", f"/genres/{genre}/"),
        (f"genre {genre}, best rated first", f"/genres/{genre}/?ordering=-rating"),
        ("search 'love'", "/search/?q=love"),
        ("the most popular film", f"/movies/{movie}/"),
    ]


def measure(url: str, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    response = client.get(url)  # warm-up: templates compiled, connection open
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
    return {
        "median": statistics.median(seconds),
        "max": max(seconds),
        "queries": len(queries.captured_queries),
        "slowest query": float(slowest["time"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    options = parser.parse_args()
    # WhiteNoise warns on each client that collectstatic has not run: no static file is
    # requested here.
    warnings.filterwarnings("ignore", message="No directory at")
    setup_django(options.database_url)
    ensure_catalog(movies=100_000, users=10_000, ratings=1_000_000, seed=7)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print("| page | median (s) | slowest (s) | queries | slowest query (s) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, url in pages():
        result = measure(url, options.runs)
        print(
            f"| {label} (`{url}`) | {result['median']:.3f} | {result['max']:.3f} |"
            f" {result['queries']} | {result['slowest query']:.3f} |"
        )


if __name__ == "__main__":
    main()
