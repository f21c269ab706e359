"""`manage.py evaluate_recommendations [--min-positives 5] [--json]`: how often the
engine finds the film each rater loved last, beside popularity and the damped average.

Leave-last-out on whatever the database holds (see recommendations/engine/evaluation.py
and docs/recommendations.md). It learns in memory and writes nothing.
"""

import json
import time

from django.core.management.base import CommandError

from config.data_commands import DataCommand
from recommendations.engine import ENGINE_VERSION
from recommendations.engine.evaluation import DEFAULT_MIN_POSITIVES, evaluate

COLUMNS = (
    ("HR@3", "hits_at_3"),
    ("HR@10", "hits_at_10"),
    ("NDCG@10", "ndcg_at_10"),
    ("coverage@10", "coverage"),
)


def lift(engine: float, baseline: float) -> str:
    if baseline == 0:
        return "∞" if engine > 0 else "1.0"
    return f"{engine / baseline:.1f}"


class Command(DataCommand):
    help = "Leave-last-out evaluation of the engine against popularity and damped average."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-positives",
            type=int,
            default=DEFAULT_MIN_POSITIVES,
            help=f"Evaluate raters with this many positives or more "
            f"(default {DEFAULT_MIN_POSITIVES}).",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the figures as JSON."
        )

    def handle(self, *args, min_positives, as_json: bool = False, **options):
        if min_positives < 2:
            raise CommandError(
                "--min-positives must be at least 2: one to hide, one to learn from."
            )
        started = time.perf_counter()
        report = evaluate(min_positives=min_positives)
        if not report.raters:
            raise CommandError(
                f"No rater has {min_positives} positive ratings to evaluate on: "
                "import or give some ratings first."
            )
        figures = {
            method: {name: report.rate(method, key) for name, key in COLUMNS}
            for method in report.methods
        }
        figures["engine"]["slate hit rate"] = report.rate("engine", "slate_hits")
        seconds = time.perf_counter() - started
        if as_json:
            self.stdout.write(
                dumps(
                    {
                        "engine_version": ENGINE_VERSION,
                        "raters": report.raters,
                        "catalog": report.catalog,
                        "methods": figures,
                        "picks_with_reason": report.picks_with_reason,
                        "picks": report.picks,
                        "seconds": round(seconds, 1),
                    }
                )
            )
            return
        self.write_table(report, figures, seconds)

    def write_table(self, report, figures, seconds):
        out = self.stdout.write
        out(
            f"Leave-last-out on {report.raters} raters, catalog of {report.catalog} films "
            f"(engine {ENGINE_VERSION}, {seconds:.1f}s)"
        )
        header = f"{'method':<16}" + "".join(f"{name:>13}" for name, _ in COLUMNS)
        out(header)
        out("-" * len(header))
        for method, values in figures.items():
            cells = "".join(
                f"{values[name]:>13.4f}" if name == "NDCG@10" else f"{values[name]:>13.1%}"
                for name, _ in COLUMNS
            )
            out(f"{method:<16}{cells}")
        engine, popularity = figures["engine"], figures["popularity"]
        out(
            f"Engine: {lift(engine['HR@10'], popularity['HR@10'])}× popularity at 10 "
            f"({engine['HR@10']:.1%} vs {popularity['HR@10']:.1%}), "
            f"{lift(engine['HR@3'], popularity['HR@3'])}× at 3 "
            f"({engine['HR@3']:.1%} vs {popularity['HR@3']:.1%})."
        )
        out(
            f"The slate itself (primary, backup, wildcard) holds the hidden film for "
            f"{engine['slate hit rate']:.1%} of raters; "
            f"{report.picks_with_reason} of {report.picks} picks carry a reason."
        )


def dumps(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True)
