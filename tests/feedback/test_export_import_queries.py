"""The import of an export asks the database as many queries for 200 rows of a kind as for
20: the person's rows, the media items and the slates are read once, validation asks no
query of a row that passes, and new rows are inserted together; so are the films, the
media items, the reviews and the chosen picks an import into an empty Marquee makes."""

import datetime as dt
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Movie, Rating, RatingSource, Review, ReviewSource
from feedback.export_import import user_export_import
from feedback.export_reading import read_export
from feedback.exports import export_json
from feedback.models import Media, UserFeedback, ViewingHistory, WatchlistEntry
from recommendations.models import RecommendationLog, RecommendationType
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


def export_of_films_new_here(films: int) -> dict[str, list[dict]]:
    """A member's export of `films` films, then a Marquee without them: every film, media
    item (a media server's and Marquee's own), review and chosen pick of it is new. Half
    the films have no TMDB or IMDb id: they are found by their title and year."""
    another_marquee()
    member = UserFactory()
    moment = timezone.now() - dt.timedelta(days=30)
    for number in range(films):
        ids = {} if number % 2 else {"tmdb_id": None, "imdb_id": None}
        movie = MovieFactory(title=f"New here {number}", **ids)
        server_item = MediaFactory(media_id=f"plex://movie/{number}", movie=movie)
        own_item = MediaFactory(media_id=f"marquee:movie:{movie.pk}", movie=movie)
        UserFeedbackFactory(user=member, media=server_item, rating=4, timestamp=moment)
        ViewingHistoryFactory(user=member, media=own_item, started_at=moment, completed=True)
        slate = uuid.uuid4()
        for media, slot, chosen in (
            (server_item, RecommendationType.PRIMARY, False),
            (own_item, RecommendationType.BACKUP, True),
        ):
            RecommendationLogFactory(
                user=member,
                media=media,
                slate_id=slate,
                recommendation_type=slot,
                selected=chosen,
                timestamp=moment,
            )
        Review.objects.create(
            user=member,
            movie=movie,
            source=ReviewSource.USER,
            text=f"What I thought of film {number}.",
            posted_at=moment,
        )
    rows = read_export(export_json(member))
    another_marquee()
    return rows


def another_marquee() -> None:
    """No people, rows, items or films: what an export is brought into."""
    for model in (RecommendationLog, UserFeedback, ViewingHistory, Rating, Review, Media, Movie):
        model.objects.all().delete()
    get_user_model().objects.all().delete()


def queries_to_import_into_an_empty_marquee(films: int) -> int:
    rows = export_of_films_new_here(films)
    person = UserFactory()
    queries = []

    def counted(execute, sql, params, many, context):
        # Not CaptureQueriesContext: Django's log keeps the last 9,000 queries only.
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        counts = user_export_import(user=person, rows=rows)
    assert (counts.created["movies"], counts.created["media"]) == (films, 2 * films)
    assert (counts.created["reviews"], counts.created["recommendations"]) == (films, 2 * films)
    assert Movie.objects.count() == films
    assert Media.objects.count() == 2 * films
    assert Review.objects.filter(user=person, source=ReviewSource.USER).count() == films
    chosen = RecommendationLog.objects.filter(user=person, selected=True)
    assert sorted(chosen.values_list("media__media_id", flat=True)) == sorted(
        f"marquee:movie:{pk}" for pk in Movie.objects.values_list("pk", flat=True)
    )
    return len(queries)


def test_films_items_reviews_and_chosen_picks_new_here_cost_no_query_each():
    assert queries_to_import_into_an_empty_marquee(200) == queries_to_import_into_an_empty_marquee(
        20
    )
