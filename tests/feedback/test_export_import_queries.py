"""The import of an export asks the database as many queries for 200 rows of a kind as for
20: the person's rows, the media items and the slates are read once, validation asks no
query of a row that passes, and new rows are inserted together."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import RatingSource
from feedback.export_import import user_export_import
from feedback.export_reading import read_export
from feedback.exports import export_json
from feedback.models import UserFeedback, ViewingHistory, WatchlistEntry
from recommendations.models import RecommendationLog
from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    MediaFactory,
    MovieFactory,
    RatingFactory,
    RecommendationLogFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def export_of(films: int) -> dict[str, list[dict]]:
    """A member's export with `films` rows of each kind the import writes together, of
    films and items this Marquee has (so that no film or item is new)."""
    member = UserFactory()
    moment = timezone.now() - dt.timedelta(days=30)
    film_list = FilmListFactory(user=member, name="Favourites")
    for number in range(films):
        item = MediaFactory(movie=MovieFactory())
        UserFeedbackFactory(user=member, media=item, rating=4, timestamp=moment)
        ViewingHistoryFactory(user=member, media=item, started_at=moment, completed=True)
        RatingFactory(
            user=member, movie=item.movie, source=RatingSource.IMDB, value=7, scale_max=10
        )
        RecommendationLogFactory(
            user=member, media=item, slate_id=uuid.uuid4(), selected=False, timestamp=moment
        )
        FilmListEntryFactory(film_list=film_list, movie=item.movie, position=number + 1)
        WatchlistEntryFactory(user=member, movie=MovieFactory(), added_at=moment)
    return read_export(export_json(member))


def queries_to_import(rows: dict[str, list[dict]]) -> int:
    person = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        counts = user_export_import(user=person, rows=rows)
    films = len(rows["feedback"])
    assert (counts.created["feedback"], counts.created["history"]) == (films, films)
    assert counts.created["recommendations"] == counts.created["list_entries"] == films
    assert UserFeedback.objects.filter(user=person).count() == films
    assert ViewingHistory.objects.filter(user=person).count() == films
    assert WatchlistEntry.objects.filter(user=person).count() == films
    assert RecommendationLog.objects.filter(user=person).count() == films
    return len(queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows():
    few, many = export_of(20), export_of(200)
    assert queries_to_import(many) == queries_to_import(few)


def test_a_second_import_asks_as_few_queries_whatever_its_rows():
    few, many = export_of(20), export_of(200)
    person_few, person_many = UserFactory(), UserFactory()
    user_export_import(user=person_few, rows=few)
    user_export_import(user=person_many, rows=many)
    with CaptureQueriesContext(connection) as again_few:
        user_export_import(user=person_few, rows=few)
    with CaptureQueriesContext(connection) as again_many:
        counts = user_export_import(user=person_many, rows=many)
    assert counts.unchanged["feedback"] == counts.unchanged["history"] == 200
    assert len(again_many) == len(again_few)
