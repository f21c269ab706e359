"""How long the ratings' admin list takes to count its rows, on PostgreSQL and SQLite.

    .venv/bin/python bench/admin_counts.py --database-url postgres://postgres@127.0.0.1:5432/marquee_bench_counts
    .venv/bin/python bench/admin_counts.py --database-url sqlite:////tmp/marquee_bench_counts.sqlite3
        [--ratings 5000000] [--runs 5]

Migrates the database, then fills catalog_rating with `--ratings` external ratings of a
thousand films in one INSERT ... SELECT (generate_series on PostgreSQL, a recursive
WITH on SQLite), and ANALYZEs it; a table that already holds that many is kept. Then
times, `--runs` times each after one warm-up: the COUNT(*) the admin's paginator runs on
an unfiltered list, and the whole list's request (/admin/catalog/rating/) through
Django's test client as a superuser, unfiltered and filtered by source. Prints the median
and the slowest time of each, and the queries of one request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FILMS = 1000

FILL = {
    "postgresql": """
        INSERT INTO catalog_rating (source, rater_kind, external_rater_id, value,
                                    scale_min, scale_max, movie_id)
        SELECT 'movielens', 'external', 'u' || (n / %(films)s), 1 + n %% 5, 0.5, 5,
               m.id + n %% %(films)s
        FROM generate_series(0, %(ratings)s - 1) AS n,
             (SELECT min(id) AS id FROM catalog_movie) AS m
    """,
    "sqlite": """
        WITH RECURSIVE serie(n) AS (
            SELECT 0 UNION ALL SELECT n + 1 FROM serie WHERE n + 1 < %(ratings)s
        )
        INSERT INTO catalog_rating (source, rater_kind, external_rater_id, value,
                                    scale_min, scale_max, movie_id)
        SELECT 'movielens', 'external', 'u' || (n / %(films)s), 1 + n %% 5, 0.5, 5,
               m.id + n %% %(films)s
        FROM serie, (SELECT min(id) AS id FROM catalog_movie) AS m
    """,
}


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_DEBUG", "1")  # static files served without a manifest
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # timings as in production: no query log on every cursor
    settings.ALLOWED_HOSTS = ["testserver"]


def ensure_ratings(ratings: int) -> None:
    import datetime as dt

    from django.db import connection, transaction

    from catalog.models import Movie, Rating

    if Rating.objects.count() >= ratings:
        return
    with transaction.atomic():
        Rating.objects.all().delete()
        if Movie.objects.count() < FILMS:
            now = dt.datetime.now(dt.UTC)
            Movie.objects.bulk_create(
                Movie(title=f"Film {n}", popularity=0.0, created_at=now, updated_at=now)
                for n in range(FILMS)
            )
        with connection.cursor() as cursor:
            cursor.execute(FILL[connection.vendor] % {"films": FILMS, "ratings": ratings})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_rating")


def timed(action, runs: int) -> tuple[float, float]:
    action()  # warm-up
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), max(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--ratings", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django(args.database_url)
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Rating

    started = time.perf_counter()
    ensure_ratings(args.ratings)
    print(f"{args.ratings:,} ratings ready in {time.perf_counter() - started:.0f} s")

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)

    def request(url):
        def get():
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

        return get

    print(f"{connection.vendor}, {Rating.objects.count():,} ratings, {args.runs} runs")
    rows = [("SELECT COUNT(*) of every rating", lambda: Rating.objects.count())]
    for url in ["/admin/catalog/rating/", "/admin/catalog/rating/?source__exact=movielens"]:
        rows.append((f"GET {url}", request(url)))
    for name, action in rows:
        median, slowest = timed(action, args.runs)
        print(f"{name:60} median {median * 1000:8.1f} ms  slowest {slowest * 1000:8.1f} ms")
    with CaptureQueriesContext(connection) as queries:
        request("/admin/catalog/rating/")()
    print(f"queries of the unfiltered list: {len(queries)}")


if __name__ == "__main__":
    main()
