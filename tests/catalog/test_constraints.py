"""Every catalog rule fails twice: through validation (with a clear message) and through
raw SQL (refused by the database), on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import Genre, Movie, MovieRelationship, Rating, Review
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import (
    GenreFactory,
    MovieFactory,
    MovieRelationshipFactory,
    RatingFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def movie_row(**overrides):
    row = {
        "title": "Raw",
        "original_title": "",
        "overview": "",
        "popularity": 0,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return row | overrides


def review_row(movie, **overrides):
    row = {
        "movie_id": movie.pk,
        "source": "critic",
        "author": "",
        "text": "x",
        "sentiment_label": "",
    }
    row["created_at"] = NOW
    return row | overrides


def messages_of(excinfo):
    return " ".join(str(message) for message in excinfo.value.messages)


def test_genre_names_are_unique_regardless_of_case():
    GenreFactory(name="Drama", slug="drama")
    with pytest.raises(ValidationError) as excinfo:
        Genre(name="DRAMA", slug="drama-2").full_clean()
    assert "A genre with this name already exists." in messages_of(excinfo)
    assert_refused_by_database("catalog_genre", name="dRaMa", slug="drama-3")


def test_a_valid_movie_passes_validation_and_saves():
    movie = MovieFactory.build(imdb_id="tt0133093", tmdb_id=603)
    movie.full_clean()
    movie.save()
    assert Movie.objects.get(tmdb_id=603).imdb_id == "tt0133093"


@pytest.mark.parametrize("imdb_id", ["0133093", "tt12", "nm0000123", "tt0133093123456"])
def test_imdb_id_must_be_tt_and_digits(imdb_id):
    with pytest.raises(ValidationError) as excinfo:
        MovieFactory.build(imdb_id=imdb_id).full_clean()
    assert "imdb_id" in excinfo.value.message_dict
    if imdb_id.startswith("tt") and 9 <= len(imdb_id) <= 12:
        return  # digits-only is the validator's part; the database checks prefix and length
    assert_refused_by_database("catalog_movie", **movie_row(imdb_id=imdb_id))


def test_tmdb_and_imdb_ids_are_unique():
    MovieFactory(tmdb_id=603, imdb_id="tt0133093")
    with pytest.raises(ValidationError) as excinfo:
        MovieFactory.build(tmdb_id=603, imdb_id="tt0133093").full_clean()
    assert set(excinfo.value.message_dict) >= {"tmdb_id", "imdb_id"}
    assert_refused_by_database("catalog_movie", **movie_row(tmdb_id=603))
    assert_refused_by_database("catalog_movie", **movie_row(imdb_id="tt0133093"))


def test_movies_without_external_ids_may_coexist():
    MovieFactory(tmdb_id=None, imdb_id=None)
    MovieFactory(tmdb_id=None, imdb_id=None)
    raw_insert("catalog_movie", **movie_row())
    assert Movie.objects.filter(tmdb_id__isnull=True).count() == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", 1500, "The year must be between 1870 and 2100."),
        ("runtime_minutes", 0, "The runtime must be at least one minute."),
        ("popularity", -1.0, "Popularity cannot be negative."),
    ],
)
def test_movie_ranges(field, value, message):
    movie = MovieFactory.build(release_date=None, **{field: value})
    with pytest.raises(ValidationError) as excinfo:
        movie.full_clean()
    assert message in messages_of(excinfo) or field in excinfo.value.message_dict
    assert_refused_by_database("catalog_movie", **movie_row(**{field: value}))


def test_year_must_match_release_date():
    movie = MovieFactory.build(year=1999)
    movie.release_date = movie.release_date.replace(year=2001)
    with pytest.raises(ValidationError) as excinfo:
        movie.full_clean()
    assert excinfo.value.message_dict["year"] == ["The year must be the year of the release date."]
    released = dt.date(1992, 5, 22)
    assert_refused_by_database("catalog_movie", **movie_row(release_date=released, year=1950))
    assert_refused_by_database("catalog_movie", **movie_row(release_date=released, year=None))
    raw_insert("catalog_movie", **movie_row(release_date=released, year=1992))
    raw_insert("catalog_movie", **movie_row(release_date=None, year=1950))


def test_an_update_around_validation_cannot_move_the_year_off_the_release_date():
    movie = MovieFactory(release_date=dt.date(1992, 5, 22))
    with pytest.raises(IntegrityError), transaction.atomic():
        Movie.objects.filter(pk=movie.pk).update(year=1950)
    Movie.objects.filter(pk=movie.pk).update(year=1992, release_date=dt.date(1992, 1, 1))


def test_year_is_filled_in_from_the_release_date():
    movie = MovieFactory.build(year=None)
    movie.full_clean()
    assert movie.year == movie.release_date.year


def test_a_twitter_review_needs_a_tweet_id():
    movie = MovieFactory()
    with pytest.raises(ValidationError) as excinfo:
        ReviewFactory.build(movie=movie, source="twitter", tweet_id=None).full_clean()
    assert "A review from Twitter needs its tweet id" in messages_of(excinfo)
    assert_refused_by_database("catalog_review", **review_row(movie, source="twitter"))


def test_only_twitter_reviews_have_a_tweet_id():
    movie = MovieFactory()
    with pytest.raises(ValidationError):
        ReviewFactory.build(movie=movie, source="critic", tweet_id=123).full_clean()
    assert_refused_by_database("catalog_review", **review_row(movie, tweet_id=123))


def test_tweet_ids_are_unique():
    review = ReviewFactory(tweet=True)
    duplicate = ReviewFactory.build(tweet=True, movie=review.movie, tweet_id=review.tweet_id)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "tweet_id" in excinfo.value.message_dict
    assert_refused_by_database(
        "catalog_review", **review_row(review.movie, source="twitter", tweet_id=review.tweet_id)
    )


@pytest.mark.parametrize("score", [-1.5, 1.01])
def test_sentiment_score_is_between_minus_one_and_one(score):
    movie = MovieFactory()
    with pytest.raises(ValidationError):
        ReviewFactory.build(movie=movie, sentiment_score=score).full_clean()
    assert_refused_by_database("catalog_review", **review_row(movie, sentiment_score=score))


def test_rating_value_must_lie_on_its_scale():
    # Not a Marquee rating, which has a rule of its own for its stars.
    rating = RatingFactory.build(value=6, source="other", movie=MovieFactory())
    rating.user.save()
    with pytest.raises(ValidationError) as excinfo:
        rating.full_clean()
    assert "The rating must lie on its scale." in messages_of(excinfo)
    assert_refused_by_database(
        "catalog_rating",
        movie_id=rating.movie.pk,
        source="other",
        rater_kind="user",
        user_id=rating.user.pk,
        external_rater_id="",
        value=6,
        scale_min=1,
        scale_max=5,
    )


def test_rating_rater_must_match_its_kind():
    movie = MovieFactory()
    with pytest.raises(ValidationError) as excinfo:
        Rating(
            movie=movie, source="tmdb", rater_kind="aggregate", value=7, scale_min=0, scale_max=10
        ).full_clean()
    assert "an aggregate rating gives its vote count" in messages_of(excinfo)
    assert_refused_by_database(
        "catalog_rating",
        movie_id=movie.pk,
        source="movielens",
        rater_kind="external",
        external_rater_id="",
        value=3,
        scale_min=0.5,
        scale_max=5,
    )


def test_one_rating_per_rater_movie_and_source():
    first = RatingFactory(external=True)
    again = Rating(
        movie=first.movie,
        source=first.source,
        rater_kind=first.rater_kind,
        external_rater_id=first.external_rater_id,
        value=2,
        scale_min=0.5,
        scale_max=5,
    )
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert "This rater has already rated this movie in this source." in messages_of(excinfo)
    assert_refused_by_database(
        "catalog_rating",
        movie_id=first.movie.pk,
        source=first.source,
        rater_kind="external",
        external_rater_id=first.external_rater_id,
        value=2,
        scale_min=0.5,
        scale_max=5,
    )
    # The same rater may rate the same film in another data set.
    RatingFactory(
        external=True, movie=first.movie, external_rater_id=first.external_rater_id, source="other"
    )


def test_one_aggregate_per_movie_and_source():
    aggregate = RatingFactory(aggregate=True)
    assert_refused_by_database(
        "catalog_rating",
        movie_id=aggregate.movie.pk,
        source="tmdb",
        rater_kind="aggregate",
        external_rater_id="",
        value=5,
        scale_min=0,
        scale_max=10,
        vote_count=3,
    )


def test_a_movie_never_relates_to_itself():
    movie = MovieFactory()
    with pytest.raises(ValidationError) as excinfo:
        MovieRelationship(from_movie=movie, to_movie=movie, relationship_type="sequel").full_clean()
    assert "A movie cannot be related to itself." in messages_of(excinfo)
    assert_refused_by_database(
        "catalog_movierelationship",
        from_movie_id=movie.pk,
        to_movie_id=movie.pk,
        relationship_type="sequel",
        weight=1,
    )


def test_one_relationship_per_pair_and_type():
    relationship = MovieRelationshipFactory()
    duplicate = MovieRelationship(
        from_movie=relationship.from_movie,
        to_movie=relationship.to_movie,
        relationship_type=relationship.relationship_type,
    )
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "These movies already have this relationship." in messages_of(excinfo)
    assert_refused_by_database(
        "catalog_movierelationship",
        from_movie_id=relationship.from_movie.pk,
        to_movie_id=relationship.to_movie.pk,
        relationship_type=relationship.relationship_type,
        weight=0.5,
    )
    # Another type between the same pair is a different fact.
    MovieRelationshipFactory(
        from_movie=relationship.from_movie,
        to_movie=relationship.to_movie,
        relationship_type="same_franchise",
    )


def test_unknown_choice_values_are_refused_by_the_database():
    movie = MovieFactory()
    assert_refused_by_database("catalog_review", **review_row(movie, source="myspace"))
    other = MovieFactory()
    assert_refused_by_database(
        "catalog_movierelationship",
        from_movie_id=movie.pk,
        to_movie_id=other.pk,
        relationship_type="cousin",
        weight=1,
    )
    assert Review.objects.count() == 0


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_popularity_is_a_finite_number(value):
    # PostgreSQL's float8 holds Infinity and NaN, and NaN passes "at least 0" there;
    # SQLite holds infinity (and NaN as NULL, which NOT NULL refuses).
    with pytest.raises(ValidationError) as excinfo:
        MovieFactory.build(popularity=value).full_clean()
    assert excinfo.value.message_dict["popularity"] == [
        "This number must be finite, not infinity or NaN."
    ]
    assert_refused_by_database("catalog_movie", **movie_row(popularity=value))


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_vote_average_is_a_finite_number(value):
    row = {
        "movie_id": MovieFactory().pk,
        "source": "tmdb",
        "rater_kind": "aggregate",
        "external_rater_id": "",
        "value": value,
        "scale_min": 0.0,
        "scale_max": 10.0,
        "vote_count": 5,
    }
    assert_refused_by_database("catalog_rating", **row)
