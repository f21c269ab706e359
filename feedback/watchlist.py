"""Writes of the watchlist: a film put on it, taken off it, and taken off once watched.

The pages and the import of an export call these, and so do the writes of viewings,
feedback (feedback/services.py) and reviews (catalog/reviews.py), and the admin's writes of
all three (feedback/admin.py, catalog/admin.py): saying you watched a film takes it off
your watchlist, in the same transaction, as on Letterboxd.

What counts as having watched it, as Letterboxd and Trakt users expect: a viewing watched
to the end, feedback that does not say the person stopped part way, or a review they
wrote. A viewing not finished (someone stopped half way) and feedback that says "did not
finish" leave the film on the list: it is still to be seen. A rating alone (stars,
finishing not said) takes it off, as on Letterboxd, where rating a film marks it
watched: people rate what they saw, and someone who gave up says so. "Would watch again"
alone counts the same, and so does a review, whatever it says: on Letterboxd and Trakt
reviewing a film logs it as watched. feedback.watched states the rule for the code.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from catalog.models import Movie
from feedback.models import UserFeedback, ViewingHistory, WatchlistEntry
from feedback.not_interested import not_interested_lifted
from feedback.services_locks import lock_person, save_once
from feedback.watched import says_watched, watchings


@transaction.atomic
def watchlist_add(*, user, movie: Movie) -> tuple[WatchlistEntry, bool]:
    """Put the film on the person's watchlist: its entry, and whether it is new. Asked
    twice (a double click, a second tab), the second request finds the first's entry,
    race or not (save_once).

    Added while the film is watched in another tab, the two take turns on the person's
    row, as the watchings do (lock_person): the later one sees the other's row. Without
    it the watching's clean-up ran before the add committed, and left a film watched
    after it was added on the list. The entry is dated once the turn is taken, so it
    never comes before a watching that committed ahead of it.

    A film the person turned down is wanted after all: the "not interested" is lifted
    (feedback.not_interested), and the entry says so (lifted_not_interested).
    """
    lock_person(user)
    lifted = not_interested_lifted(user=user, movie_id=movie.pk)
    entry, added = save_once(WatchlistEntry, user=user, movie=movie)
    entry.lifted_not_interested = lifted
    return entry, added


@transaction.atomic
def watchlist_remove(*, user, movie: Movie) -> bool:
    """Take the film off the person's watchlist; False if it was not on it."""
    deleted, _ = WatchlistEntry.objects.filter(user=user, movie=movie).delete()
    return bool(deleted)


def watchlist_watched(*, user, movie_id: int | None, watched_at) -> bool:
    """The person watched the film at `watched_at` (a viewing that started then, feedback
    given then, or a review first posted then): take it off their watchlist if they put
    it there before. An
    entry added after that (to see the film again) is a wish still to come true, and
    stays. False if nothing was taken off. Runs in the caller's transaction.
    """
    if movie_id is None:  # an episode, or any item matched to no film
        return False
    deleted, _ = WatchlistEntry.objects.filter(
        user=user, movie_id=movie_id, added_at__lte=watched_at
    ).delete()
    return bool(deleted)


def watchlist_viewing_saved(*, user, movie_id: int | None, started_at, completed: bool) -> bool:
    """A viewing recorded or corrected: if finished, the watching the list awaited
    (watchlist_watched); one stopped part way leaves the film on. Runs in the caller's
    transaction."""
    if not completed:
        return False
    return watchlist_watched(user=user, movie_id=movie_id, watched_at=started_at)


def watchlist_feedback_saved(
    *, user, movie_id: int | None, given_at, watched_completion: bool | None
) -> bool:
    """Feedback given or changed: the person saw the film (watchlist_watched) unless the
    feedback says they did not finish it. Runs in the caller's transaction."""
    if not says_watched(watched_completion):
        return False
    return watchlist_watched(user=user, movie_id=movie_id, watched_at=given_at)


def watchlist_item_watched(
    *,
    movie_id: int | None,
    feedback: QuerySet[UserFeedback] | None = None,
    viewings: QuerySet[ViewingHistory] | None = None,
) -> int:
    """watchlist_feedback_saved and watchlist_viewing_saved for many rows of one media
    item at once, `movie_id` its film: each feedback that does not say "did not finish"
    and each finished viewing takes the film off its person's watchlist if they put it
    there before. One query, whatever the rows: for the admin's page of an item, which
    saves many feedback rows (its inline) or links all of them to another film. How many
    entries it took off. Runs in the caller's transaction.
    """
    watched = Q()
    if feedback is not None:
        watched |= Exists(
            feedback.saying_watched().filter(
                user=OuterRef("user"), timestamp__gte=OuterRef("added_at")
            )
        )
    if viewings is not None:
        watched |= Exists(
            viewings.finished().filter(user=OuterRef("user"), started_at__gte=OuterRef("added_at"))
        )
    if movie_id is None or not watched:
        return 0
    deleted, _ = WatchlistEntry.objects.filter(watched, movie_id=movie_id).delete()
    return deleted


def watched_since(*, user, movie_id: int, since) -> bool:
    """Whether the person has, at `since` or later, a finished viewing of the film,
    feedback on it that does not say "did not finish", or a review of it posted: what
    would have taken an entry added at `since` off their watchlist (watchlist_watched).
    For an older export brought back, whose entry must not return once the film was
    watched."""
    return any(
        kind.rows.filter(**{kind.film: movie_id, f"{kind.at}__gte": since}).exists()
        for kind in watchings(user)
    )


def last_watchings(*, user) -> dict[int, datetime]:
    """When the person last did, of each film, what watched_since looks for: a finished
    viewing started, feedback given that does not say "did not finish", a review posted.
    watched_since(film, since) is whether that moment is `since` or later; for the import
    of an export, which asks it of every film of its watchlist, in three queries."""
    latest: dict[int, datetime] = {}
    for kind in watchings(user):
        # An undated review says nothing of when (feedback.watched).
        dated = kind.rows.filter(**{f"{kind.at}__isnull": False})
        rows = dated.values_list(kind.film).annotate(last=Max(kind.at))
        for movie_id, last in rows.order_by():
            latest[movie_id] = max(last, latest.get(movie_id, last))
    return latest
