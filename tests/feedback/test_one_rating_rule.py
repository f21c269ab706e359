"""Every reader of the Marquee rating's rule (UserFeedbackQuerySet.latest_rated) picks the
same feedback: the latest rated on any item of the film, and of two saved at the same
moment the later row. The one-pair sync, the many-pair sync, the stats, the film page's
form and the imports' reading of rows in memory each once had their own copy."""

import datetime as dt

import pytest
from django.utils import timezone

from catalog.models import RaterKind, Rating, RatingSource
from feedback.querysets import latest_rated_of
from feedback.services import film_feedback_media, marquee_rating_sync, marquee_ratings_sync
from feedback.stats import ratings_that_count
from tests.factories import MediaFactory, MovieFactory, UserFeedbackFactory

pytestmark = pytest.mark.django_db

SAID_AT = timezone.now() - dt.timedelta(days=2)


def marquee_stars(user, movie):
    return Rating.objects.get(
        user=user, movie=movie, source=RatingSource.MARQUEE, rater_kind=RaterKind.USER
    ).value


@pytest.fixture
def film():
    return MovieFactory(title="Alien")


@pytest.fixture
def rows(user, film):
    """Feedback on three items of the film: rated 2, then rated 5 at the same moment (the
    later row), then unrated and newer still."""
    plex, jellyfin, kodi = (MediaFactory(movie=film) for _ in range(3))
    first = UserFeedbackFactory(user=user, media=plex, rating=2, timestamp=SAID_AT)
    later_row = UserFeedbackFactory(user=user, media=jellyfin, rating=5, timestamp=SAID_AT)
    unrated = UserFeedbackFactory(
        user=user, media=kodi, rating=None, timestamp=SAID_AT + dt.timedelta(hours=1)
    )
    return first, later_row, unrated


def test_the_one_pair_sync_takes_the_later_row_of_one_moment(user, film, rows):
    marquee_rating_sync(user_id=user.pk, movie_id=film.pk)

    assert marquee_stars(user, film) == 5


def test_the_many_pairs_sync_takes_the_same(user, film, rows):
    marquee_ratings_sync(pairs=[(user.pk, film.pk)])

    assert marquee_stars(user, film) == 5


def test_the_stats_count_the_same_feedback(user, rows):
    _, later_row, _ = rows

    assert set(ratings_that_count(user).values_list("pk", flat=True)) == {later_row.pk}


def test_the_film_page_edits_the_feedback_the_rating_follows(user, film, rows):
    _, later_row, _ = rows

    assert film_feedback_media(user=user, movie=film) == later_row.media


def test_rows_read_already_give_the_same(rows):
    first, later_row, unrated = rows

    assert latest_rated_of([unrated, later_row, first]) == later_row
    assert latest_rated_of([unrated]) is None
