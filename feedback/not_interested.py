"""Writes of the films a person turned down ("Not interested"), and taking it back.

Turning a film down takes it off the person's watchlist, in the same transaction: the two
say opposite things, and a film on the watchlist is one the engine puts first. Putting it
on the watchlist again lifts the "not interested" (feedback.watchlist.watchlist_add): the
later wish wins, so that a person never holds both and wonders which one counts. The
admin's writes of either follow the same rule (feedback/admin.py, OtherWishSettledAdmin).
"""

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.db import transaction

from catalog.models import Movie
from feedback.models import NotInterested, WatchlistEntry
from feedback.services_locks import lock_person, save_once


@dataclass(frozen=True)
class TurnedDown:
    entry: NotInterested
    created: bool  # False: the film was turned down already (a double click, a second tab)
    left_watchlist: bool  # it was on the watchlist, and is off it now


@transaction.atomic
def not_interested_add(*, user, movie: Movie) -> TurnedDown:
    """The person does not want the film offered again: their row for it, whether it is
    new (not when asked twice, race or not: save_once), and whether the film left their
    watchlist for it.

    Takes turns on the person's row with the watchlist's writes (lock_person): an add to
    the watchlist sent at the same moment is either before this, and taken off, or after
    it, and lifts it.
    """
    lock_person(user)
    left_watchlist = watchlist_left(user=user, movie_id=movie.pk)
    entry, created = save_once(NotInterested, user=user, movie=movie)
    return TurnedDown(entry, created, left_watchlist)


@transaction.atomic
def not_interested_remove(*, user, movie: Movie) -> bool:
    """The person takes it back: the film may be offered again. False if it was not
    turned down."""
    deleted, _ = NotInterested.objects.filter(user=user, movie=movie).delete()
    return bool(deleted)


def watchlist_wins(added_at: datetime, turned_down_at: datetime) -> bool:
    """Of a film both on the watchlist and turned down (an import brought one of them),
    whether the watchlist entry is the wish that stands: the later one, as on the pages,
    where each takes the other away; a tie keeps the wish to see it."""
    return added_at >= turned_down_at


def watchlist_day_wins(listed_on: date, turned_down_at: datetime, zone: tzinfo) -> bool:
    """watchlist_wins for a watchlist line that keeps only its day (Letterboxd's, IMDb's):
    whether it stands over the person's turn-down, which happened at a moment in Marquee.

    The line cannot say whether it came before or after a turn-down of its own day, and
    any time the import gave it (8 pm, or the moment of the import) would decide for it,
    differently from run to run: imported again, the same file would lift the turn-down
    each time the person gave it. So the line wins only when its day, in the person's
    `zone`, is after the day they turned the film down; on that day the deliberate act
    in Marquee stands, and importing the file again changes nothing.
    """
    return listed_on > turned_down_at.astimezone(zone).date()


def watchlist_left(*, user, movie_id: int) -> bool:
    """The film was turned down: it leaves the person's watchlist. Whether it was on it.
    For not_interested_add and the admin's writes, in the caller's transaction, which
    holds the person's lock."""
    deleted, _ = WatchlistEntry.objects.filter(user=user, movie_id=movie_id).delete()
    return bool(deleted)


def not_interested_lifted(*, user, movie_id: int) -> bool:
    """The film was put on the person's watchlist: they want it after all, so it is
    offered again. Whether it had been turned down. For watchlist_add and the admin's
    writes, in the caller's transaction, which holds the person's lock."""
    deleted, _ = NotInterested.objects.filter(user=user, movie_id=movie_id).delete()
    return bool(deleted)
