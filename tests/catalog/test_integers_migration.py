"""Rows holding integers the new bounds refuse do not stop the migrations that add them.

Catalog migration 0009 and feedback migration 0005 keep every such row, with a value its
column holds: empty where the column may be, the bound for a count; an aggregate rating
of no votes, which weighs nothing, is deleted.
"""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import INTEGER_MAX
from catalog.models import Movie, MovieRatingStats, MovieRelationship, Rating, UserSearch
from feedback.models import Media, ViewingHistory
from tests import factories
from tests.conftest import raw_insert
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = "0008_movie_search_title"
HUGE = 99_999_999_999
# PostgreSQL's integer columns could never hold the huge values: only SQLite has them.
HOLDS_HUGE = connection.vendor == "sqlite"


@pytest.fixture
def before_the_bounds():
    with models_before("catalog", BEFORE) as apps:
        yield apps


def write_around_validation(instance, **values) -> None:
    type(instance).objects.filter(pk=instance.pk).update(**values)


def ids_of(movie) -> tuple:
    return Movie.objects.values_list("tmdb_id", "tmdb_collection_id").get(pk=movie.pk)


def test_values_out_of_bounds_are_made_to_fit(before_the_bounds, client):
    zero_ids, huge = factories.MovieFactory(), factories.MovieFactory()
    write_around_validation(zero_ids, tmdb_id=0, tmdb_collection_id=0)
    no_votes = factories.RatingFactory(aggregate=True, movie=zero_ids)
    factories.RatingFactory(movie=zero_ids, value=5)  # 1.0 on 0-1
    write_around_validation(no_votes, vote_count=0)
    many_votes = factories.RatingFactory(aggregate=True, movie=huge, value=8)
    # As items were then, in SQL: the model has columns since (folded_title), and this
    # state of catalog holds no model of feedback's.
    raw_insert(
        "feedback_media",
        media_id="plex:huge",
        title="Huge",
        type="movie",
        movie_id=huge.pk,
        last_updated=timezone.now(),
    )
    media = Media(media_id="plex:huge")
    # As the history was then, in SQL: the model has columns since (import_key).
    raw_insert(
        "feedback_viewinghistory",
        user_id=factories.UserFactory().pk,
        media_id=media.pk,
        started_at=timezone.now(),
        minutes_watched=95,
        completed=True,
    )
    viewing = ViewingHistory.objects.only("pk").get(media_id=media.pk)
    # As the log was then: the model has columns since (names_a_film).
    search = before_the_bounds.get_model("catalog", "UserSearch").objects.create(
        query="heat", results_count=3
    )
    link = factories.MovieRelationshipFactory(from_movie=huge, derived_from_collection=10)
    if HOLDS_HUGE:
        write_around_validation(huge, runtime_minutes=HUGE, tmdb_id=HUGE, tmdb_collection_id=HUGE)
        write_around_validation(many_votes, vote_count=HUGE)
        write_around_validation(media, duration=HUGE)
        write_around_validation(viewing, minutes_watched=HUGE)
        write_around_validation(search, results_count=HUGE)
        write_around_validation(link, derived_from_collection=HUGE)

    call_command("migrate", verbosity=0)

    assert ids_of(zero_ids) == (None, None)
    assert not Rating.objects.filter(pk=no_votes.pk).exists()
    assert MovieRatingStats.objects.get(movie=zero_ids).average == 1.0
    if HOLDS_HUGE:
        assert ids_of(huge) == (None, None)
        assert Movie.objects.get(pk=huge.pk).runtime_minutes is None
        assert Rating.objects.get(pk=many_votes.pk).vote_count == INTEGER_MAX
        assert MovieRatingStats.objects.get(movie=huge).votes == INTEGER_MAX
        assert Media.objects.get(pk=media.pk).duration is None
        assert ViewingHistory.objects.get(pk=viewing.pk).minutes_watched is None
        assert UserSearch.objects.get(pk=search.pk).results_count == INTEGER_MAX
        assert MovieRelationship.objects.get(pk=link.pk).derived_from_collection is None
    for movie in (zero_ids, huge):
        assert client.get(reverse("catalog:movie_detail", args=[movie.pk])).status_code == (
            HTTPStatus.OK
        )
