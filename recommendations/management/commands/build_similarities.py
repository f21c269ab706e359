"""`manage.py build_similarities`: relearn every movie's neighbours and prior from
everyone's ratings, replacing the stored ones in one transaction.

Run it after an import (or nightly): recommendations read what it stores. On a million
ratings it takes well under a minute (docs/benchmarks.md).
"""

import time

from django.core.management.base import CommandError
from django.db import DatabaseError

from config.data_commands import DataCommand
from recommendations.engine import ENGINE_VERSION
from recommendations.services import BuildSummary, similarities_build


class Command(DataCommand):
    help = "Rebuild the movie neighbours and priors from every rater's ratings."

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            summary = similarities_build()
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"Could not rebuild the similarities: {reason}") from None
        if options["verbosity"] == 0:  # cron mails whatever a job prints
            return
        self.stdout.write(
            f"{what_was_learnt(summary)} "
            f"(engine {ENGINE_VERSION}, {time.perf_counter() - started:.1f}s: "
            + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in summary.timings.items())
            + ")."
        )


def what_was_learnt(summary: BuildSummary) -> str:
    # A new install, or one that imported films only, has nothing to learn neighbours
    # from: say so, rather than "0 neighbours", so that nobody hunts for a fault.
    if summary.positives:
        learnt = (
            f"Learnt from {summary.positives} positive ratings: {summary.neighbours} "
            f"neighbours for {summary.movies} movies, priors for {summary.priors} movies"
        )
    elif summary.priors:
        learnt = (
            f"No positive ratings to learn neighbours from yet; priors for {summary.priors} movies"
        )
    else:
        return "No positive ratings to learn neighbours from yet, and no films to learn a prior for"
    # Every film gets a prior, so the count is the catalog's: say how many of them the
    # engine knew nothing of, which a count one short of the catalog once hid.
    if summary.neutral_priors:
        learnt += (
            f" ({summary.neutral_priors} with no rating or popularity figure: the neutral prior)"
        )
    return learnt
