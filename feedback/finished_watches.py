"""The rule by which a finished watch makes a person's feedback on an item say
"watched to completion": the site's finished viewings (feedback.services,
viewing_feedback_follows) and the imports' watched films (feedback/letterboxd_import.py,
which the IMDb and Trakt imports share) follow it alike."""

from enum import StrEnum

from feedback.models import UserFeedback


class FinishedWatch(StrEnum):
    """What a finished watch did to the person's feedback on the item (finished_watch_said)."""

    ALREADY_SAID = "already said"  # finished, or "did not finish" said since: it stands
    MARKED = "marked"  # nothing said of it: now watched to the end
    FINISHED_SINCE = "finished since"  # an older "did not finish" gave way


def finished_watch_said(
    feedback: UserFeedback, *, watched_at, last_watched_at, said_since: bool
) -> FinishedWatch:
    """The rule by which a finished watch makes feedback say "watched to completion",
    applied to `feedback` (saved or not; a new row has no timestamp), for the site's
    finished viewings and the imports' watched films alike.

    Watched to the end, unless the feedback says something of it already: that the
    person finished it, or that they did not, said at the latest watch (`said_since`,
    which the caller decides: by the day for a file that keeps no time, by the moment
    here) or later. "Did not finish" said before that is what they said then: the newer
    wins, as for ratings. A new row is dated by the watch that says so (`watched_at`),
    one whose "did not finish" gives way by the latest watch (`last_watched_at`); other
    feedback keeps its own date.
    """
    finished_since = feedback.watched_completion is False and not said_since
    if feedback.watched_completion is not None and not finished_since:
        return FinishedWatch.ALREADY_SAID
    feedback.watched_completion = True
    if feedback.timestamp is None:
        feedback.timestamp = watched_at
    elif finished_since:
        feedback.timestamp = max(feedback.timestamp, last_watched_at)
    return FinishedWatch.FINISHED_SINCE if finished_since else FinishedWatch.MARKED
