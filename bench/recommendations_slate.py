"""How long a slate takes for someone with 500 feedback rows over 100,000 films, on
PostgreSQL, and how many queries it runs.

    .venv/bin/python bench/recommendations_slate.py [--runs 200]
        [--database-url postgres://postgres@127.0.0.1:5432/marquee_bench_recs]

Uses (or makes, as recommendations_build.py does) the synthetic catalog of 100,000 films
and a million ratings, builds the neighbours if there are none, and gives the user
`bench-heavy-viewer` 500 feedback rows on films drawn from the 2,000 most loved (a heavy
viewer watches what others watch), with ratings from 1 to 5, some "would watch again".
Then it times, after a warm-up, `--runs` calls of each entry point, in process:

- `slate_for_user(user, log=False)`: the engine alone;
- `slate_for_user(user)`: what the page does, logging the slate (three rows, one
  transaction) and avoiding the last three slates;
- `rank_for_user(user, limit=20)`.

Prints the median, 95th percentile and maximum of each, the queries per call, and the
slowest queries of one slate.
"""

import argparse
import random
import statistics
import time

from recommendations_data import DEFAULT_URL, ensure_catalog, percentile, setup_django

USERNAME = "bench-heavy-viewer"
FEEDBACK_ROWS = 500


def heavy_viewer():
    from django.contrib.auth import get_user_model

    from feedback.models import Media, UserFeedback
    from recommendations.models import MoviePrior, RecommendationLog

    User = get_user_model()
    user, _ = User.objects.get_or_create(username=USERNAME)
    RecommendationLog.objects.filter(user=user).delete()
    if UserFeedback.objects.filter(user=user).count() == FEEDBACK_ROWS:
        return user
    UserFeedback.objects.filter(user=user).delete()
    loved = list(
        MoviePrior.objects.order_by("-positive_count", "movie_id").values_list(
            "movie_id", "movie__title"
        )[:2000]
    )
    chosen = random.Random(500).sample(loved, FEEDBACK_ROWS)
    Media.objects.bulk_create(
        [
            Media(media_id=f"bench:{movie_id}", title=title, media_type="movie", movie_id=movie_id)
            for movie_id, title in chosen
        ],
        ignore_conflicts=True,
    )
    draw = random.Random(501)
    UserFeedback.objects.bulk_create(
        [
            UserFeedback(
                user=user,
                media_id=f"bench:{movie_id}",
                rating=draw.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, None]),
                would_watch_again=draw.choice([True, None, None, False]),
                watched_completion=True,
            )
            for movie_id, _ in chosen
        ]
    )
    return user


def timed(call, runs: int) -> list[float]:
    for _ in range(5):
        call()  # warm-up: connection, caches, the first media items
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()

    setup_django(args.database_url)
    ensure_catalog(movies=100_000, users=10_000, ratings=1_000_000, seed=7)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Movie
    from recommendations.models import MovieSimilarity
    from recommendations.services import rank_for_user, similarities_build, slate_for_user

    if not MovieSimilarity.objects.exists():
        print("Building the neighbours first...")
        similarities_build()
    user = heavy_viewer()
    print(
        f"{Movie.objects.count()} movies, {MovieSimilarity.objects.count()} neighbour rows; "
        f"{USERNAME} has {user.feedback.count()} feedback rows"
    )

    calls = {
        "slate_for_user(log=False)": lambda: slate_for_user(user, log=False),
        "slate_for_user() (logged)": lambda: slate_for_user(user),
        "rank_for_user(limit=20)": lambda: rank_for_user(user, limit=20),
    }
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as queries:
            call()
        times = timed(call, args.runs)
        print(
            f"{name}: {len(queries)} queries; over {args.runs} runs median "
            f"{statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
            f"max {max(times):.1f} ms"
        )

    with CaptureQueriesContext(connection) as queries:
        picks = slate_for_user(user, log=False).picks
    print("\nOne slate:", "; ".join(f"{p.title} ({p.reason})" for p in picks))
    print("Its slowest queries:")
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]:
        print(f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:110]}")


if __name__ == "__main__":
    main()
