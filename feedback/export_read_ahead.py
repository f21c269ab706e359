"""What the rows of an export look up, read ahead (feedback/export_import.py's Importer):
a few queries a file rather than one a row. The person's rows of each kind, found by the
columns each row is matched by, are kept up to date by the importer as it writes rows:
an import is one transaction, and its own writer.
"""

import uuid
from collections import defaultdict
from datetime import datetime
from functools import cached_property
from itertools import batched

from catalog.importers.writing import IN_LIST_SIZE
from catalog.models import RaterKind, Rating
from feedback.models import Media, NotInterested, UserFeedback, ViewingHistory, WatchlistEntry
from feedback.watchlist import last_watchings
from recommendations.models import RecommendationLog

# The kinds of rows that name a media item.
MEDIA_KINDS = ("feedback", "history", "recommendations")


class ReadAhead:
    """The person's rows and the file's items and slates; Importer sets the attributes
    read here (user, stored_media, slates)."""

    def read_ahead(self, rows: dict[str, list[dict]]) -> None:
        """Read the media items the file names, and which of its slates are another
        person's here, before any row is written."""
        media_ids = {row["media_id"] for kind in MEDIA_KINDS for row in rows[kind]} - {None}
        # The import keys the file's viewings carry: each is its own row's (Importer.viewing).
        self.file_import_keys = {row.get("import_key") for row in rows["history"]} - {None, ""}
        for chunk in batched(sorted(media_ids), IN_LIST_SIZE):
            items = Media.objects.select_related("movie").filter(media_id__in=chunk)
            self.stored_media.update((media.media_id, media) for media in items)
        slate_ids = {row["slate_id"] for row in rows["recommendations"]} - {None}
        for chunk in batched(sorted(slate_ids), IN_LIST_SIZE):
            taken = RecommendationLog.objects.filter(slate_id__in=chunk).exclude(user=self.user)
            taken_ids = set(taken.values_list("slate_id", flat=True))
            for slate_id in chunk:
                here = (
                    uuid.uuid5(slate_id, str(self.user.pk)) if slate_id in taken_ids else slate_id
                )
                self.slates[slate_id] = here

    @cached_property
    def feedback_here(self) -> dict[str, UserFeedback]:
        """The person's feedback, by its item's id."""
        return {feedback.media_id: feedback for feedback in self.user.feedback.all()}

    @cached_property
    def viewings_here(self) -> defaultdict[tuple[str, datetime], list[ViewingHistory]]:
        """The person's viewings by item and start, oldest first (unclaimed_viewings)."""
        viewings = defaultdict(list)
        for viewing in self.user.viewing_history.order_by("id"):
            viewings[viewing.media_id, viewing.started_at].append(viewing)
        return viewings

    @cached_property
    def viewings_by_key(self) -> dict[str, ViewingHistory]:
        """The person's viewings that hold an import key, by it: read before any row
        claims one (Importer.viewing), from viewings_here, for no query more."""
        return {
            viewing.import_key: viewing
            for viewings in self.viewings_here.values()
            for viewing in viewings
            if viewing.import_key
        }

    @cached_property
    def ratings_here(self) -> dict[tuple[int, str], Rating]:
        """The person's ratings, by film and source."""
        ratings = Rating.objects.filter(rater_kind=RaterKind.USER, user=self.user)
        return {(rating.movie_id, rating.source): rating for rating in ratings}

    @cached_property
    def recommendations_here(self) -> dict[tuple[uuid.UUID, str], RecommendationLog]:
        """The picks shown to the person, by slate and slot."""
        picks = RecommendationLog.objects.filter(user=self.user)
        return {(pick.slate_id, pick.recommendation_type): pick for pick in picks}

    @cached_property
    def films_on_watchlist(self) -> set[int]:
        """The films on the person's watchlist before the import: the films a viewing or
        feedback can take off it. A film the import takes off leaves the set."""
        return set(self.user.watchlist_entries.values_list("movie_id", flat=True))

    @cached_property
    def watchlist_here(self) -> dict[int, WatchlistEntry]:
        """The person's watchlist entries by film, read when the export's watchlist is
        written: after the viewings, feedback and reviews that took films off it."""
        return {entry.movie_id: entry for entry in self.user.watchlist_entries.all()}

    @cached_property
    def not_interested_here(self) -> dict[int, NotInterested]:
        """The films the person turned down, by film."""
        return {row.movie_id: row for row in self.user.films_not_interested.all()}

    @cached_property
    def last_watched(self) -> dict[int, datetime]:
        """When the person last watched each film (watched_since), read with the watchlist."""
        return last_watchings(user=self.user)
