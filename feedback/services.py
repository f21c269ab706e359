"""Writes of people's feedback and history. Views, commands and imports call these.

Feedback and viewings, recorded or corrected, say when the person watched the film: each
takes it off their watchlist if they put it there before, unless it says they stopped
part way (feedback.watchlist has the rule). A finished viewing also makes their feedback
on its item say they watched it to the end, as the imports' watched films do
(feedback/finished_watches.py has the rule).
"""

from collections.abc import Iterable
from datetime import timedelta
from enum import StrEnum
from itertools import batched

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog.importers.writing import IN_LIST_SIZE, Synced
from catalog.models import Movie, RaterKind, Rating, RatingSource
from catalog.rating_stats import refresh_rating_stats
from feedback.film_items import MARQUEE_MEDIA_ID, film_item_chosen, ids_of_film
from feedback.finished_watches import FinishedWatch, finished_watch_said
from feedback.models import RATING_MAX, RATING_MIN, Media, UserFeedback, ViewingHistory
from feedback.services_locks import lock_person, lock_person_by_id
from feedback.watchlist import watchlist_feedback_saved, watchlist_viewing_saved

UNSET = object()
MARQUEE_USER = {"source": RatingSource.MARQUEE, "rater_kind": RaterKind.USER}
# "I watched this" sent twice (a double click, a reload that posts the form again, a
# second click because the first answer was slow) arrives within seconds, a minute at
# most; finishing the same item again takes far longer than five minutes. So a viewing
# that started within five minutes of this one's start is taken for it, not for another.
QUICK_VIEWING_REPEAT_WINDOW = timedelta(minutes=5)


def media_for_movie(*, movie: Movie) -> Media:
    """The media item that stands for a catalog movie, created the first time it is needed."""
    return media_saved(media=movie_media(movie=movie))


def movie_media(*, movie: Movie) -> Media:
    """The media item that stands for a catalog movie, without writing anything.

    A film someone rates in Marquee may not be on any media server, so it gets an id of
    Marquee's own; items from a media server keep theirs and link to the movie instead
    (the one that stands for the film: MediaQuerySet.with_standing). Marquee's own item
    is returned unsaved until feedback or a viewing is saved on it (media_saved): opening
    a form writes nothing.
    """
    return film_item(movie=movie, linked=Q(movie=movie))


def film_feedback_media(*, user, movie: Movie) -> Media:
    """The item the film's page gives the person's feedback on. A film on two media
    servers has an item on each, with feedback on each (their pages edit them apart); the
    film's page edits what the person already said of the film rather than start a second
    opinion beside it: the feedback their Marquee rating follows (their latest rated),
    else their latest on any of its items, else the item that stands for the film."""
    said = (
        UserFeedback.objects.filter(user=user, media__movie=movie)
        .select_related("media")
        .followed_first()
        .first()
    )
    return said.media if said is not None else movie_media(movie=movie)


def marquee_media(*, movie: Movie) -> Media:
    """Marquee's own item for a film, even when a media server's stands for it: the one
    stored, or an unsaved one as movie_media gives it. For the import of an export, whose
    own items are the exporting Marquee's and stand for their films, not their ids."""
    return film_item(movie=movie, linked=Q(movie=movie, media_id__startswith=MARQUEE_MEDIA_ID))


def film_item(*, movie: Movie, linked: Q) -> Media:
    """Of the film's items that `linked` asks for, the one that stands for the film, or an
    unsaved one of Marquee's own under the film's id (feedback.film_items has the rule),
    in one query."""
    items = Media.objects.filter(linked | ids_of_film(movie.pk))
    return film_item_chosen(movie, items.with_standing())


def media_saved(*, media: Media) -> Media:
    """The item as stored: an unsaved one from movie_media is created (or found) now."""
    if media.stored:
        return media
    values = ("title", "media_type", "duration", "movie")
    saved, _ = Media.objects.get_or_create(
        media_id=media.media_id, defaults={name: getattr(media, name) for name in values}
    )
    if saved.movie_id == media.movie_id or media.movie_id is None:
        return saved
    # The id was free when film_item chose it, and an item of another film took it
    # since (an import at that moment): the film's item is chosen again, as it is now.
    again = marquee_media(movie=media.movie)
    if not again.stored:
        for name in values:
            setattr(again, name, getattr(media, name))
    return media_saved(media=again)


@transaction.atomic
def feedback_record(
    *,
    user,
    media: Media,
    watched_completion=UNSET,
    would_watch_again=UNSET,
    rating=UNSET,
) -> UserFeedback:
    """Create or change a person's feedback on a media item.

    Only the fields passed are changed, so a quick star rating does not wipe out an
    earlier "would watch again". When the item is a catalog movie, the star rating is
    also the person's Marquee rating of that movie, so that it counts in the catalog
    (marquee_rating_sync: the latest rated feedback on any item of the film).
    """
    # A first feedback has no row to lock: the same form sent twice at once would insert
    # it twice, and the second would break the one-per-item constraint. The person's row
    # makes the second wait, then find and change the first's.
    lock_person(user)
    media = media_saved(media=media)
    feedback = UserFeedback.objects.select_for_update().filter(user=user, media=media).first()
    if feedback is None:
        feedback = UserFeedback(user=user)
    feedback.media = media  # as read above, its film with it: feedback_follows reads it
    for field, value in (
        ("watched_completion", watched_completion),
        ("would_watch_again", would_watch_again),
        ("rating", rating),
    ):
        if value is not UNSET:
            setattr(feedback, field, value)
    feedback.timestamp = timezone.now()
    feedback.full_clean()
    feedback.save()
    feedback_follows(feedback)
    return feedback


def feedback_follows(feedback: UserFeedback) -> None:
    """What feedback saved changes besides itself: the person's Marquee rating of its film
    (marquee_rating_sync), and their watchlist, which the film leaves if the feedback says
    they saw it (watchlist_feedback_saved; the feedback says whether it did,
    left_watchlist). For feedback_record and the admin's writes, in the caller's
    transaction, under the person's lock."""
    movie_id = feedback.media.movie_id
    marquee_rating_sync(user_id=feedback.user_id, movie_id=movie_id)
    feedback.left_watchlist = watchlist_feedback_saved(
        user=feedback.user_id,
        movie_id=movie_id,
        given_at=feedback.timestamp,
        watched_completion=feedback.watched_completion,
    )


@transaction.atomic
def feedback_delete(*, feedback: UserFeedback) -> None:
    # Under the person's lock, as feedback_record: two writes of the person's feedback on
    # one film's items at once would each derive the Marquee rating from the other's row
    # as it was before, and leave a rating no feedback stands behind.
    lock_person_by_id(feedback.user_id)
    feedback.delete()
    marquee_rating_sync(user_id=feedback.user_id, movie_id=feedback.media.movie_id)


def marquee_rating_sync(*, user_id: int, movie_id: int | None) -> None:
    """Make the person's Marquee rating of a film follow their feedback on it.

    A film can have several media items (the same film on Plex and on Jellyfin), each
    with its own feedback. The film's Marquee rating is the rating of the person's most
    recently saved feedback that has one, on any of its items (the latest timestamp; the
    later row on a tie), dated by that feedback; with no rated feedback left, there is
    none. Feedback saved again counts as said again, even if its rating did not change.
    UserFeedbackQuerySet.latest_rated states the rule; this reads it as
    marquee_ratings_sync does for many people and films at once, for one pair.
    """
    if movie_id is None:
        return
    identity = {"movie_id": movie_id, "user_id": user_id, **MARQUEE_USER}
    values = marquee_ratings_by_the_rule({(user_id, movie_id)}).get((user_id, movie_id))
    if values is None:
        # A queryset delete does not pass through Rating.delete(): the stats follow here.
        Rating.objects.filter(**identity).delete()
        refresh_rating_stats([movie_id])
        return
    Rating.objects.update_or_create(**identity, defaults=values)


def marquee_rating_values(rating: int, timestamp) -> dict:
    """A Marquee rating's values, from the feedback it follows."""
    return {
        "value": rating,
        "scale_min": RATING_MIN,
        "scale_max": RATING_MAX,
        "rated_at": timestamp,
    }


@transaction.atomic
def marquee_ratings_sync(
    *, pairs: Iterable[tuple[int, int | None]], drop_unfollowed: bool = True
) -> Synced:
    """marquee_rating_sync for many (user id, movie id) pairs; a None film is skipped.
    What it wrote: ratings created, updated and deleted.

    With `drop_unfollowed` False, a rating no rated feedback backs is left as it is
    rather than removed: for an import that gives a rating of a film without feedback.

    For the writes of feedback that do not pass through feedback_record and
    feedback_delete: the admin's (an edit, a bulk delete, a media item linked to another
    film), imports and the demo. Only the ratings that differ from the rule are written.
    The queries do not grow with the pairs but by the 5,000 (SQLite limits a query's
    parameters): two reads and, where needed, an insert (two on SQLite past 3,276 rows),
    an update and a delete for each 5,000 pairs, then the stats of the films whose
    ratings changed.
    """
    wanted = sorted({(user_id, movie_id) for user_id, movie_id in pairs if movie_id is not None})
    synced, changed_films = Synced(), set()
    for chunk in batched(wanted, IN_LIST_SIZE):
        missing, changed, unfollowed = marquee_ratings_sync_batch(
            set(chunk), drop_unfollowed=drop_unfollowed
        )
        synced.created += len(missing)
        synced.updated += len(changed)
        synced.deleted += len(unfollowed)
        changed_films |= {rating.movie_id for rating in (*missing, *changed, *unfollowed)}
    # Bulk writes do not pass through Rating.save() and Rating.delete(): the stats follow here.
    refresh_rating_stats(changed_films)
    return synced


def marquee_ratings_sync_batch(
    pairs: set[tuple[int, int]], *, drop_unfollowed: bool
) -> tuple[list[Rating], list[Rating], list[Rating]]:
    """One batch of marquee_ratings_sync: the ratings it created, updated and deleted."""
    current = marquee_ratings_of(pairs)
    missing, changed = [], []
    for (user_id, movie_id), values in marquee_ratings_by_the_rule(pairs).items():
        rating = current.pop((user_id, movie_id), None)
        if rating is None:
            missing.append(Rating(user_id=user_id, movie_id=movie_id, **MARQUEE_USER, **values))
        elif any(getattr(rating, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(rating, name, value)
            changed.append(rating)
    # The ratings left follow no rated feedback any more.
    unfollowed = list(current.values()) if drop_unfollowed else []
    Rating.objects.bulk_create(missing)
    if changed:
        Rating.objects.bulk_update(changed, ["value", "scale_min", "scale_max", "rated_at"])
    if unfollowed:
        Rating.objects.filter(pk__in=[rating.pk for rating in unfollowed]).delete()
    return missing, changed, unfollowed


# The two reads below take every pair of the people and films named, in one query each;
# the pairs not asked about are left out after.


def marquee_ratings_by_the_rule(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The values each pair's Marquee rating should have; a pair without is to have none."""
    latest = UserFeedback.objects.filter(
        user_id__in={user_id for user_id, _ in pairs},
        media__movie_id__in={movie_id for _, movie_id in pairs},
    ).latest_rated_by_film()
    return {
        (user_id, movie_id): marquee_rating_values(rating, timestamp)
        for user_id, movie_id, rating, timestamp in latest
        if (user_id, movie_id) in pairs
    }


def marquee_ratings_of(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Rating]:
    """The Marquee ratings the pairs have now."""
    ratings = Rating.objects.filter(
        user_id__in={user_id for user_id, _ in pairs},
        movie_id__in={movie_id for _, movie_id in pairs},
        **MARQUEE_USER,
    )
    return {
        (rating.user_id, rating.movie_id): rating
        for rating in ratings
        if (rating.user_id, rating.movie_id) in pairs
    }


@transaction.atomic
def viewing_record(
    *, user, media: Media, started_at=None, minutes_watched=None, completed=True
) -> ViewingHistory:
    """Add a watch event ("I watched this") to a person's history."""
    # A finished viewing reads and writes the person's feedback (viewing_feedback_follows).
    lock_person(user)
    return viewing_added(
        ViewingHistory(
            user=user,
            media=media_saved(media=media),
            started_at=started_at or timezone.now(),
            minutes_watched=minutes_watched,
            completed=completed,
        )
    )


def viewing_added(viewing: ViewingHistory) -> ViewingHistory:
    """viewing_record's work, in the caller's transaction: viewing_record_once has one
    already, and a savepoint of viewing_record's own would cost two queries more."""
    viewing.full_clean()
    viewing.save()
    viewing_watchlist_follows(viewing)
    viewing_feedback_follows(viewing)
    return viewing


def viewing_watchlist_follows(viewing: ViewingHistory) -> None:
    """The film leaves the person's watchlist if the viewing finished it (and began after
    the film went there); the viewing says whether it did (left_watchlist)."""
    viewing.left_watchlist = watchlist_viewing_saved(
        user=viewing.user_id,
        movie_id=viewing.media.movie_id,
        started_at=viewing.started_at,
        completed=viewing.completed,
    )


def viewing_feedback_follows(viewing: ViewingHistory) -> None:
    """A finished viewing makes the person's feedback on its item say they watched it to
    the end (finished_watch_said), creating that feedback, dated by the viewing, if they
    had none: the library's row of the item reads "watched to completion" as it does
    for a film an import marked watched. One stopped part way changes nothing, and
    deleting a viewing or unticking "finished" later undoes nothing: the feedback is
    what the person says, and they change it on its form. Runs in the caller's
    transaction, under the person's lock.

    The row is not validated again (full_clean, a query for each of its links and
    constraints): the item and the person were read or written just before, and all
    this sets is "finished" and a date, which every rule allows.
    """
    if not viewing.completed:
        return
    feedback = (
        UserFeedback.objects.select_for_update()
        .filter(user_id=viewing.user_id, media=viewing.media)
        .first()
    )
    if feedback is None:
        feedback = UserFeedback(user_id=viewing.user_id, media=viewing.media, timestamp=None)
    said_at = feedback.timestamp
    said = finished_watch_said(
        feedback,
        watched_at=viewing.started_at,
        last_watched_at=viewing.started_at,
        said_since=said_at is not None and said_at >= viewing.started_at,
    )
    if said is FinishedWatch.ALREADY_SAID:
        return
    if feedback.pk is None:
        feedback.save()
    else:
        feedback.save(update_fields=["watched_completion", "timestamp"])
    # Newer now, its rating may be the one the person's Marquee rating follows.
    if feedback.rating is not None and feedback.timestamp != said_at:
        marquee_rating_sync(user_id=viewing.user_id, movie_id=viewing.media.movie_id)


class QuickViewing(StrEnum):
    """What "I watched this" did: the same click sent twice changes nothing."""

    ADDED = "added"
    CORRECTED = "corrected"  # sent again at once, saying something else: that stands
    UNCHANGED = "unchanged"


@transaction.atomic
def viewing_record_once(
    *, user, media: Media, started_at=None, minutes_watched=None, completed=True
) -> tuple[ViewingHistory, QuickViewing]:
    """ "I watched this": a viewing that started at `started_at` (now if not said),
    unless the person's history already has one of this item that started within
    QUICK_VIEWING_REPEAT_WINDOW of then: that one is the viewing being told about, keeps
    its start, and takes what this says of it (minutes, finished) when it differs.

    Nobody watches a film twice in five minutes, so such a viewing is the same form sent
    again, or a correction of it ("stopped at 45 min", then "no, I finished it"). This
    is a guard on the action, not a rule of the data: two viewings with the same start
    stay possible elsewhere, since an export keeps them and its import must too.
    """
    lock_person(user)
    media = media_saved(media=media)
    started_at = started_at or timezone.now()
    same = (
        ViewingHistory.objects.filter(
            user=user,
            media=media,
            started_at__range=(
                started_at - QUICK_VIEWING_REPEAT_WINDOW,
                started_at + QUICK_VIEWING_REPEAT_WINDOW,
            ),
        )
        .order_by("-started_at", "-id")
        .first()
    )
    if same is None:
        viewing = ViewingHistory(
            user=user,
            media=media,
            started_at=started_at,
            minutes_watched=minutes_watched,
            completed=completed,
        )
        return viewing_added(viewing), QuickViewing.ADDED
    same.media = media  # read already, film included: validating it costs no query
    if (same.minutes_watched, same.completed) == (minutes_watched, completed):
        return same, QuickViewing.UNCHANGED
    finished_now = completed and not same.completed
    same.minutes_watched, same.completed = minutes_watched, completed
    same.full_clean()
    same.save(update_fields=["minutes_watched", "completed"])
    # "Stopped at 45 min", then "no, I finished it": now it is watched.
    viewing_watchlist_follows(same)
    if finished_now:
        viewing_feedback_follows(same)
    return same, QuickViewing.CORRECTED


@transaction.atomic
def viewing_update(
    *, viewing: ViewingHistory, started_at=UNSET, minutes_watched=UNSET, completed=UNSET
) -> ViewingHistory:
    """Correct a watch event: when it started, how long it lasted, whether it was finished.

    Only the fields passed are written: a start left out keeps its stored value to the
    microsecond, which the form's input (to the minute) could not give back."""
    # An add to the watchlist sent at the same moment (another tab) commits first or
    # waits, so the clean-up below sees its entry or the entry comes after the viewing.
    lock_person_by_id(viewing.user_id)
    # The page read the viewing before this took the lock: another tab may have deleted
    # it since (ViewingHistory.DoesNotExist, for the page to say so) or changed it, and
    # what is said anew below is judged against the row as it is now.
    viewing.refresh_from_db(
        fields=["started_at", "minutes_watched", "completed"],
        from_queryset=ViewingHistory.objects.select_for_update(),
    )
    changed = {
        name: value
        for name, value in (
            ("started_at", started_at),
            ("minutes_watched", minutes_watched),
            ("completed", completed),
        )
        if value is not UNSET
    }
    # Only a viewing made finished, or a finished one moved, says anew that the film was
    # finished: correcting the minutes leaves feedback the person changed since alone.
    finished_anew = (completed is True and not viewing.completed) or (
        started_at is not UNSET and started_at != viewing.started_at
    )
    for name, value in changed.items():
        setattr(viewing, name, value)
    viewing.full_clean()
    viewing.save(update_fields=list(changed))
    # Corrected to finished, or to a date after the film went on the watchlist: the
    # watching it awaited.
    viewing_watchlist_follows(viewing)
    if finished_anew:
        viewing_feedback_follows(viewing)
    return viewing


@transaction.atomic
def viewing_delete(*, viewing: ViewingHistory) -> None:
    # Under the person's lock, as the viewings' other writes: "I watched this" sent again
    # reads the viewing before it corrects it, and would correct one deleted meanwhile.
    lock_person_by_id(viewing.user_id)
    viewing.delete()
