"""Writes of people's feedback and history. Views, commands and imports call these."""

from django.db import transaction
from django.utils import timezone

from catalog.models import Movie, RaterKind, Rating, RatingSource
from catalog.rating_stats import refresh_rating_stats
from feedback.models import RATING_MAX, RATING_MIN, Media, MediaType, UserFeedback, ViewingHistory

UNSET = object()


def media_for_movie(*, movie: Movie) -> Media:
    """The media item that stands for a catalog movie, created the first time it is needed."""
    return media_saved(media=movie_media(movie=movie))


def movie_media(*, movie: Movie) -> Media:
    """The media item that stands for a catalog movie, without writing anything.

    A film someone rates in Marquee may not be on any media server, so it gets an id of
    Marquee's own; items from a media server keep theirs and link to the movie instead
    (the lowest id stands for the film). Marquee's own item is returned unsaved until
    feedback or a viewing is saved on it (media_saved): opening a form writes nothing.
    """
    existing = Media.objects.filter(movie=movie).order_by("media_id").first()
    if existing:
        return existing
    return Media(
        media_id=f"marquee:movie:{movie.pk}",
        title=movie.title,
        media_type=MediaType.MOVIE,
        duration=movie.runtime_minutes,
        movie=movie,
    )


def media_saved(*, media: Media) -> Media:
    """The item as stored: an unsaved one from movie_media is created (or found) now."""
    if media.stored:
        return media
    saved, _ = Media.objects.get_or_create(
        media_id=media.media_id,
        defaults={
            name: getattr(media, name) for name in ("title", "media_type", "duration", "movie")
        },
    )
    return saved


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
    media = media_saved(media=media)
    feedback = UserFeedback.objects.select_for_update().filter(user=user, media=media).first()
    if feedback is None:
        feedback = UserFeedback(user=user, media=media)
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
    marquee_rating_sync(user_id=user.pk, movie_id=media.movie_id)
    return feedback


@transaction.atomic
def feedback_delete(*, feedback: UserFeedback) -> None:
    feedback.delete()
    marquee_rating_sync(user_id=feedback.user_id, movie_id=feedback.media.movie_id)


def marquee_rating_sync(*, user_id: int, movie_id: int | None) -> None:
    """Make the person's Marquee rating of a film follow their feedback on it.

    A film can have several media items (the same film on Plex and on Jellyfin), each
    with its own feedback. The film's Marquee rating is the rating of the person's most
    recently saved feedback that has one, on any of its items (the latest timestamp; the
    later row on a tie), dated by that feedback; with no rated feedback left, there is
    none. Feedback saved again counts as said again, even if its rating did not change.
    """
    if movie_id is None:
        return
    identity = {
        "movie_id": movie_id,
        "user_id": user_id,
        "source": RatingSource.MARQUEE,
        "rater_kind": RaterKind.USER,
    }
    latest = (
        UserFeedback.objects.filter(user_id=user_id, media__movie_id=movie_id, rating__isnull=False)
        .order_by("-timestamp", "-feedback_id")
        .values("rating", "timestamp")
        .first()
    )
    if latest is None:
        # A queryset delete does not pass through Rating.delete(): the stats follow here.
        Rating.objects.filter(**identity).delete()
        refresh_rating_stats([movie_id])
        return
    Rating.objects.update_or_create(
        **identity,
        defaults={
            "value": latest["rating"],
            "scale_min": RATING_MIN,
            "scale_max": RATING_MAX,
            "rated_at": latest["timestamp"],
        },
    )


@transaction.atomic
def viewing_record(
    *, user, media: Media, started_at=None, minutes_watched=None, completed=True
) -> ViewingHistory:
    """Add a watch event ("I watched this") to a person's history."""
    viewing = ViewingHistory(
        user=user,
        media=media_saved(media=media),
        started_at=started_at or timezone.now(),
        minutes_watched=minutes_watched,
        completed=completed,
    )
    viewing.full_clean()
    viewing.save()
    return viewing


@transaction.atomic
def viewing_update(
    *, viewing: ViewingHistory, started_at, minutes_watched, completed
) -> ViewingHistory:
    """Correct a watch event: when it started, how long it lasted, whether it was finished."""
    viewing.started_at = started_at
    viewing.minutes_watched = minutes_watched
    viewing.completed = completed
    viewing.full_clean()
    viewing.save(update_fields=["started_at", "minutes_watched", "completed"])
    return viewing


@transaction.atomic
def viewing_delete(*, viewing: ViewingHistory) -> None:
    viewing.delete()
