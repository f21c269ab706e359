"""Writing a read demo file: every table synced against the rows already there.

Loading is a sync, in one transaction, with the importers' `sync_rows`: for each table,
one query reads the rows the file could match, the missing ones are inserted in bulk, and
only those whose values differ are updated in bulk. Loading the same file twice therefore
writes nothing at all. `bulk_create(update_conflicts=True)` would save a query per table
but cannot do this: it cannot target Rating's partial unique constraints (nor the reviews,
which have no constraint to conflict on), cannot tell created rows from updated ones for
the summary, and would either rewrite `updated_at` / `last_updated` on every load or
never touch them.
"""

from collections.abc import Callable, Hashable, Iterable

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.text import slugify

from catalog.demo.reading import DemoData, DemoUser
from catalog.demo.records import InvalidDemoData
from catalog.importers.writing import Synced, sync_links, sync_rows
from catalog.models import Genre, Movie, MovieRelationship, RaterKind, Rating, Review
from catalog.rating_stats import refresh_rating_stats
from config.emails import email_taken
from feedback.models import Media, UserFeedback, ViewingHistory
from feedback.services import marquee_ratings_sync

MOVIE_FIELDS = [
    "imdb_id",
    "title",
    "original_title",
    "release_date",
    "year",
    "runtime_minutes",
    "overview",
    "popularity",
]
TWEET_FIELDS = [
    "movie",
    "source",
    "author",
    "text",
    "posted_at",
    "sentiment_score",
    "sentiment_label",
]


def write_demo(demo: DemoData) -> Synced:
    """Write a read demo file in one transaction: the rows created, updated and left alone.

    A dropped genre counts as an update of its movie, so `deleted` stays 0.
    """
    loader = Loader()
    with transaction.atomic():
        loader.load(demo)
    return loader.written


class Loader:
    """Writes a DemoData table by table, adding up what each sync did."""

    def __init__(self):
        self.written = Synced()

    def sync(
        self,
        model: type[models.Model],
        rows: list[models.Model],
        existing: Iterable[models.Model],
        key: Callable[[models.Model], Hashable],
        fields: list[str],
        stamp: str | None = None,
    ) -> None:
        wanted = {key(row): row for row in rows}
        # read_demo refuses a row given twice; should its identities and these keys ever
        # drift apart, refuse the file rather than silently drop a row.
        if len(wanted) < len(rows):
            raise InvalidDemoData(f"a {model._meta.verbose_name} appears twice in the file")
        synced = sync_rows(
            model=model, wanted=wanted, existing=existing, key=key, fields=fields, stamp=stamp
        )
        self.written.created += synced.created
        self.written.updated += synced.updated
        self.written.unchanged += synced.unchanged

    def load(self, demo: DemoData) -> None:
        movie_pks = self.load_movies(demo)
        self.load_relationships(demo, movie_pks)
        self.load_reviews(demo, movie_pks)
        self.load_ratings(demo, movie_pks)
        self.sync(
            Media,
            [with_movie(media, tmdb_id, movie_pks) for media, tmdb_id in demo.media],
            Media.objects.filter(media_id__in=[media.media_id for media, _ in demo.media]),
            key=lambda media: media.media_id,
            fields=["title", "media_type", "duration", "movie"],
            stamp="last_updated",
        )
        for demo_user in demo.users:
            self.load_user(demo_user)

    def load_movies(self, demo: DemoData) -> dict[int, int]:
        """Genres, movies and the links between them; {TMDB id: movie pk}."""
        names = demo.genre_names()
        self.sync(
            Genre,
            [Genre(slug=slug, name=name) for slug, name in sorted(names.items())],
            Genre.objects.filter(slug__in=names),
            key=lambda genre: genre.slug,
            fields=["name"],
        )
        genre_pks = dict(Genre.objects.filter(slug__in=names).values_list("slug", "pk"))

        tmdb_ids = [movie.tmdb_id for movie, _ in demo.movies]
        self.sync(
            Movie,
            [movie for movie, _ in demo.movies],
            Movie.objects.filter(tmdb_id__in=tmdb_ids),
            key=lambda movie: movie.tmdb_id,
            fields=MOVIE_FIELDS,
            stamp="updated_at",
        )
        # Read back rather than trust bulk_create to have set primary keys on every backend.
        movie_pks = dict(Movie.objects.filter(tmdb_id__in=tmdb_ids).values_list("tmdb_id", "pk"))

        # Each movie's genres become exactly the file's: add what is missing, drop the rest.
        links = sync_links(
            relation=Movie.genres,
            wanted={
                movie_pks[movie.tmdb_id]: {genre_pks[slugify(name)] for name in genres}
                for movie, genres in demo.movies
            },
        )
        self.written.created += links.created
        self.written.updated += links.deleted  # A dropped genre is a change to its movie.
        self.written.unchanged += links.unchanged
        return movie_pks

    def load_relationships(self, demo: DemoData, movie_pks: dict[int, int]) -> None:
        for relationship, source, target in demo.relationships:
            relationship.from_movie_id = movie_pks[source]
            relationship.to_movie_id = movie_pks[target]
        self.sync(
            MovieRelationship,
            [relationship for relationship, _, _ in demo.relationships],
            MovieRelationship.objects.filter(from_movie_id__in=movie_pks.values()),
            key=lambda rel: (rel.from_movie_id, rel.to_movie_id, rel.relationship_type),
            fields=["weight"],
        )

    def load_reviews(self, demo: DemoData, movie_pks: dict[int, int]) -> None:
        reviews = [with_movie(review, tmdb_id, movie_pks) for review, tmdb_id in demo.reviews]
        tweets = [review for review in reviews if review.tweet_id is not None]
        others = [review for review in reviews if review.tweet_id is None]
        # A tweet is itself wherever it is attached; other reviews are known by who wrote
        # what about which film, and when.
        self.sync(
            Review,
            tweets,
            Review.objects.filter(tweet_id__in=[review.tweet_id for review in tweets]),
            key=lambda review: review.tweet_id,
            fields=TWEET_FIELDS,
        )
        self.sync(
            Review,
            others,
            Review.objects.filter(movie_id__in=movie_pks.values(), tweet_id__isnull=True),
            key=lambda review: (review.movie_id, review.source, review.author, review.posted_at),
            fields=["text", "sentiment_score", "sentiment_label"],
        )

    def load_ratings(self, demo: DemoData, movie_pks: dict[int, int]) -> None:
        ratings = [with_movie(rating, tmdb_id, movie_pks) for rating, tmdb_id in demo.ratings]
        written_before = self.written.created + self.written.updated
        # The identities are those of Rating's partial unique constraints, per rater kind.
        aggregates = [rating for rating in ratings if rating.rater_kind == RaterKind.AGGREGATE]
        self.sync(
            Rating,
            aggregates,
            Rating.objects.filter(rater_kind=RaterKind.AGGREGATE, movie_id__in=movie_pks.values()),
            key=lambda rating: (rating.movie_id, rating.source),
            fields=["value", "scale_min", "scale_max", "vote_count", "rated_at"],
        )
        externals = [rating for rating in ratings if rating.rater_kind == RaterKind.EXTERNAL]
        self.sync(
            Rating,
            externals,
            Rating.objects.filter(
                rater_kind=RaterKind.EXTERNAL,
                movie_id__in=movie_pks.values(),
                external_rater_id__in={rating.external_rater_id for rating in externals},
            ),
            key=lambda rating: (rating.external_rater_id, rating.movie_id, rating.source),
            fields=["value", "scale_min", "scale_max", "rated_at"],
        )
        # Bulk writes: the films' stats are not kept by Rating.save().
        if self.written.created + self.written.updated > written_before:
            refresh_rating_stats(movie_pks.values())

    def load_user(self, demo_user: DemoUser) -> None:
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: demo_user.username}).first()
        # An existing account is left exactly as it is: its owner may have changed the
        # password, and the demo must never reset it (nor make anyone staff).
        if user is None:
            # The database would refuse it too (feedback migration 0014), without saying
            # whose address it is.
            if email_taken(demo_user.email):
                raise InvalidDemoData(
                    f"the demo account {demo_user.username!r} has the email address "
                    f"{demo_user.email}, which another account already uses (in some letter "
                    "case): change that account's address in the admin (Users), or the "
                    "demo account's in the file"
                )
            user = User._default_manager.create_user(
                demo_user.username,
                email=demo_user.email,
                password=demo_user.password,
                first_name=demo_user.first_name,
                last_name=demo_user.last_name,
            )
            self.written.created += 1
        for row in (*demo_user.feedback, *demo_user.history):
            row.user = user
        media_ids = {row.media_id for row in (*demo_user.feedback, *demo_user.history)}
        self.sync(
            UserFeedback,
            demo_user.feedback,
            UserFeedback.objects.filter(user=user, media_id__in=media_ids),
            key=lambda feedback: feedback.media_id,
            fields=["watched_completion", "would_watch_again", "rating", "timestamp"],
        )
        # The person's Marquee ratings follow their feedback, as when they rate on the
        # pages: bulk writes pass by feedback_record.
        feedback = UserFeedback.objects.filter(user=user, media_id__in=media_ids)
        rated = marquee_ratings_sync(pairs=feedback.people_and_films())
        self.written.created += rated.created
        self.written.updated += rated.updated + rated.deleted
        self.sync(
            ViewingHistory,
            demo_user.history,
            ViewingHistory.objects.filter(user=user, media_id__in=media_ids),
            key=lambda viewing: (viewing.media_id, viewing.started_at),
            fields=["minutes_watched", "completed"],
        )


def with_movie(instance, tmdb_id: int | None, movie_pks: dict[int, int]):
    instance.movie_id = None if tmdb_id is None else movie_pks[tmdb_id]
    return instance
