"""Shared set-up of the recommendation benchmarks: a PostgreSQL database holding a
MovieLens-format catalog made by synthetic_movielens.py and loaded by import_movielens.

Not a benchmark itself: recommendations_slate.py and recommendations_build.py use it.
"""

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/marquee_bench_recs"


def setup_django(database_url: str) -> None:
    """Point Django at the benchmark database, creating and migrating it if needed."""
    create_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # Timings as in production: no query log kept on every cursor.
    settings.DEBUG = False


def create_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("The recommendation benchmarks run on PostgreSQL: give a postgres:// URL.")
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def ensure_catalog(*, movies: int, users: int, ratings: int, seed: int) -> None:
    """Generate and import the synthetic data set unless the database already holds it."""
    from catalog.models import Movie, Rating

    have_movies, have_ratings = Movie.objects.count(), Rating.objects.count()
    if have_movies >= movies and have_ratings >= ratings:
        print(f"Using the {have_movies} movies and {have_ratings} ratings already loaded.")
    elif have_movies:
        raise SystemExit(
            f"The database holds {have_movies} movies and {have_ratings} ratings, not the "
            f"{movies} and {ratings} asked for: use an empty database (or drop this one)."
        )
    else:
        load_synthetic(movies=movies, users=users, ratings=ratings, seed=seed)
    # Planner statistics for every table: autovacuum may be off (it is on the project's
    # machine), and without them PostgreSQL guesses every plan.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def load_synthetic(*, movies: int, users: int, ratings: int, seed: int) -> None:
    from django.core.management import call_command

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic_movielens import Shape, generate

    with tempfile.TemporaryDirectory() as directory:
        print(f"Generating {movies} movies, {users} raters, {ratings} ratings (seed {seed})...")
        generate(Path(directory), Shape(users=users, movies=movies, ratings=ratings, seed=seed))
        print("Importing them with manage.py import_movielens...")
        call_command("import_movielens", directory, no_progress=True, verbosity=0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
