"""The recommendation log's rules, broken through validation and through raw SQL."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from recommendations.models import RecommendationLog
from tests.conftest import assert_refused_by_database
from tests.factories import MediaFactory, RecommendationLogFactory

pytestmark = pytest.mark.django_db


def log_row(media, user, **overrides):
    row = {
        "media_id": media.media_id,
        "user_id": user.pk,
        "recommendation_type": "primary",
        "score": 0.5,
        "reason": "",
        "selected": False,
        "slate_id": uuid.uuid4().hex,
        "engine_version": "test",
        "timestamp": timezone.now(),
    }
    return row | overrides


def test_recommendation_type_is_primary_backup_or_wildcard(user):
    media = MediaFactory()
    with pytest.raises(ValidationError) as excinfo:
        RecommendationLogFactory.build(
            media=media, user=user, recommendation_type="extra"
        ).full_clean()
    assert "recommendation_type" in excinfo.value.message_dict
    assert_refused_by_database(
        "recommendations_recommendationlog", **log_row(media, user, recommendation_type="extra")
    )


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_score_is_between_0_and_1(score, user):
    media = MediaFactory()
    with pytest.raises(ValidationError):
        RecommendationLogFactory.build(media=media, user=user, score=score).full_clean()
    assert_refused_by_database(
        "recommendations_recommendationlog", **log_row(media, user, score=score)
    )


def test_a_slate_has_one_pick_per_slot(user):
    first = RecommendationLogFactory(user=user)
    duplicate = RecommendationLog(
        media=first.media,
        user=user,
        recommendation_type="primary",
        slate_id=first.slate_id,
        engine_version="test",
    )
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "This slate already has a pick of this type." in excinfo.value.messages
    assert_refused_by_database(
        "recommendations_recommendationlog",
        **log_row(first.media, user, slate_id=first.slate_id.hex),
    )


def test_a_slate_has_at_most_one_selected_pick(user):
    chosen = RecommendationLogFactory(user=user, selected=True)
    other = RecommendationLogFactory.build(
        user=user,
        media=chosen.media,
        slate_id=chosen.slate_id,
        recommendation_type="backup",
        selected=True,
    )
    with pytest.raises(ValidationError) as excinfo:
        other.full_clean()
    assert "Only one pick of a slate can be chosen." in excinfo.value.messages
    assert_refused_by_database(
        "recommendations_recommendationlog",
        **log_row(
            chosen.media,
            user,
            slate_id=chosen.slate_id.hex,
            recommendation_type="backup",
            selected=True,
        ),
    )


def test_selected_defaults_to_false_in_the_database(user):
    media = MediaFactory()
    row = log_row(media, user)
    del row["selected"]
    from tests.conftest import raw_insert

    raw_insert("recommendations_recommendationlog", **row)
    assert RecommendationLog.objects.get().selected is False


# --- the learnt tables ---


def similarity_row(movie, neighbour, **overrides):
    return {"movie_id": movie.pk, "neighbour_id": neighbour.pk, "weight": 0.5} | overrides


def test_a_movie_is_not_its_own_neighbour():
    from recommendations.models import MovieSimilarity
    from tests.factories import MovieFactory, MovieSimilarityFactory

    movie = MovieFactory()
    with pytest.raises(ValidationError) as excinfo:
        MovieSimilarityFactory.build(movie=movie, neighbour=movie).full_clean()
    assert "A movie is not its own neighbour." in excinfo.value.messages
    assert_refused_by_database(MovieSimilarity._meta.db_table, **similarity_row(movie, movie))


def test_a_pair_of_neighbours_is_stored_once():
    from recommendations.models import MovieSimilarity
    from tests.factories import MovieSimilarityFactory

    first = MovieSimilarityFactory()
    with pytest.raises(ValidationError) as excinfo:
        MovieSimilarityFactory.build(movie=first.movie, neighbour=first.neighbour).full_clean()
    assert "These movies are already neighbours." in excinfo.value.messages
    assert_refused_by_database(
        MovieSimilarity._meta.db_table, **similarity_row(first.movie, first.neighbour)
    )


@pytest.mark.parametrize("weight", [0.0, -0.5, 1.5])
def test_a_neighbour_weight_is_above_0_and_at_most_1(weight):
    from recommendations.models import MovieSimilarity
    from tests.factories import MovieFactory, MovieSimilarityFactory

    movie, neighbour = MovieFactory(), MovieFactory()
    with pytest.raises(ValidationError):
        MovieSimilarityFactory.build(movie=movie, neighbour=neighbour, weight=weight).full_clean()
    assert_refused_by_database(
        MovieSimilarity._meta.db_table, **similarity_row(movie, neighbour, weight=weight)
    )


@pytest.mark.parametrize("field", ["rating_average", "popularity", "score"])
def test_a_prior_lies_between_0_and_1(field):
    from recommendations.models import MoviePrior
    from tests.factories import MovieFactory, MoviePriorFactory

    movie = MovieFactory()
    with pytest.raises(ValidationError) as excinfo:
        MoviePriorFactory.build(movie=movie, **{field: 1.2}).full_clean()
    assert field in excinfo.value.message_dict
    row = {
        "movie_id": movie.pk,
        "rating_average": 0.5,
        "rating_count": 1,
        "positive_count": 1,
        "popularity": 0.5,
        "score": 0.5,
    }
    assert_refused_by_database(MoviePrior._meta.db_table, **(row | {field: 1.2}))
