"""Reading the demo file: checked whole, and turned into unsaved instances, before any write.

Bulk writes skip `full_clean()`, so everything is checked here: types and references, field
rules by the models' own `clean_fields()`, rows given twice, and again the few cross-field
rules the database holds as check constraints, so that a bad file is refused with a
one-line reason naming the record rather than with an IntegrityError.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from catalog.demo.records import Identities, InvalidDemoData, Record, check_fields, records
from catalog.models import (
    BEFORE_TWITTER_MESSAGE,
    IMDB_ID_PATTERN,
    TWITTER_BEGAN,
    Movie,
    MovieRelationship,
    RaterKind,
    Rating,
    Review,
    ReviewSource,
)
from feedback.models import Media, UserFeedback, ViewingHistory
from feedback.viewing_start import viewing_start_problem

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

    def genre_names(self) -> dict[str, str]:
        """{slug: name} of every genre the movies name; the last spelling of a slug wins."""
        return {slugify(name): name for _, genres in self.movies for name in genres}

    def film_years(self) -> dict[str, int | None]:
        """{media id: the year of its film}, None for an item of no film or a film of no
        year: what holds a viewing of it to its time (feedback.viewing_start)."""
        years = {movie.tmdb_id: movie.year for movie, _ in self.movies}
        return {media.media_id: years.get(tmdb_id) for media, tmdb_id in self.media}

    def counts(self) -> list[tuple[int, str]]:
        """How many of each kind of row the file holds, for the command's summary."""
        return [
            (len(self.movies), "movie"),
            (len(self.genre_names()), "genre"),
            (len(self.relationships), "relationship"),
            (len(self.reviews), "review"),
            (len(self.ratings), "rating"),
            (len(self.media), "media item"),
            (len(self.users), "user"),
            (sum(len(user.feedback) for user in self.users), "feedback row"),
            (sum(len(user.history) for user in self.users), "viewing"),
        ]


def read_demo(data) -> DemoData:
    """The decoded JSON of a demo file, checked whole; InvalidDemoData names what is wrong."""
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
    tmdb_ids = Identities("movie")
    for record in records(data, "movies"):
        movie = read_movie(record)
        genres = record.items("genres")
        if not genres or not all(isinstance(name, str) and slugify(name) for name in genres):
            record.fail("'genres' should be a non-empty list of genre names")
        record.done()
        tmdb_ids.add(record, movie.tmdb_id)
        demo.movies.append((movie, genres))

    def movie_ref(record: Record, name: str, required: bool = True) -> int | None:
        tmdb_id = record.integer(name, required)
        if tmdb_id is not None and tmdb_id not in tmdb_ids:
            record.fail(f"'{name}' is TMDB id {tmdb_id}, which is not among the movies")
        return tmdb_id

    relationships = Identities("movie relationship")
    for record in records(data, "relationships"):
        source, target = movie_ref(record, "from"), movie_ref(record, "to")
        if source == target:
            record.fail("a movie cannot be related to itself")
        relationship = MovieRelationship(
            relationship_type=record.text("type"), weight=record.number("weight")
        )
        check_fields(relationship, record, exclude=["from_movie", "to_movie"])
        record.done()
        relationships.add(record, (source, target, relationship.relationship_type))
        demo.relationships.append((relationship, source, target))

    reviews = Identities("review")
    for record in records(data, "reviews"):
        tmdb_id = movie_ref(record, "movie")
        review = read_review(record)
        record.done()
        # The loader's keys: a tweet is itself wherever it is attached; another review is
        # who wrote what about which film, and when.
        reviews.add(
            record,
            review.tweet_id
            if review.tweet_id is not None
            else (tmdb_id, review.source, review.author, review.posted_at),
        )
        demo.reviews.append((review, tmdb_id))

    ratings = Identities("rating")
    for record in records(data, "ratings"):
        tmdb_id = movie_ref(record, "movie")
        rating = read_rating(record)
        record.done()
        # The identities of Rating's partial unique constraints, per rater kind.
        if rating.rater_kind == RaterKind.AGGREGATE:
            ratings.add(record, (rating.rater_kind, tmdb_id, rating.source))
        else:
            ratings.add(
                record, (rating.rater_kind, rating.external_rater_id, tmdb_id, rating.source)
            )
        demo.ratings.append((rating, tmdb_id))

    media_ids = Identities("media item")
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
        media_ids.add(record, media.media_id)
        demo.media.append((media, tmdb_id))

    film_years = demo.film_years()
    for record in records(data, "users"):
        demo.users.append(read_user(record, media_ids, film_years))
    return demo


def read_movie(record: Record) -> Movie:
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


def read_review(record: Record) -> Review:
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
    if review.source == ReviewSource.TWITTER and review.posted_at < TWITTER_BEGAN:
        record.fail(f"posted_at: {BEFORE_TWITTER_MESSAGE}")
    return review


def read_rating(record: Record) -> Rating:
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


def read_user(record: Record, media_ids: Identities, film_years: dict[str, int | None]) -> DemoUser:
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

    feedback = Identities("feedback on")
    for index, value in enumerate(record.items("feedback")):
        item = Record(value, f"{record.where}.feedback[{index}]")
        row = UserFeedback(
            media_id=media_ref(item),
            watched_completion=item.boolean("watched_completion"),
            would_watch_again=item.boolean("would_watch_again"),
            rating=item.integer("rating", required=False),
            timestamp=item.moment("timestamp"),
        )
        if (row.watched_completion, row.would_watch_again, row.rating) == (None,) * 3:
            item.fail("feedback should give a rating, a completion or a would-watch-again")
        check_fields(row, item, exclude=["media", "user", "feedback_id"])
        item.done()
        feedback.add(item, row.media_id)
        user.feedback.append(row)

    history = Identities("viewing")
    for index, value in enumerate(record.items("history")):
        item = Record(value, f"{record.where}.history[{index}]")
        viewing = ViewingHistory(
            media_id=media_ref(item),
            started_at=item.moment("started_at"),
            minutes_watched=item.integer("minutes_watched", required=False),
            completed=bool(item.boolean("completed")),
        )
        check_fields(viewing, item, exclude=["media", "user"])
        # The item is excluded above (it is not written yet): its film's year is the file's.
        if problem := viewing_start_problem(viewing.started_at, film_years[viewing.media_id]):
            item.fail(f"started_at: {problem}")
        item.done()
        history.add(item, (viewing.media_id, viewing.started_at))
        user.history.append(viewing)
    record.done()
    return user
