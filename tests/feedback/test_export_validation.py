"""The import's validation refuses what full_clean() refuses, with the same messages in
the same order, while evaluating plain CHECKs in Python (feedback/export_validation.py)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Movie, RaterKind, Rating, RatingSource
from feedback.export_validation import validated
from feedback.models import Media, UserFeedback, ViewingHistory
from recommendations.models import RecommendationLog
from tests.factories import MediaFactory, MovieFactory, RecommendationLogFactory, UserFactory

pytestmark = pytest.mark.django_db


def problems(check) -> dict[str, list[str]] | None:
    try:
        check()
    except ValidationError as exc:
        return exc.message_dict
    return None


def feedback(**values):
    return UserFeedback(user=UserFactory(), media=MediaFactory(), **values)


def rating(**values):
    identity = {"user": UserFactory(), "movie": MovieFactory(), "rater_kind": RaterKind.USER}
    return Rating(**identity, **{"value": 4, "scale_min": 1, "scale_max": 5, **values})


def viewing(**values):
    item = MediaFactory(movie=MovieFactory(year=2001))
    return ViewingHistory(user=UserFactory(), media=item, **values)


def pick(**values):
    base = {"recommendation_type": "primary", "engine_version": "v1", "slate_id": uuid.uuid4()}
    return RecommendationLog(user=UserFactory(), media=MediaFactory(), **{**base, **values})


def media(**values):
    return Media(**{"media_id": "plex:1", "title": "A film", "media_type": "movie", **values})


@pytest.mark.parametrize(
    "make",
    [
        lambda: feedback(rating=4),
        lambda: feedback(),  # says nothing
        lambda: feedback(rating=9, timestamp=timezone.now() + dt.timedelta(days=3)),
        lambda: rating(source=RatingSource.OTHER),
        lambda: rating(source=RatingSource.OTHER, value=11),
        lambda: rating(source=RatingSource.OTHER, scale_min=10, scale_max=0, value=5),
        lambda: rating(source=RatingSource.MARQUEE, value=4.5),
        lambda: rating(source="elsewhere"),
        lambda: rating(source=RatingSource.OTHER, value=None),
        lambda: viewing(started_at=timezone.now() - dt.timedelta(days=1), completed=True),
        lambda: viewing(started_at=dt.datetime(1990, 1, 1, tzinfo=dt.UTC)),  # before the film
        lambda: viewing(started_at=timezone.now(), minutes_watched=-1),
        lambda: pick(),
        lambda: pick(score=1.5, recommendation_type="sideshow"),
        lambda: pick(engine_version=""),
        lambda: media(),
        lambda: media(media_id="a/../b", duration=0, media_type="weird"),
        lambda: media(media_id="tab\there"),
        lambda: Movie(title="Old", year=1700, imdb_id="xx1"),
        lambda: Movie(title="New", year=2001, imdb_id="tt0123456", tmdb_id=-1),
    ],
)
def test_the_import_refuses_what_full_clean_refuses_in_its_words(make):
    instance = make()
    assert problems(lambda: validated(instance)) == problems(instance.full_clean)


def test_a_slates_second_chosen_pick_is_refused_as_full_clean_refuses_it():
    chosen = RecommendationLogFactory(selected=True)
    second = pick(slate_id=chosen.slate_id, recommendation_type="backup", selected=True)
    refused = problems(lambda: validated(second))
    assert refused is not None
    assert refused == problems(second.full_clean)


def test_a_row_that_passes_asks_no_query():
    rows = [feedback(rating=4), rating(source=RatingSource.IMDB, value=7, scale_max=10), pick()]
    with CaptureQueriesContext(connection) as queries:
        for row in rows:
            validated(row, held={"catalog_rating_one_per_user", "recs_log_one_per_slot"})
    # Only the feedback's UNIQUE, not held here, is asked of the database.
    assert len(queries) == 1
