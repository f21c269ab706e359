"""What counts as having watched a film, stated once: a viewing watched to the end,
feedback that does not say "did not finish", or a review the person wrote (the
watchlist's docstring, feedback/watchlist.py, says why each counts). The watchlist, the
film lists' Seen (catalog.querysets.films_seen_by), the stats, the imports and the
recommendation engine all read these; none restates them.

Where readers differ, they do on purpose, and say so where they do: the engine and the
film lists' Seen count a rating as seen too (catalog.querysets.films_seen_or_rated_by),
the watchlist and the stats do not. A review staff entered without a date is seen, but
says nothing of when: what asks when (the watchlist, the imports) passes it over.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.apps import apps
from django.db.models import Q, QuerySet

# A viewing watched to the end; one stopped part way is a film started, still to be seen.
VIEWING_FINISHED = Q(completed=True)
# Feedback saying the person saw the film: all but "did not finish". A rating alone, or
# "would watch again" alone, counts, as on Letterboxd.
FEEDBACK_SAYS_WATCHED = Q(watched_completion__isnull=True) | Q(watched_completion=True)
# Its complement, feedback saying the person gave up part way.
FEEDBACK_SAYS_NOT_FINISHED = Q(watched_completion=False)


def says_watched(watched_completion: bool | None) -> bool:
    """FEEDBACK_SAYS_WATCHED, for feedback read already (its watched_completion)."""
    return watched_completion is not False


@dataclass(frozen=True)
class Watching:
    """One kind of row that says a person watched a film: the rows, the field that names
    the film, and the one that dates the watching."""

    rows: QuerySet
    film: str
    at: str


class Watchings(NamedTuple):
    viewings: Watching
    feedback: Watching
    reviews: Watching


def watchings(user) -> Watchings:
    """The person's rows that say they watched a film, of each kind, films only (an item
    matched to no film, an episode, names none: NOT IN over a list holding NULL is never
    true)."""
    ViewingHistory = apps.get_model("feedback", "ViewingHistory")
    UserFeedback = apps.get_model("feedback", "UserFeedback")
    Review = apps.get_model("catalog", "Review")
    theirs = {"user": user, "media__movie__isnull": False}
    return Watchings(
        viewings=Watching(
            ViewingHistory.objects.finished().filter(**theirs), "media__movie_id", "started_at"
        ),
        feedback=Watching(
            UserFeedback.objects.saying_watched().filter(**theirs), "media__movie_id", "timestamp"
        ),
        reviews=Watching(Review.objects.filter(user=user), "movie_id", "posted_at"),  # never NULL
    )
