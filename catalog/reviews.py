"""Writes of members' reviews: one per person and film, written, edited and deleted.

The film's page, "My reviews" and the import of an export call these. A person only
changes their own review: review_delete answers someone else's review exactly as it
answers an id of nothing, so that the answer never tells the review exists.

Reviewing a film says you saw it, as on Letterboxd and Trakt: review_save takes the film
off the person's watchlist by the watchlist's own rule, in the same transaction.
"""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from catalog.importers.sentiment import sentiment_of
from catalog.models import Movie, Review, ReviewSource
from feedback.services_locks import lock_person
from feedback.watchlist import watchlist_watched


def review_text_cleaned(text: str) -> str:
    # Whitespace around a review is no part of it, and text of whitespace alone is blank,
    # as for the CHECK, which trims the same characters (STRIPPED_WHITESPACE).
    return (text or "").strip()


def review_reads(review: Review, *, text: str, contains_spoilers: bool) -> bool:
    """Whether the review says this already: the same text, once cleaned, line breaks
    aside, and the same spoiler flag.

    A browser sends a textarea's line breaks as "\r\n", whatever the text it showed held:
    a review written with "\n" (by an export's import) and saved unchanged would be an
    edit. Each is kept as it came, so that an export brings back the text it holds."""
    return (same_line_breaks(review.text), review.contains_spoilers) == (
        same_line_breaks(text),
        contains_spoilers,
    )


def same_line_breaks(text: str) -> str:
    return review_text_cleaned(text).replace("\r\n", "\n").replace("\r", "\n")


@transaction.atomic
def review_save(
    *,
    user,
    movie: Movie,
    text: str,
    contains_spoilers: bool,
    posted_at=None,
    edited_at=None,
) -> tuple[Review, bool]:
    """Write the person's review of the film, or edit the one they wrote: the review, and
    whether it is new (review_written has the rules). Raises ValidationError, also for an
    edit dated before the posting.
    """
    # An add to the watchlist sent at the same moment (another tab) takes turns with this
    # on the person's row: the clean-up below sees its entry, or it comes after the review.
    lock_person(user)
    review = Review.objects.select_for_update().filter(user=user, movie=movie).first()
    created = review is None
    sent = {
        "user": user,
        "movie": movie,
        "text": text,
        "contains_spoilers": contains_spoilers,
        "posted_at": posted_at,
        "edited_at": edited_at,
    }
    written = review_written(review, **sent)
    if written is None:
        review.left_watchlist = False
        return review, False
    review = written
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        # Two first reviews at once (a double click): the other request's insert won, and
        # the UNIQUE constraint refused this one. Edit the review it wrote instead.
        if not created or not Review.objects.filter(user=user, movie=movie).exists():
            raise
        return review_save(**sent)
    # Seen when first posted: an entry added since (to see the film again) stays through
    # an edit, as it does through an old viewing told of now. The review says whether it
    # took the film off, for the page's message, as feedback and viewings do.
    review.left_watchlist = watchlist_watched(
        user=user, movie_id=movie.pk, watched_at=review.posted_at
    )
    return review, created


def review_written(
    review: Review | None,
    *,
    user,
    movie: Movie,
    text: str,
    contains_spoilers: bool,
    posted_at=None,
    edited_at=None,
) -> Review | None:
    """The person's review of the film (`review`, None if they have none) as writing
    this makes it, not validated nor saved; None if that changes nothing. For review_save,
    and for the import of an export, which validates and saves many at once.

    An edit keeps the first posting date and says when it was edited. Sentiment is read
    as for imported tweets (catalog/importers/sentiment.py), so that every review of a
    film is scored alike. A review written on the site passes no dates: it is posted now,
    and an edit is dated now. A restore (the import of an export) passes the export's
    `posted_at` and `edited_at` (None: never edited): the review becomes the export's,
    dates included, so that an edit made since is undone rather than dated now.
    """
    text = review_text_cleaned(text)
    restore = posted_at is not None
    now = timezone.now()
    as_sent = review is not None and review_reads(
        review, text=text, contains_spoilers=contains_spoilers
    )
    if review is None:
        review = Review(
            user=user,
            movie=movie,
            source=ReviewSource.USER,
            posted_at=posted_at or now,
            edited_at=edited_at if restore else None,
        )
    elif restore:
        if as_sent and (review.posted_at, review.edited_at) == (posted_at, edited_at):
            return None  # restored already: a second import writes nothing
        review.posted_at, review.edited_at = posted_at, edited_at
    elif as_sent:
        return None  # sent twice, or saved unchanged: nothing was edited
    else:
        # Not before the posting, which a restore may date up to a day ahead (the clock
        # leeway of catalog.bounds): the edit is then dated at it, not refused.
        review.edited_at = max(now, review.posted_at or now)
    review.text = text
    review.contains_spoilers = contains_spoilers
    review.sentiment_score, review.sentiment_label = sentiment_read(text)
    return review


def sentiment_read(text: str) -> tuple[float | None, str]:
    """A review's sentiment as the site and the tweets' import read it: none for no text."""
    return sentiment_of(text) if text else (None, "")


@transaction.atomic
def review_delete(*, user, review: Review) -> None:
    """Delete the person's own review. Someone else's, or an imported one, is refused with
    the Http404 that a missing id gets: the same answer, so it tells nothing."""
    if review.user_id is None or review.user_id != user.pk:
        raise Http404("You have no review of this id.")
    review.delete()
