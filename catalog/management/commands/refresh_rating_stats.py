"""`manage.py refresh_rating_stats`: compute every film's rating stats again from its ratings.

Every write Marquee makes keeps MovieRatingStats right (docs/decisions/0004). This is for
ratings written around Marquee (raw SQL, a table loaded by hand), and it is safe to run
at any time: one transaction, and the pages read the old rows until it commits.
"""

from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from catalog.models import MovieRatingStats
from catalog.rating_stats import refresh_rating_stats
from config.data_commands import DataCommand


class Command(DataCommand):
    help = "Compute every film's votes and average again from its ratings."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                refresh_rating_stats()
        except DatabaseError as exc:
            raise CommandError(f"The stats were not changed: {exc}".splitlines()[0]) from None
        films = MovieRatingStats.objects.count()
        self.stdout.write(f"Rating stats computed for {films} film{'s' if films != 1 else ''}.")
