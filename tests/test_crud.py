"""Create, read, update and delete for every model, and the on_delete rules between them."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError

from catalog.models import Movie, MovieRelationship, Rating, Review, UserSearch
from feedback.models import Media, UserFeedback, ViewingHistory
from recommendations.models import RecommendationLog
from tests import factories

pytestmark = pytest.mark.django_db

# (factory, a field to change, its new value)
CASES = [
    (factories.GenreFactory, "name", "Film noir"),
    (factories.MovieFactory, "title", "Le Samouraï"),
    (factories.ReviewFactory, "text", "Ça tient toujours. 🎬"),
    (factories.RatingFactory, "value", 2),  # a Marquee rating: whole stars
    (factories.UserSearchFactory, "query", "kurosawa"),
    (factories.MovieRelationshipFactory, "weight", 0.25),
    (factories.MediaFactory, "title", "Director's cut"),
    (factories.UserFeedbackFactory, "rating", 2),
    (factories.ViewingHistoryFactory, "minutes_watched", 12),
    (factories.RecommendationLogFactory, "selected", True),
]


@pytest.mark.parametrize(("factory", "field", "new_value"), CASES)
def test_create_read_update_delete(factory, field, new_value):
    model = factory._meta.model
    created = factory()
    created.full_clean()

    read = model.objects.get(pk=created.pk)
    assert read == created
    assert str(read)

    setattr(read, field, new_value)
    read.full_clean()
    read.save()
    assert getattr(model.objects.get(pk=created.pk), field) == new_value

    read.delete()
    assert not model.objects.filter(pk=created.pk).exists()


def test_deleting_a_movie_takes_its_reviews_ratings_and_relationships():
    movie = factories.MovieFactory()
    factories.ReviewFactory(movie=movie)
    factories.RatingFactory(movie=movie)
    factories.RatingFactory(movie=movie, aggregate=True)
    factories.MovieRelationshipFactory(from_movie=movie)
    factories.MovieRelationshipFactory(to_movie=movie)

    movie.delete()

    assert Review.objects.count() == 0
    assert Rating.objects.count() == 0
    assert MovieRelationship.objects.count() == 0
    assert Movie.objects.count() == 2  # the other ends of the relationships stay


def test_deleting_a_movie_unlinks_its_media_items():
    media = factories.MediaFactory()
    media.movie.delete()
    assert Media.objects.get(pk=media.pk).movie is None


def test_deleting_media_with_someones_feedback_or_history_is_refused():
    feedback = factories.UserFeedbackFactory()
    viewing = factories.ViewingHistoryFactory()
    log = factories.RecommendationLogFactory()
    for media in (feedback.media, viewing.media, log.media):
        with pytest.raises(ProtectedError):
            media.delete()


def test_deleting_a_user_takes_their_data_but_keeps_their_searches_anonymous(user):
    factories.UserFeedbackFactory(user=user)
    factories.ViewingHistoryFactory(user=user)
    factories.RatingFactory(user=user)
    factories.RecommendationLogFactory(user=user)
    search = factories.UserSearchFactory(user=user)

    user.delete()

    assert not get_user_model().objects.filter(pk=user.pk).exists()
    for model in (UserFeedback, ViewingHistory, Rating, RecommendationLog):
        assert model.objects.count() == 0, model
    search.refresh_from_db()
    assert search.user is None
    assert UserSearch.objects.count() == 1


def test_media_last_updated_moves_on_every_save():
    media = factories.MediaFactory()
    first = media.last_updated
    media.title = "Renamed"
    media.save(update_fields=["title"])
    media.refresh_from_db()
    assert media.last_updated > first


def test_genres_are_many_to_many():
    drama, crime = factories.GenreFactory(name="Drama"), factories.GenreFactory(name="Crime")
    movie = factories.MovieFactory(genres=[drama, crime])
    assert set(movie.genres.values_list("name", flat=True)) == {"Drama", "Crime"}
    assert list(drama.movies.all()) == [movie]
    drama.delete()
    assert list(movie.genres.values_list("name", flat=True)) == ["Crime"]
