"""`manage.py load_demo [--file PATH]`: load the demo data set, as often as you like.

The file (fixtures/demo.json by default) is our own shape, not Django's fixture format:
every row is named by its natural identity (a TMDB id, a media id, a username), never by
a primary key, so the same file lands on the same rows in any database.

Loading is a sync, in one transaction: for each table, one query reads the rows the file
could match, the missing ones are inserted in bulk, and only those whose values differ are
updated in bulk. Loading the same file twice therefore writes nothing at all.
`bulk_create(update_conflicts=True)` would save a query per table but cannot do this:
it cannot target Rating's partial unique constraints (nor the reviews, which have no
constraint to conflict on), cannot tell created rows from updated ones for the summary,
and would either rewrite `updated_at` / `last_updated` on every load or never touch them.

Bulk writes skip `full_clean()`, so the whole file is checked before anything is written:
types and references here, field rules by the models' own `clean_fields()`, and here again
the few cross-field rules the database holds as check constraints, so that a bad file is
refused with a one-line reason naming the record rather than with an IntegrityError.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import (
    IMDB_ID_PATTERN,
    Genre,
    Movie,
    MovieRelationship,
    RaterKind,
    Rating,
    Review,
    ReviewSource,
)
from feedback.models import Media, UserFeedback, ViewingHistory

FILE_FORMAT = "marquee-demo"
FILE_VERSION = 1
SECTIONS = {
    "format",
    "version",
    "about",
    "movies",
    "relationships",
    "reviews",
    "ratings",
    "media",
    "users",
}


class InvalidDemoData(Exception):
    """Something wrong with the file's contents; reported as a one-line CommandError."""


class Record:
    """One JSON object of the file, read field by field with typed getters.

    `where` ("ratings[12]") prefixes every error, and `done()` rejects keys nobody read, so
    that a misspelt field fails loudly instead of being silently ignored.
    """

    def __init__(self, value, where: str):
        if not isinstance(value, dict):
            raise InvalidDemoData(f"{where} should be an object")
        self.value, self.where, self.read = value, where, set()

    def _get(self, name: str, types: tuple, what: str, required: bool):
        self.read.add(name)
        value = self.value.get(name)
        if value is None:
            if required:
                raise InvalidDemoData(f"{self.where}: '{name}' is missing")
            return None
        # bool is an int to Python, but true is not a TMDB id.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise InvalidDemoData(f"{self.where}: '{name}' should be {what}")
        return value

    def text(self, name: str, required: bool = True) -> str:
        return self._get(name, (str,), "a string", required) or ""

    def integer(self, name: str, required: bool = True) -> int | None:
        return self._get(name, (int,), "a whole number", required)

    def number(self, name: str, required: bool = True) -> float | None:
        value = self._get(name, (int, float), "a number", required)
        return None if value is None else float(value)

    def boolean(self, name: str) -> bool | None:
        return self._get(name, (bool,), "true or false", required=False)

    def items(self, name: str) -> list:
        return self._get(name, (list,), "a list", required=False) or []

    def day(self, name: str, required: bool = True) -> date | None:
        value = self._get(name, (str,), "a date", required)
        try:
            return None if value is None else date.fromisoformat(value)
        except ValueError:
            raise InvalidDemoData(f"{self.where}: '{name}' should be a YYYY-MM-DD date") from None

    def moment(self, name: str, required: bool = True) -> datetime | None:
        value = self._get(name, (str,), "a datetime", required)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        # A naive time would be read in whatever TIME_ZONE the server has: ambiguous.
        if moment is None or moment.tzinfo is None:
            raise InvalidDemoData(
                f"{self.where}: '{name}' should be an ISO datetime with a time zone"
            )
        return moment

    def done(self) -> None:
        unknown = sorted(set(self.value) - self.read)
        if unknown:
            raise InvalidDemoData(f"{self.where}: unknown field '{unknown[0]}'")

    def fail(self, reason: str):
        raise InvalidDemoData(f"{self.where}: {reason}")


def records(data: dict, section: str):
    value = data.get(section, [])
    if not isinstance(value, list):
        raise InvalidDemoData(f"'{section}' should be a list")
    for index, item in enumerate(value):
        yield Record(item, f"{section}[{index}]")


def check_fields(instance: models.Model, record: Record, exclude=()) -> None:
    """The model's own field rules (choices, ranges, lengths, the IMDb pattern), no queries.

    Foreign keys are excluded: they are resolved later, and validating them would query.
    """
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        record.fail(f"{name}: {messages[0]}")


@dataclass
class DemoUser:
    username: str
    password: str
    email: str
    first_name: str
    last_name: str
    feedback: list[UserFeedback] = field(default_factory=list)
    history: list[ViewingHistory] = field(default_factory=list)


@dataclass
class DemoData:
    """The file, checked and turned into unsaved instances. Rows that point at a movie
    carry its TMDB id next to them: primary keys are only known once movies are saved."""

    movies: list[tuple[Movie, list[str]]] = field(default_factory=list)
    relationships: list[tuple[MovieRelationship, int, int]] = field(default_factory=list)
    reviews: list[tuple[Review, int]] = field(default_factory=list)
    ratings: list[tuple[Rating, int]] = field(default_factory=list)
    media: list[tuple[Media, int | None]] = field(default_factory=list)
    users: list[DemoUser] = field(default_factory=list)


def parse(data) -> DemoData:
    if not isinstance(data, dict):
        raise InvalidDemoData("the file should hold a JSON object")
    if data.get("format") != FILE_FORMAT or data.get("version") != FILE_VERSION:
        raise InvalidDemoData(
            f"not a Marquee demo file (expected format '{FILE_FORMAT}', version {FILE_VERSION})"
        )
    unknown = sorted(set(data) - SECTIONS)
    if unknown:
        raise InvalidDemoData(f"unknown section '{unknown[0]}'")

    demo = DemoData()
    tmdb_ids = set()
    for record in records(data, "movies"):
        movie = parse_movie(record)
        genres = record.items("genres")
        if not genres or not all(isinstance(name, str) and slugify(name) for name in genres):
            record.fail("'genres' should be a non-empty list of genre names")
        record.done()
        demo.movies.append((movie, genres))
        tmdb_ids.add(movie.tmdb_id)

    def movie_ref(record: Record, name: str, required: bool = True) -> int | None:
        tmdb_id = record.integer(name, required)
        if tmdb_id is not None and tmdb_id not in tmdb_ids:
            record.fail(f"'{name}' is TMDB id {tmdb_id}, which is not among the movies")
        return tmdb_id

    for record in records(data, "relationships"):
        source, target = movie_ref(record, "from"), movie_ref(record, "to")
        if source == target:
            record.fail("a movie cannot be related to itself")
        relationship = MovieRelationship(
            relationship_type=record.text("type"), weight=record.number("weight")
        )
        check_fields(relationship, record, exclude=["from_movie", "to_movie"])
        record.done()
        demo.relationships.append((relationship, source, target))

    for record in records(data, "reviews"):
        tmdb_id = movie_ref(record, "movie")
        review = parse_review(record)
        record.done()
        demo.reviews.append((review, tmdb_id))

    for record in records(data, "ratings"):
        tmdb_id = movie_ref(record, "movie")
        rating = parse_rating(record)
        record.done()
        demo.ratings.append((rating, tmdb_id))

    media_ids = set()
    for record in records(data, "media"):
        tmdb_id = movie_ref(record, "movie", required=False)
        media = Media(
            media_id=record.text("media_id"),
            title=record.text("title"),
            media_type=record.text("type"),
            duration=record.integer("duration", required=False),
        )
        check_fields(media, record, exclude=["movie", "last_updated"])
        record.done()
        demo.media.append((media, tmdb_id))
        media_ids.add(media.media_id)

    for record in records(data, "users"):
        demo.users.append(parse_user(record, media_ids))
    return demo


def parse_movie(record: Record) -> Movie:
    release_date = record.day("release_date", required=False)
    imdb_id = record.text("imdb_id", required=False) or None
    # The database checks only the prefix and length; the digits are the validator's job.
    if imdb_id and not re.fullmatch(IMDB_ID_PATTERN, imdb_id):
        record.fail(f"'imdb_id' {imdb_id!r} is not 'tt' followed by 7 to 10 digits")
    movie = Movie(
        tmdb_id=record.integer("tmdb_id"),
        imdb_id=imdb_id,
        title=record.text("title"),
        original_title=record.text("original_title", required=False),
        release_date=release_date,
        # Movie.clean() would derive the year; bulk writes never call it.
        year=release_date.year if release_date else None,
        runtime_minutes=record.integer("runtime", required=False),
        overview=record.text("overview", required=False),
        popularity=record.number("popularity", required=False) or 0.0,
    )
    check_fields(movie, record)
    return movie


def parse_review(record: Record) -> Review:
    review = Review(
        source=record.text("source"),
        tweet_id=record.integer("tweet_id", required=False),
        author=record.text("author", required=False),
        text=record.text("text"),
        posted_at=record.moment("posted_at"),
        sentiment_score=record.number("sentiment_score", required=False),
        sentiment_label=record.text("sentiment_label", required=False),
    )
    if (review.source == ReviewSource.TWITTER) != (review.tweet_id is not None):
        record.fail("a twitter review needs a 'tweet_id', and only twitter reviews have one")
    check_fields(review, record, exclude=["movie"])
    return review


def parse_rating(record: Record) -> Rating:
    kind = record.text("rater_kind")
    # The demo has no Marquee users' ratings: those belong to accounts, made in the app.
    if kind not in (RaterKind.AGGREGATE, RaterKind.EXTERNAL):
        record.fail("'rater_kind' should be 'aggregate' or 'external'")
    rating = Rating(
        source=record.text("source"),
        rater_kind=kind,
        external_rater_id=record.text("external_rater_id", required=kind == RaterKind.EXTERNAL),
        value=record.number("value"),
        scale_min=record.number("scale_min"),
        scale_max=record.number("scale_max"),
        vote_count=record.integer("vote_count", required=kind == RaterKind.AGGREGATE),
        rated_at=record.moment("rated_at", required=False),
    )
    # What the database's catalog_rating_rater_matches_kind and scale checks enforce.
    if kind == RaterKind.AGGREGATE and rating.external_rater_id:
        record.fail("an aggregate rating has a vote count, not an 'external_rater_id'")
    if kind == RaterKind.EXTERNAL and rating.vote_count is not None:
        record.fail("an external rater's rating has no 'vote_count'")
    if rating.scale_min >= rating.scale_max:
        record.fail("'scale_min' should be below 'scale_max'")
    if not rating.scale_min <= rating.value <= rating.scale_max:
        record.fail(f"value {rating.value:g} is not on its scale")
    check_fields(rating, record, exclude=["movie", "user"])
    return rating


def parse_user(record: Record, media_ids: set[str]) -> DemoUser:
    user = DemoUser(
        username=record.text("username"),
        password=record.text("password"),
        email=record.text("email", required=False),
        first_name=record.text("first_name", required=False),
        last_name=record.text("last_name", required=False),
    )

    def media_ref(item: Record) -> str:
        media_id = item.text("media_id")
        if media_id not in media_ids:
            item.fail(f"'media_id' {media_id!r} is not among the media")
        return media_id

    for index, value in enumerate(record.items("feedback")):
        item = Record(value, f"{record.where}.feedback[{index}]")
        feedback = UserFeedback(
            media_id=media_ref(item),
            watched_completion=item.boolean("watched_completion"),
            would_watch_again=item.boolean("would_watch_again"),
            rating=item.integer("rating", required=False),
            timestamp=item.moment("timestamp"),
        )
        if (feedback.watched_completion, feedback.would_watch_again, feedback.rating) == (
            (None,) * 3
        ):
            item.fail("feedback should give a rating, a completion or a would-watch-again")
        check_fields(feedback, item, exclude=["media", "user", "feedback_id"])
        item.done()
        user.feedback.append(feedback)

    for index, value in enumerate(record.items("history")):
        item = Record(value, f"{record.where}.history[{index}]")
        viewing = ViewingHistory(
            media_id=media_ref(item),
            started_at=item.moment("started_at"),
            minutes_watched=item.integer("minutes_watched", required=False),
            completed=bool(item.boolean("completed")),
        )
        check_fields(viewing, item, exclude=["media", "user"])
        item.done()
        user.history.append(viewing)
    record.done()
    return user


class Loader:
    """Writes a parsed DemoData, counting the rows it creates and updates."""

    def __init__(self):
        self.created = self.updated = 0
        self.now = timezone.now()

    def sync(self, model, wanted, existing, key, fields, stamp=None):
        """Make `wanted` (unsaved instances) exist among `existing` rows, matched by `key`.

        Missing rows are inserted; a matched row is updated only when one of `fields`
        differs, and only then is its `stamp` field (an auto_now-style time) moved on.
        """
        current = {key(row): row for row in existing}
        attnames = [model._meta.get_field(name).attname for name in fields]
        seen, to_create, to_update = set(), [], []
        for obj in wanted:
            identity = key(obj)
            if identity in seen:
                raise InvalidDemoData(
                    f"{model._meta.verbose_name} {identity!r} appears twice in the file"
                )
            seen.add(identity)
            row = current.get(identity)
            if row is None:
                to_create.append(obj)
                continue
            if any(getattr(row, name) != getattr(obj, name) for name in attnames):
                for name in attnames:
                    setattr(row, name, getattr(obj, name))
                if stamp:
                    setattr(row, stamp, self.now)
                to_update.append(row)
        model._default_manager.bulk_create(to_create, batch_size=500)
        if to_update:
            update_fields = [*fields, stamp] if stamp else fields
            model._default_manager.bulk_update(to_update, update_fields, batch_size=500)
        self.created += len(to_create)
        self.updated += len(to_update)

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
        names = {slugify(name): name for _, genres in demo.movies for name in genres}
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
            fields=[
                "imdb_id",
                "title",
                "original_title",
                "release_date",
                "year",
                "runtime_minutes",
                "overview",
                "popularity",
            ],
            stamp="updated_at",
        )
        # Read back rather than trust bulk_create to have set primary keys on every backend.
        movie_pks = dict(Movie.objects.filter(tmdb_id__in=tmdb_ids).values_list("tmdb_id", "pk"))

        # Each movie's genres become exactly the file's: add what is missing, drop the rest.
        Link = Movie.genres.through
        wanted = {
            (movie_pks[movie.tmdb_id], genre_pks[slugify(name)])
            for movie, genres in demo.movies
            for name in genres
        }
        current = {
            (movie, genre): pk
            for pk, movie, genre in Link.objects.filter(
                movie_id__in=movie_pks.values()
            ).values_list("pk", "movie_id", "genre_id")
        }
        missing = sorted(wanted - current.keys())
        extra = [pk for link, pk in current.items() if link not in wanted]
        Link.objects.bulk_create([Link(movie_id=movie, genre_id=genre) for movie, genre in missing])
        if extra:
            Link.objects.filter(pk__in=extra).delete()
        self.created += len(missing)
        self.updated += len(extra)  # A dropped genre is a change to its movie.
        return movie_pks

    def load_relationships(self, demo: DemoData, movie_pks: dict[int, int]) -> None:
        for relationship, source, target in demo.relationships:
            relationship.from_movie_id, relationship.to_movie_id = (
                movie_pks[source],
                movie_pks[target],
            )
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
            fields=[
                "movie",
                "source",
                "author",
                "text",
                "posted_at",
                "sentiment_score",
                "sentiment_label",
            ],
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

    def load_user(self, demo_user: DemoUser) -> None:
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: demo_user.username}).first()
        # An existing account is left exactly as it is: its owner may have changed the
        # password, and the demo must never reset it (nor make anyone staff).
        if user is None:
            user = User._default_manager.create_user(
                demo_user.username,
                email=demo_user.email,
                password=demo_user.password,
                first_name=demo_user.first_name,
                last_name=demo_user.last_name,
            )
            self.created += 1
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


class Command(BaseCommand):
    help = "Load the demo data set (films, reviews, ratings, media and a demo user)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "demo.json",
            help="The demo data file (default: fixtures/demo.json).",
        )

    def handle(self, *args, file, **options):
        file = Path(file)  # call_command() passes options through without `type`.
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Demo data file not found: {file}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None

        loader = Loader()
        try:
            demo = parse(data)
            with transaction.atomic():
                loader.load(demo)
        except InvalidDemoData as exc:
            raise CommandError(f"{file}: {exc}") from None
        except DatabaseError as exc:
            # A clash with rows already in the database (another movie with this IMDb id,
            # say) or a database that is not migrated: say so on one line.
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"Could not load {file}: {reason}") from None

        genres = {slugify(name) for _, names in demo.movies for name in names}
        counts = [
            (len(demo.movies), "movie"),
            (len(genres), "genre"),
            (len(demo.relationships), "relationship"),
            (len(demo.reviews), "review"),
            (len(demo.ratings), "rating"),
            (len(demo.media), "media item"),
            (len(demo.users), "user"),
            (sum(len(user.feedback) for user in demo.users), "feedback row"),
            (sum(len(user.history) for user in demo.users), "viewing"),
        ]
        summary = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts)
        self.stdout.write(
            f"Demo data: {summary} ({loader.created} created, {loader.updated} updated on this run)"
        )
