"""Tweets about films, as JSON lines, become Twitter reviews with a sentiment score.

A line: {"tweet_id": "1452...", "text": "...", "author": "@someone", "created_at":
"2021-10-25T18:02:11Z", and the film as "tmdb_id", "imdb_id", or "title" and "year"}.
Twitter's own names are read too: "id_str"/"id", "full_text", "user": {"screen_name"}.
The film must be in the catalog already: a tweet names a film, it does not describe one.

The first line of a tweet id stands: a later one, however far down the file, is skipped
if it says the same and rejected otherwise (SeenTweets keeps the ids met so far in the
database), so that a second run of a file changes nothing, whatever its batch size.
"""

import json
import re
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from catalog.bounds import BIGINT_MAX, CLOCK_SKEW
from catalog.importers import records
from catalog.importers.matching import (
    Identity,
    MatchConflict,
    MovieIndex,
    ambiguous_title,
    title_key,
)
from catalog.importers.movies import first_error
from catalog.importers.records import BadRecord
from catalog.importers.report import HeldRejections, ImportReport
from catalog.importers.scratch import ScratchTable
from catalog.importers.sentiment import sentiment_of
from catalog.importers.writing import sync_rows
from catalog.models import IMDB_ID_PATTERN, TWITTER_BEGAN, Movie, Review, ReviewSource

DEFAULT_BATCH_SIZE = 2_000
MAX_NAMED = 5  # films a rejection names, for a title without its year
# tweet id -> (line, review) of the first line of each tweet of a batch
Batch = dict[int, tuple[int, Review]]
SEEN = "marquee_tweets_seen"
CREATE_SEEN = f"""
CREATE TEMPORARY TABLE {SEEN} (
    tweet_id bigint PRIMARY KEY,
    line bigint NOT NULL,
    digest bigint NOT NULL
)"""
# Constants only in these texts: the tweet ids are a parameter.
SEEN_OF_ARRAY = f"SELECT tweet_id, line, digest FROM {SEEN} WHERE tweet_id = ANY(%s)"  # noqa: S608
SEEN_OF_JSON = f"""
SELECT tweet_id, line, digest FROM {SEEN} WHERE tweet_id IN (SELECT value FROM json_each(%s))
"""  # noqa: S608
INSERT_SEEN = f"INSERT INTO {SEEN} VALUES (%s, %s, %s)"  # noqa: S608
REVIEW_FIELDS = [
    "movie",
    "source",
    "author",
    "text",
    "posted_at",
    "sentiment_score",
    "sentiment_label",
]


def looks_like_tweet(record: dict) -> bool:
    has_id = any(name in record for name in ("tweet_id", "id_str", "id"))
    return has_id and any(name in record for name in ("text", "full_text"))


def import_tweets(
    path, *, report: ImportReport, batch_size=DEFAULT_BATCH_SIZE, progress=None
) -> ImportReport:
    path = Path(path)
    index = MovieIndex.load()
    counts = report["reviews"]
    # A batch's rejections wait for its repeats of earlier batches, to be listed in the
    # file's order (and for --strict to stop at the first bad line).
    held = HeldRejections(report)
    batch: Batch = {}
    again: list[tuple[int, Review]] = []  # lines repeating a tweet id met before
    lines = 0

    def flush() -> None:
        repeated = settle_repeats(batch, again, seen, held, path.name)
        reviews = {tweet_id: review for tweet_id, (_, review) in batch.items()}
        with report.batch_transaction():
            synced = sync_rows(
                model=Review,
                wanted=reviews,
                existing=Review.objects.filter(tweet_id__in=reviews),
                key=lambda review: review.tweet_id,
                fields=REVIEW_FIELDS,
            )
            seen.add(batch)
            counts.created += synced.created
            counts.updated += synced.updated
            counts.skipped += synced.unchanged + repeated
        batch.clear()
        again.clear()

    with SeenTweets() as seen:
        for line, record in records.json_objects(
            path,
            report=held,
            kind="reviews",
            progress=progress,
            looks_right=looks_like_tweet,
            expected="tweets (objects with 'tweet_id' and 'text')",
        ):
            lines += 1
            try:
                review = parse_tweet(record, index)
            except BadRecord as exc:
                held.reject("reviews", path.name, line, str(exc))
            else:
                if review.tweet_id in batch:
                    again.append((line, review))
                else:
                    batch[review.tweet_id] = (line, review)
            if lines == batch_size:
                flush()
                lines = 0
        flush()
    return report


def settle_repeats(batch: Batch, again: list, seen: "SeenTweets", held, name: str) -> int:
    """Take out of the batch the tweet ids an earlier batch gave, then settle every
    repeat: the same tweet again is skipped, another is rejected, naming the line that
    stands (the first). The number skipped."""
    earlier = seen.earlier(list(batch))
    for tweet_id in earlier:
        again.append(batch.pop(tweet_id))
    repeated = 0
    for line, review in again:
        first = earlier.get(review.tweet_id)
        if first is None:
            first_line, first_review = batch[review.tweet_id]
            first = (first_line, content_digest(first_review))
        if first[1] == content_digest(review):
            repeated += 1
        else:
            held.reject(
                "reviews", name, line, f"tweet {review.tweet_id} is already on line {first[0]}"
            )
    held.release()
    return repeated


def content_digest(review: Review) -> int:
    """What a line says of its tweet, hashed (as movies.FirstLines hashes a film's)."""
    return hash((review.movie_id, review.text, review.author, review.posted_at))


class SeenTweets(ScratchTable):
    """The first line of each tweet id of the file so far, with the digest of what it
    said, in a temporary table: as for MovieLens' ratings and tags, the database keeps
    them, not Python, so that memory stays flat however long the file."""

    name, create = SEEN, CREATE_SEEN

    def earlier(self, tweet_ids: list[int]) -> dict[int, tuple[int, int]]:
        """{tweet id: (line, digest)} of those an earlier batch gave."""
        if not tweet_ids:
            return {}
        if connection.vendor == "postgresql":
            query, params = SEEN_OF_ARRAY, [tweet_ids]
        else:
            query, params = SEEN_OF_JSON, [json.dumps(tweet_ids)]
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return {tweet_id: (line, digest) for tweet_id, line, digest in cursor.fetchall()}

    def add(self, batch: Batch) -> None:
        """Remember the batch's tweets, in the transaction that writes them: a batch
        rolled back is forgotten too."""
        rows = [
            (tweet_id, line, content_digest(review)) for tweet_id, (line, review) in batch.items()
        ]
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_SEEN, rows)


def parse_tweet(record: dict, index: MovieIndex) -> Review:
    tweet_id = (
        records.integer(record, "tweet_id", maximum=BIGINT_MAX)
        or records.integer(record, "id_str", maximum=BIGINT_MAX)
        or records.integer(record, "id", required=True, maximum=BIGINT_MAX)
    )
    text = records.text(record, "text") or records.text(record, "full_text")
    if not text:
        raise BadRecord("'text' is missing or empty")
    author = records.text(record, "author")
    user = record.get("user")
    if not author and isinstance(user, dict):
        author = records.text(user, "screen_name")
        author = f"@{author}" if author else ""
    score, label = sentiment_of(text)
    review = Review(
        movie_id=find_movie(record, index),
        source=ReviewSource.TWITTER,
        tweet_id=tweet_id,
        author=author,
        text=text,
        posted_at=tweeted_at(record),
        sentiment_score=score,
        sentiment_label=label,
    )
    try:
        review.clean_fields(exclude=["movie"])
    except ValidationError as exc:
        raise BadRecord(first_error(exc)) from None
    return review


def tweeted_at(record: dict) -> datetime | None:
    """When the tweet was posted: not before Twitter began, nor later than tomorrow (a
    day's leeway for a clock that is off), as Review's validation asks."""
    posted_at = records.moment(record, "created_at")
    if posted_at is None:
        return None
    given = records.text(record, "created_at")
    if posted_at > timezone.now() + CLOCK_SKEW:
        raise BadRecord(f"'created_at' {given!r} is later than tomorrow")
    if posted_at < TWITTER_BEGAN:
        raise BadRecord(f"'created_at' {given!r} is before Twitter began (21 March 2006)")
    return posted_at


def find_movie(record: dict, index: MovieIndex) -> int:
    imdb_id = records.text(record, "imdb_id") or None
    if imdb_id and not re.fullmatch(IMDB_ID_PATTERN, imdb_id):
        raise BadRecord(f"'imdb_id' {imdb_id!r} is not 'tt' followed by 7 to 10 digits")
    identity = Identity(
        tmdb_id=records.integer(record, "tmdb_id"),
        imdb_id=imdb_id,
        titles=(records.text(record, "title"),),
        year=records.integer(record, "year", minimum=1, maximum=9999),
    )
    if not (identity.tmdb_id or identity.imdb_id or identity.titles[0]):
        raise BadRecord("no film: give 'tmdb_id', 'imdb_id', or 'title' and 'year'")
    try:
        pk = index.match(identity)
    except MatchConflict as exc:
        raise BadRecord(str(exc)) from None
    if pk is None:
        raise BadRecord(not_found(identity))
    return pk


def not_found(identity: Identity) -> str:
    """Why no film is the tweet's; for a title without its year, the films it could be."""
    if identity.tmdb_id or identity.imdb_id or identity.year is not None:
        return f"no film in the catalog is {identity.describe()}"
    title = identity.titles[0]
    films = Movie.objects.filter(title__iexact=title).order_by("year", "pk")[: MAX_NAMED + 1]
    if not films:
        return f"no film in the catalog is “{title}”, and 'year' is missing"
    labels = [f"“{film.title}” ({film.year or 'no year'})" for film in films[:MAX_NAMED]]
    # The year cannot choose among films that all have the same one.
    all_alike = len({(title_key(film.title), film.year) for film in films}) == 1
    if 1 < len(films) <= MAX_NAMED and all_alike:
        return ambiguous_title(labels[0])
    more = ", …" if len(films) > MAX_NAMED else ""
    return f"'year' is missing: give it, to choose among {', '.join(labels)}{more}"
