"""How long `manage.py build_similarities` takes over a million ratings, on PostgreSQL.

    .venv/bin/python bench/recommendations_build.py [--runs 3]
        [--database-url postgres://postgres@127.0.0.1:5432/marquee_bench_recs]
        [--movies 100000] [--users 10000] [--ratings 1000000] [--seed 7]

The first run generates a MovieLens-format data set (bench/synthetic_movielens.py: a
catalog of 100,000 films, 10,000 raters, a million ratings with a heavy popularity skew)
and imports it with `manage.py import_movielens`; later runs reuse it. Then it runs
`similarities_build()` (what the command runs: the rebuild, then a VACUUM) `--runs`
times and prints the median and 95th percentile, with where the time goes (reading,
learning, writing, refreshing statistics, vacuuming).
"""

import argparse
import statistics
import time

from recommendations_data import DEFAULT_URL, ensure_catalog, percentile, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--movies", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    setup_django(args.database_url)
    ensure_catalog(movies=args.movies, users=args.users, ratings=args.ratings, seed=args.seed)
    from recommendations.services import similarities_build

    totals, parts = [], []
    for run in range(args.runs):
        started = time.perf_counter()
        summary = similarities_build()
        totals.append(time.perf_counter() - started)
        parts.append(summary.timings)
        print(
            f"run {run + 1}: {totals[-1]:.1f}s "
            + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in summary.timings.items())
        )
    print(
        f"\n{summary.positives} positive ratings -> {summary.neighbours} neighbours of "
        f"{summary.movies} movies, {summary.priors} priors"
    )
    print(
        f"build_similarities over {args.ratings} ratings, {args.runs} runs: "
        f"median {statistics.median(totals):.1f}s, p95 {percentile(totals, 0.95):.1f}s"
    )
    for name in parts[0]:
        print(f"  {name}: median {statistics.median(p[name] for p in parts):.1f}s")


if __name__ == "__main__":
    main()
