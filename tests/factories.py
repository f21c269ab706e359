"""One factory-boy factory per model; tests build exactly the rows they need."""

import datetime as dt
import hashlib
import uuid

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from catalog.models import (
    Genre,
    Movie,
    MovieRelationship,
    RaterKind,
    Rating,
    RatingSource,
    RelationshipType,
    Review,
    ReviewSource,
    UserSearch,
)
from feedback.models import (
    FilmList,
    FilmListEntry,
    Media,
    MediaType,
    NotInterested,
    PendingEmailChange,
    UserFeedback,
    UserTimeZone,
    ViewingHistory,
    WatchlistEntry,
)
from recommendations.models import RecommendationLog, RecommendationType

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"viewer{n}")
    # A sequence of its own, not the username's: addresses are unique in any case in the
    # database (feedback migration 0014), whatever usernames a test picks.
    email = factory.Sequence(lambda n: f"viewer{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy's signature
        if create:
            obj.save(update_fields=["password"])

    class Params:
        staff = factory.Trait(is_staff=True, is_superuser=True)


class GenreFactory(DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.LazyAttribute(lambda g: g.name.lower().replace(" ", "-"))


class MovieFactory(DjangoModelFactory):
    class Meta:
        model = Movie
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Film n°{n}")
    release_date = factory.Sequence(lambda n: dt.date(1950 + n % 70, 1 + n % 12, 1 + n % 28))
    year = factory.LazyAttribute(lambda m: m.release_date.year if m.release_date else None)
    runtime_minutes = factory.Sequence(lambda n: 80 + n % 90)
    overview = factory.Faker("paragraph")
    tmdb_id = factory.Sequence(lambda n: 100_000 + n)
    imdb_id = factory.Sequence(lambda n: f"tt{9_000_000 + n:07d}")
    popularity = factory.Sequence(lambda n: float(n % 100))

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create and extracted:
            self.genres.set(extracted)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """A year given without a release date moves the sequence's date into that year:
        the database refuses a film whose year is not that of its release date."""
        date, year = kwargs.get("release_date"), kwargs.get("year")
        if date and year and year != date.year:
            kwargs["release_date"] = date.replace(year=year)
        return kwargs


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    movie = factory.SubFactory(MovieFactory)
    source = ReviewSource.CRITIC
    author = factory.Faker("name")
    text = factory.Faker("paragraph")
    posted_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(hours=n))

    class Params:
        tweet = factory.Trait(
            source=ReviewSource.TWITTER,
            tweet_id=factory.Sequence(lambda n: 1_500_000_000_000_000_000 + n),
            author=factory.Sequence(lambda n: f"@critic{n}"),
            sentiment_score=0.6,
            sentiment_label="positive",
        )
        # A member's own review, as catalog/reviews.py writes it.
        member = factory.Trait(
            source=ReviewSource.USER,
            user=factory.SubFactory(UserFactory),
            author="",
        )


class RatingFactory(DjangoModelFactory):
    """A Marquee user's rating by default; traits for external raters and aggregates."""

    class Meta:
        model = Rating

    movie = factory.SubFactory(MovieFactory)
    source = RatingSource.MARQUEE
    rater_kind = RaterKind.USER
    user = factory.SubFactory(UserFactory)
    value = 4
    scale_min = 1
    scale_max = 5
    rated_at = factory.LazyFunction(timezone.now)

    class Params:
        external = factory.Trait(
            source=RatingSource.MOVIELENS,
            rater_kind=RaterKind.EXTERNAL,
            user=None,
            external_rater_id=factory.Sequence(lambda n: f"ml-{n}"),
            scale_min=0.5,
        )
        aggregate = factory.Trait(
            source=RatingSource.TMDB,
            rater_kind=RaterKind.AGGREGATE,
            user=None,
            value=7.5,
            scale_min=0,
            scale_max=10,
            vote_count=1200,
            rated_at=None,
        )


class UserSearchFactory(DjangoModelFactory):
    class Meta:
        model = UserSearch

    query = factory.Faker("word")
    filters = factory.LazyFunction(dict)
    results_count = 3
    names_a_film = True
    user = None


class MovieRelationshipFactory(DjangoModelFactory):
    class Meta:
        model = MovieRelationship

    from_movie = factory.SubFactory(MovieFactory)
    to_movie = factory.SubFactory(MovieFactory)
    relationship_type = RelationshipType.SEQUEL
    weight = 1.0


class MediaFactory(DjangoModelFactory):
    class Meta:
        model = Media

    media_id = factory.Sequence(lambda n: f"plex:{n}")
    title = factory.LazyAttribute(lambda m: m.movie.title if m.movie else f"Episode {m.media_id}")
    media_type = MediaType.MOVIE
    movie = factory.SubFactory(MovieFactory)
    duration = factory.LazyAttribute(lambda m: m.movie.runtime_minutes if m.movie else 42)


class UserFeedbackFactory(DjangoModelFactory):
    class Meta:
        model = UserFeedback

    media = factory.SubFactory(MediaFactory)
    user = factory.SubFactory(UserFactory)
    watched_completion = True
    would_watch_again = True
    rating = 4


class ViewingHistoryFactory(DjangoModelFactory):
    class Meta:
        model = ViewingHistory

    user = factory.SubFactory(UserFactory)
    media = factory.SubFactory(MediaFactory)
    started_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(days=n))
    minutes_watched = 95
    completed = True


class WatchlistEntryFactory(DjangoModelFactory):
    class Meta:
        model = WatchlistEntry

    user = factory.SubFactory(UserFactory)
    movie = factory.SubFactory(MovieFactory)
    # Each an hour before the one made before it: no two tie in a watchlist's order.
    added_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(hours=n))


class NotInterestedFactory(DjangoModelFactory):
    class Meta:
        model = NotInterested

    user = factory.SubFactory(UserFactory)
    movie = factory.SubFactory(MovieFactory)
    # Each an hour before the one made before it: no two tie in the page's order.
    turned_down_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(hours=n))


class FilmListFactory(DjangoModelFactory):
    class Meta:
        model = FilmList

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Comfort rewatches {n}")
    description = "Films for a rainy Sunday."


class FilmListEntryFactory(DjangoModelFactory):
    """The film at the list's next position: make a list's entries in their order."""

    class Meta:
        model = FilmListEntry

    film_list = factory.SubFactory(FilmListFactory)
    movie = factory.SubFactory(MovieFactory)
    position = factory.LazyAttribute(lambda entry: entry.film_list.entries.count() + 1)
    note = ""


class UserTimeZoneFactory(DjangoModelFactory):
    class Meta:
        model = UserTimeZone

    user = factory.SubFactory(UserFactory)
    time_zone = factory.Iterator(["Europe/Berlin", "America/New_York", "Asia/Tokyo", ""])


class PendingEmailChangeFactory(DjangoModelFactory):
    class Meta:
        model = PendingEmailChange

    user = factory.SubFactory(UserFactory)
    email = factory.Sequence(lambda n: f"new.address{n}@example.com")
    replaces = factory.LazyAttribute(lambda change: change.user.email)
    key_digest = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())


class RecommendationLogFactory(DjangoModelFactory):
    class Meta:
        model = RecommendationLog

    media = factory.SubFactory(MediaFactory)
    user = factory.SubFactory(UserFactory)
    recommendation_type = RecommendationType.PRIMARY
    score = 0.8
    reason = "Because you loved a similar film"
    slate_id = factory.LazyFunction(uuid.uuid4)
    engine_version = "test"


# --- imports ---


class MovieTagFactory(DjangoModelFactory):
    class Meta:
        model = "catalog.MovieTag"

    movie = factory.SubFactory(MovieFactory)
    source = RatingSource.MOVIELENS
    external_rater_id = factory.Sequence(lambda n: str(n + 1))
    tag = factory.Sequence(lambda n: f"tag {n}")
    tagged_at = factory.LazyFunction(timezone.now)


# --- recommendations ---


class MovieSimilarityFactory(DjangoModelFactory):
    class Meta:
        model = "recommendations.MovieSimilarity"

    movie = factory.SubFactory(MovieFactory)
    neighbour = factory.SubFactory(MovieFactory)
    weight = 0.5


class MovieRatingStatsFactory(DjangoModelFactory):
    """Stats set by hand: the ratings would give others (they are derived from them)."""

    class Meta:
        model = "catalog.MovieRatingStats"

    movie = factory.SubFactory(MovieFactory)
    votes = 12
    score = 8.4


class MoviePriorFactory(DjangoModelFactory):
    class Meta:
        model = "recommendations.MoviePrior"

    movie = factory.SubFactory(MovieFactory)
    rating_average = 0.7
    rating_count = 12
    positive_count = 6
    popularity = 0.4
    score = factory.LazyAttribute(lambda p: (p.rating_average + p.popularity) / 2)


# --- log-in lockouts (django-axes) ---


class AccessAttemptFactory(DjangoModelFactory):
    """Failed log-ins for one username from one address; locked out at the limit."""

    class Meta:
        model = "axes.AccessAttempt"

    username = factory.Sequence(lambda n: f"viewer{n}")
    ip_address = factory.Sequence(lambda n: f"192.0.2.{n % 250 + 1}")
    user_agent = "Mozilla/5.0"
    http_accept = "text/html"
    path_info = "/accounts/login/"
    get_data = ""
    post_data = "username=viewer\npassword=********************"
    failures_since_start = 1


class AccessAttemptExpirationFactory(DjangoModelFactory):
    class Meta:
        model = "axes.AccessAttemptExpiration"

    access_attempt = factory.SubFactory(AccessAttemptFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=15))


class AccessLogFactory(DjangoModelFactory):
    class Meta:
        model = "axes.AccessLog"

    username = factory.Sequence(lambda n: f"viewer{n}")
    ip_address = "2001:db8::1"
    user_agent = "Mozilla/5.0"
    http_accept = "text/html"
    path_info = "/accounts/login/"
    session_hash = "0" * 64


class AccessFailureLogFactory(DjangoModelFactory):
    class Meta:
        model = "axes.AccessFailureLog"

    username = factory.Sequence(lambda n: f"viewer{n}")
    ip_address = None
    user_agent = "Mozilla/5.0"
    http_accept = "text/html"
    path_info = "/admin/login/"
    locked_out = True
