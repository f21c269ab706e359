"""How long "What people search for most" takes to read on the search page.

    .venv/bin/python bench/most_searched.py --database-url sqlite:////tmp/most_searched.sqlite3
    .venv/bin/python bench/most_searched.py \
        --database-url postgres://postgres@127.0.0.1:5432/marquee_bench_most_searched

Migrates the database, and fills it once (kept for the next run) with 200,000 logged
searches of 2,000 people over the last 90 days: 3,000 queries, a few asked often and most
rarely (Zipf), each typed in one of five spellings (as titled, lower case, upper case, a
phone's apostrophe, without accents), a tenth of them anonymous, a tenth finding nothing
and a fifth not naming a film. Then times `UserSearch.objects.most_searched()`, the list
the search page shows: one warm-up, then `--runs` timed reads; prints the median and the
slowest.

Run on a database filled by an older Marquee, it measures the same rows after the
migration that brings it up to date (timed once, and printed, when it ran).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHES, PEOPLE, QUERIES, DAYS = 200_000, 2_000, 3_000, 90
WORDS = ["amélie", "léon", "schindler's", "café", "noël", "häxan", "heat", "godfather"]
WORDS += ["alien", "blade", "runner"]


def setup_django(database_url: str) -> float:
    """Migrate the database; return how long the migrations took, in seconds."""
    if database_url.startswith("postgres"):
        sys.path.insert(0, str(ROOT / "bench"))
        from recommendations_data import create_database

        create_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    return time.perf_counter() - started


def spellings(title: str) -> list[str]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    return [title, title.lower(), title.upper(), title.replace("'", "’"), bare]


def fill(rng: random.Random) -> None:
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from catalog.models import UserSearch

    titles = [f"{rng.choice(WORDS).title()} {number}" for number in range(QUERIES)]
    weights = [1 / rank for rank in range(1, QUERIES + 1)]
    # Logged as they were then: the field would date every row now.
    UserSearch._meta.get_field("created_at").auto_now_add = False
    now = timezone.now()
    with transaction.atomic():
        UserSearch.objects.all().delete()
        User.objects.filter(username__startswith="searcher-").delete()
        people = User.objects.bulk_create(
            User(username=f"searcher-{number}") for number in range(PEOPLE)
        )
        for _batch in range(SEARCHES // 10_000):
            batch = []
            for title in rng.choices(titles, weights, k=10_000):
                batch.append(
                    UserSearch(
                        query=rng.choice(spellings(title)),
                        user=None if rng.random() < 0.1 else rng.choice(people),
                        results_count=0 if rng.random() < 0.1 else rng.randint(1, 40),
                        names_a_film=rng.random() >= 0.2,
                        created_at=now - dt.timedelta(seconds=rng.uniform(60, DAYS * 86_400 - 60)),
                    )
                )
            UserSearch.objects.bulk_create(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    migrated = setup_django(options.database_url)
    from django.db import connection

    from catalog.models import UserSearch

    if UserSearch.objects.count() != SEARCHES:
        fill(random.Random(7))
    elif migrated > 1:
        print(f"migrations: {migrated:.2f} s")
    # Statistics, and on PostgreSQL the pages marked all visible, as autovacuum leaves them
    # on a site in use: index-only scans then read no table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    list(UserSearch.objects.most_searched())  # warm-up: the connection open, pages cached
    seconds = []
    for _ in range(options.runs):
        started = time.perf_counter()
        rows = list(UserSearch.objects.most_searched())
        seconds.append(time.perf_counter() - started)
    shown = ", ".join(f"{row.get('query', row.get('folded'))} ({row['people']})" for row in rows)
    print(f"most searched: median {statistics.median(seconds):.3f} s, slowest {max(seconds):.3f} s")
    print(f"listed: {shown}")


if __name__ == "__main__":
    main()
