"""How fast `import_movielens` writes ratings into PostgreSQL, next to a bare COPY.

    .venv/bin/python bench/import_movielens.py [--ratings 1000000] [--small 250000]
        [--movies 10000] [--raters 7000] [--batch-size 20000] [--keep DIR]

For each size (`--small`, then `--ratings`) it generates a MovieLens-format directory
(movies.csv, links.csv, ratings.csv sorted by rater as MovieLens sorts it, tags.csv) in
a temporary directory, recreates the database `marquee_bench_imports`, migrates it, and
runs the import in a child process of its own, so that the child's peak RSS is the
import's alone. In the same run it COPYs the same ratings.csv into a bare table (no
index, no constraint) of the same database: the floor any import can approach. Then it
runs the import a second time (nothing to change: the idempotent re-run).

Prints a Markdown table: ratings a second (over the ratings phase and over the whole
import), the ratio to COPY, and the peak RSS of each size, which shows whether memory
stays flat as the file grows. PostgreSQL on 127.0.0.1:5432, user postgres, trust auth,
or set BENCH_PG_URL to another server (its database name is replaced).
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = "marquee_bench_imports"
SERVER_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
GENRES = [
    *("Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary"),
    *("Drama", "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance"),
    *("Sci-Fi", "Thriller", "War", "Western"),
]
FIRST_TIME, LAST_TIME = 820_454_400, 1_535_760_000  # MovieLens' span, 1996 to 2018


def database_url(name: str) -> str:
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def generate(directory: Path, *, ratings: int, movies: int, raters: int, seed: int = 7):
    """A MovieLens-shaped directory; deterministic for a seed."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "movies.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movieId", "title", "genres"])
        for movie in range(1, movies + 1):
            title = f"Synthetic Film {movie}, The ({1930 + movie % 90})"
            writer.writerow([movie, title, "|".join(rng.sample(GENRES, 1 + movie % 3))])
    with open(directory / "links.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movieId", "imdbId", "tmdbId"])
        for movie in range(1, movies + 1):
            # Ids in ranges no real film uses.
            writer.writerow([movie, f"{9_100_000 + movie:07d}", 5_000_000 + movie])
    per_rater = [ratings // raters] * raters
    for extra in range(ratings - sum(per_rater)):
        per_rater[extra] += 1
    with open(directory / "ratings.csv", "w", encoding="utf-8") as handle:
        handle.write("userId,movieId,rating,timestamp\n")
        for rater, count in enumerate(per_rater, start=1):
            chosen = sorted(rng.sample(range(1, movies + 1), count))
            handle.writelines(
                f"{rater},{movie},{rng.randint(1, 10) / 2:.1f},"
                f"{rng.randint(FIRST_TIME, LAST_TIME)}\n"
                for movie in chosen
            )
    with open(directory / "tags.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["userId", "movieId", "tag", "timestamp"])
        for index in range(ratings // 100):
            writer.writerow(
                [1 + index % raters, 1 + index % movies, f"tag {index % 50}", 1_000_000_000]
            )


def psql(sql: str, database: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(database_url(database), autocommit=True) as connection:
        connection.execute(sql)


def recreate_database() -> None:
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    env = {**os.environ, "DATABASE_URL": database_url(DATABASE), "DJANGO_DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def copy_baseline(ratings_csv: Path) -> float:
    """Seconds for PostgreSQL's own COPY of ratings.csv into a bare table."""
    import psycopg

    with psycopg.connect(database_url(DATABASE), autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_copy_ratings")
        connection.execute(
            "CREATE TABLE bench_copy_ratings "
            "(user_id integer, movie_id integer, rating real, rated_at bigint)"
        )
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY bench_copy_ratings FROM STDIN (FORMAT csv, HEADER true)") as copy,
            open(ratings_csv, "rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_copy_ratings")
    return elapsed


def copy_into_catalog_rating(ratings_csv: Path) -> float:
    """Seconds for COPY of the same ratings straight into catalog_rating, emptied first.

    The floor for this schema: the real table's indexes, checks and foreign key, and no
    import logic at all. Run after the imports, which created the films it points at.
    """
    import psycopg

    with psycopg.connect(database_url(DATABASE)) as connection:
        pks = dict(connection.execute("SELECT tmdb_id - 5000000, id FROM catalog_movie"))
        lines = []
        with open(ratings_csv, encoding="utf-8") as handle:
            next(handle)
            for line in handle:
                user, movie, value, timestamp = line.rstrip("\n").split(",")
                moment = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(int(timestamp)))
                lines.append(
                    f"{pks[int(movie)]}\tmovielens\texternal\t{user}\t{value}\t0.5\t5\t{moment}\n"
                )
        connection.execute("DELETE FROM catalog_rating")
        connection.commit()
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY catalog_rating (movie_id, source, rater_kind, external_rater_id, value, "
                "scale_min, scale_max, rated_at) FROM STDIN"
            ) as copy,
        ):
            for start in range(0, len(lines), 20_000):
                copy.write("".join(lines[start : start + 20_000]))
        connection.commit()  # the deferred foreign-key checks run here
        return time.perf_counter() - started


def run_child(directory: Path, batch_size: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(DATABASE), "DJANGO_DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(directory), "--batch-size", str(batch_size)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(directory: Path, batch_size: int) -> None:
    """Run in its own process: the import, timed, with its own peak RSS."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from catalog.importers import movielens_ratings
    from catalog.importers.movielens import import_movielens
    from catalog.importers.report import ImportReport

    phases = {}
    real_import_ratings = movielens_ratings.import_ratings

    def timed_import_ratings(*args, **kwargs):
        started = time.perf_counter()
        real_import_ratings(*args, **kwargs)
        phases["ratings"] = time.perf_counter() - started

    movielens_ratings.import_ratings = timed_import_ratings
    report = ImportReport()
    started = time.perf_counter()
    import_movielens(directory, report=report, batch_size=batch_size)
    total = time.perf_counter() - started
    counts = report["ratings"]
    print(
        json.dumps(
            {
                "total_seconds": total,
                "ratings_seconds": phases["ratings"],
                "created": counts.created,
                "skipped": counts.skipped,
                "rejected": report.rejected_total,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=250_000)
    parser.add_argument("--movies", type=int, default=10_000)
    parser.add_argument("--raters", type=int, default=7_000)
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="Generate into this directory and keep it.")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.batch_size)
        return

    rows = []
    with tempfile.TemporaryDirectory(prefix="marquee-bench-") as scratch:
        root = args.keep or Path(scratch)
        for size in (args.small, args.ratings):
            directory = root / f"ml-{size}"
            generate(directory, ratings=size, movies=args.movies, raters=args.raters)
            recreate_database()
            copy_seconds = copy_baseline(directory / "ratings.csv")
            first = run_child(directory, args.batch_size)
            again = run_child(directory, args.batch_size)
            assert (first["created"], first["rejected"]) == (size, 0), first
            assert (again["created"], again["skipped"]) == (0, size), again
            floor_seconds = copy_into_catalog_rating(directory / "ratings.csv")
            rows.append((size, copy_seconds, floor_seconds, first, again))
            print(f"{size:,} ratings done", file=sys.stderr)

    print(f"batch size {args.batch_size:,}, {args.movies:,} movies, {args.raters:,} raters\n")
    print(
        "| ratings | COPY, bare table | COPY into catalog_rating | import: ratings phase "
        "| ratings/s | × bare COPY | × catalog_rating COPY | whole import "
        "| re-run (no change) | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size, copy_seconds, floor_seconds, first, again in rows:
        ratings_seconds = first["ratings_seconds"]
        print(
            f"| {size:,} | {copy_seconds:.2f} s | {floor_seconds:.2f} s "
            f"| {ratings_seconds:.2f} s | {size / ratings_seconds:,.0f} "
            f"| {ratings_seconds / copy_seconds:.1f}× | {ratings_seconds / floor_seconds:.1f}× "
            f"| {first['total_seconds']:.2f} s | {again['total_seconds']:.2f} s "
            f"| {first['peak_rss_mb']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
