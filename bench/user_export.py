"""How fast `import_user_export` brings one member's export into an empty Marquee.

    .venv/bin/python bench/user_export.py [--rows 17000] [--database postgres|sqlite]
        [--profile FILE]

Fills a database with one member's rows of every kind (feedback, viewings, ratings,
recommendations shown, reviews, lists and their films, watchlist entries, in about the
proportions of a long-time member's), exports them with `export_user`, migrates an empty
second database, and times `import_user_export --create-user` into it, then a second time
(nothing to change: the idempotent re-run). Each import runs in a child process of its
own and counts its queries. `--profile` writes the first import's cProfile stats to FILE;
BENCH_SHOW_QUERIES=1 prints the commonest shapes of its queries.

Prints a Markdown table: rows, seconds, rows a second and queries of each run.
PostgreSQL on 127.0.0.1:5432, user postgres, trust auth, or set BENCH_PG_URL to another
server (its database name is replaced); SQLite in a temporary directory.
"""

import argparse
import cProfile
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE, TARGET = "marquee_bench_export_source", "marquee_bench_export_target"
SERVER_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
MEMBER = "bench-member"
# Each kind's share of the rows: viewings most, then feedback, ratings and picks.
SHARES = {
    "feedback": 0.20,
    "history": 0.35,
    "ratings": 0.12,
    "recommendations": 0.15,
    "reviews": 0.03,
    "list_entries": 0.08,
    "watchlist": 0.07,
}


def database_url(database: str, name: str, directory: Path) -> str:
    if database == "sqlite":
        return f"sqlite:///{directory / name}.sqlite3"
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def psql(sql: str) -> None:
    subprocess.run(["psql", "-q", SERVER_URL, "-c", sql], check=True, capture_output=True)


def manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def fresh(database: str, name: str, directory: Path) -> str:
    """An empty, migrated database."""
    if database == "postgres":
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
    url = database_url(database, name, directory)
    manage(url, "migrate", "--no-input", "-v0")
    return url


def setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def fill(rows: int) -> None:
    """One member's rows, about `rows` of them, written in bulk (the source is no test)."""
    import datetime as dt
    import uuid

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from catalog.models import Movie, RaterKind, Rating, RatingSource, Review, ReviewSource
    from feedback.models import (
        FilmList,
        FilmListEntry,
        Media,
        UserFeedback,
        ViewingHistory,
        WatchlistEntry,
    )
    from recommendations.models import RecommendationLog

    count = {kind: int(rows * share) for kind, share in SHARES.items()}
    films = max(count["feedback"], count["ratings"], count["reviews"]) + count["watchlist"]
    member = get_user_model().objects.create_user(MEMBER)
    Movie.objects.bulk_create(
        Movie(title=f"Bench Film {n}", year=1950 + n % 70, tmdb_id=7_000_000 + n)
        for n in range(films)
    )
    movies = list(Movie.objects.order_by("pk"))
    watched, wished = movies[: films - count["watchlist"]], movies[films - count["watchlist"] :]
    Media.objects.bulk_create(
        Media(media_id=f"plex-{movie.pk}", title=movie.title, media_type="movie", movie=movie)
        for movie in watched
    )
    media = list(Media.objects.order_by("movie_id"))
    start = timezone.now() - dt.timedelta(days=3000)

    def moment(n: int) -> dt.datetime:
        return start + dt.timedelta(hours=n)

    UserFeedback.objects.bulk_create(
        UserFeedback(
            user=member, media=item, rating=1 + n % 5, watched_completion=True, timestamp=moment(n)
        )
        for n, item in enumerate(media[: count["feedback"]])
    )
    ViewingHistory.objects.bulk_create(
        ViewingHistory(
            user=member,
            media=media[n % len(media)],
            started_at=moment(n),
            minutes_watched=90,
            completed=n % 4 != 0,
        )
        for n in range(count["history"])
    )
    Rating.objects.bulk_create(
        Rating(
            user=member,
            rater_kind=RaterKind.USER,
            source=RatingSource.IMDB,
            movie=movie,
            value=1 + n % 10,
            scale_min=1,
            scale_max=10,
            rated_at=moment(n),
        )
        for n, movie in enumerate(watched[: count["ratings"]])
    )
    slots = ("primary", "backup", "wildcard")
    RecommendationLog.objects.bulk_create(
        RecommendationLog(
            user=member,
            media=media[n % len(media)],
            recommendation_type=slots[n % 3],
            slate_id=uuid.UUID(int=n // 3 + 1),
            selected=n % 3 == 0,
            score=0.5,
            reason="Because you liked a film",
            engine_version="bench",
            timestamp=moment(n),
        )
        for n in range(count["recommendations"])
    )
    Review.objects.bulk_create(
        Review(
            user=member,
            movie=movie,
            source=ReviewSource.USER,
            text=f"What I thought of {movie.title}.",
            posted_at=moment(n),
        )
        for n, movie in enumerate(watched[: count["reviews"]])
    )
    lists = FilmList.objects.bulk_create(
        FilmList(user=member, name=f"Bench list {n}") for n in range(10)
    )
    FilmListEntry.objects.bulk_create(
        FilmListEntry(film_list=lists[n % 10], movie=movies[n], position=n // 10 + 1)
        for n in range(count["list_entries"])
    )
    WatchlistEntry.objects.bulk_create(
        WatchlistEntry(user=member, movie=movie, added_at=timezone.now()) for movie in wished
    )


def timed_import(path: str, profile: str | None) -> None:
    """Import the export as a new member's, printing the seconds and queries as JSON."""
    from django.core.management import call_command
    from django.db import connection

    queries = []

    def counted(execute, sql, params, many, context):
        # Not CaptureQueriesContext: Django's log of queries keeps the last 9,000 only.
        queries.append(sql)
        return execute(sql, params, many, context)

    profiler = cProfile.Profile() if profile else None
    with connection.execute_wrapper(counted):
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        call_command("import_user_export", path, user=MEMBER, create_user=True, stdout=sys.stderr)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - began
    if profiler:
        profiler.dump_stats(profile)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        shapes = Counter(" ".join(sql.split()[:6]) for sql in queries)
        for shape, count in shapes.most_common(25):
            print(f"{count:7} {shape}", file=sys.stderr)
    print(json.dumps({"seconds": seconds, "queries": len(queries)}))


def child_import(url: str, path: Path, profile: str | None) -> dict:
    command = [sys.executable, __file__, "--child-import", str(path)]
    if profile:
        command += ["--profile", profile]
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(command, cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE)
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=17_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--profile", help="Write the first import's cProfile stats here.")
    parser.add_argument("--child-fill", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-import", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child_fill:
        setup_django()
        fill(options.rows)
        return
    if options.child_import:
        setup_django()
        timed_import(options.child_import, options.profile)
        return
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        source = fresh(options.database, SOURCE, directory)
        env = {**os.environ, "DATABASE_URL": source}
        fill_command = [sys.executable, __file__, "--child-fill", "--rows", str(options.rows)]
        subprocess.run(fill_command, cwd=BASE_DIR, env=env, check=True)
        export = directory / "export.json"
        manage(source, "export_user", MEMBER, "--output", str(export))
        document = json.loads(export.read_text())
        rows = sum(len(value) for value in document.values() if isinstance(value, list))
        target = fresh(options.database, TARGET, directory)
        first = child_import(target, export, options.profile)
        second = child_import(target, export, None)
        if options.database == "postgres":
            psql(f"DROP DATABASE IF EXISTS {SOURCE}")
            psql(f"DROP DATABASE IF EXISTS {TARGET}")
    print(f"| run ({options.database}) | rows | seconds | rows/s | queries |")
    print("|---|---:|---:|---:|---:|")
    for name, run in (("first import", first), ("second import", second)):
        rate = rows / run["seconds"]
        print(f"| {name} | {rows:,} | {run['seconds']:.1f} | {rate:,.0f} | {run['queries']:,} |")


if __name__ == "__main__":
    main()
