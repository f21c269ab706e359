"""An export's reviews written back (feedback/export_import.py's Importer).

A review is the person's one review of its film, made by review_written as review_save
makes it on the film's page, so that its rules hold (not blank, at most 10,000
characters, an edit not before the posting), with the export's dates, so that a review
edited since the export is put back as it was. The person's reviews are read once, each
row is validated without a query (feedback/export_validation.py), and the new and
changed reviews are saved together, then take their films off the watchlist by
review_save's rule: a few queries for all of them rather than some twenty each.
"""

from functools import cached_property
from itertools import batched

from django.utils import timezone

from catalog.importers.writing import IN_LIST_SIZE
from catalog.models import Review
from catalog.reviews import review_written
from feedback.export_reading import ExportFormatError
from feedback.export_validation import checked
from feedback.models import WatchlistEntry
from feedback.services_locks import lock_person

# The rules validation leaves to the database, the importer having checked them in memory:
# the person's one review of a film (it found their review of the film in reviews_here),
# and the text's, which Review.clean() holds in Python with the same words.
REVIEW_RULES_IN_MEMORY = {
    "catalog_review_one_per_member_per_film",
    "catalog_review_member_text_not_blank",
    "catalog_review_member_text_length",
}
REVIEW_FIELDS_WRITTEN = [
    "text",
    "contains_spoilers",
    "posted_at",
    "edited_at",
    "sentiment_score",
    "sentiment_label",
]
INSERT_BATCH_SIZE = 1000


class ReviewsImport:
    """Importer's reviews; Importer sets the attributes read here (user, counts,
    films_on_watchlist) and gives movie()."""

    @cached_property
    def reviews_here(self) -> dict[int, Review]:
        """The person's reviews by film, kept up to date as rows are written."""
        return {review.movie_id: review for review in Review.objects.filter(user=self.user)}

    @cached_property
    def reviews_to_save(self) -> dict[int, Review]:
        """The reviews the rows made or changed, by film: saved by reviews_save."""
        return {}

    def review(self, row: dict, where: str) -> None:
        """The person's review of the film, as the export has it, dates included."""
        movie = self.movie(row, where)
        if movie is None:
            raise ExportFormatError(f"{where}: a review names its film")
        current = self.reviews_here.get(movie.pk)
        # A review without a date in the file keeps the one it has here, or is posted now.
        posted_at = row["posted_at"] or (current and current.posted_at) or timezone.now()
        review = review_written(
            current,
            user=self.user,
            movie=movie,
            text=row["text"],
            contains_spoilers=bool(row["contains_spoilers"]),
            posted_at=posted_at,
            edited_at=row["edited_at"],
        )
        if review is None:
            self.counts.unchanged["reviews"] += 1
            return
        checked(review, where, held=REVIEW_RULES_IN_MEMORY)
        (self.counts.created if current is None else self.counts.updated)["reviews"] += 1
        self.reviews_here[movie.pk] = self.reviews_to_save[movie.pk] = review

    def reviews_save(self) -> None:
        """Insert the new reviews and update the changed ones, a query for each thousand;
        then review_save's rule of the watchlist for all of them."""
        reviews = list(self.reviews_to_save.values())
        self.reviews_to_save.clear()
        new = [review for review in reviews if review._state.adding]
        changed = [review for review in reviews if not review._state.adding]
        Review.objects.bulk_create(new, batch_size=INSERT_BATCH_SIZE)
        Review.objects.bulk_update(changed, REVIEW_FIELDS_WRITTEN, batch_size=INSERT_BATCH_SIZE)
        self.watchlist_after_reviews(reviews)

    def watchlist_after_reviews(self, reviews: list[Review]) -> None:
        """review_save's watchlist_watched for each review written: a film the person put
        on their watchlist before the review was first posted leaves it. Only the films on
        it before the import can be (films_on_watchlist): its own come after the reviews."""
        posted = {
            review.movie_id: review.posted_at
            for review in reviews
            if review.movie_id in self.films_on_watchlist
        }
        if not posted:
            return
        # As review_save: an add to the watchlist sent meanwhile takes turns with this.
        lock_person(self.user)
        for films in batched(sorted(posted), IN_LIST_SIZE):
            entries = WatchlistEntry.objects.filter(user=self.user, movie_id__in=films)
            watched = {
                pk: movie_id
                for pk, movie_id, added_at in entries.values_list("pk", "movie_id", "added_at")
                if added_at <= posted[movie_id]
            }
            WatchlistEntry.objects.filter(pk__in=watched).delete()
            self.films_on_watchlist.difference_update(watched.values())
