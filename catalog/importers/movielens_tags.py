"""MovieLens' tags.csv: a rater's free-text tags on films, row by row, in batches.

A tag is known by its rater, film and text; the file's first line for it stands. A line
repeating it later, whatever its timestamp, is skipped, as a repeated rating is: the
(rater, film, tag) of every line met so far waits in a temporary table (SeenTags), so
that a repeat is found however far down the file, in memory that does not grow with it.
The same on either database: tags have no bulk path.
"""

import json
from datetime import UTC, datetime

from django.db import connection

from catalog.importers.movielens_bulk import is_rater_id, later_than_tomorrow, latest_unix_time
from catalog.importers.reading import bar_for, move_to
from catalog.importers.report import quoted
from catalog.importers.scratch import ScratchTable
from catalog.importers.writing import Synced, by_raters, sync_rows
from catalog.models import MovieTag, RatingSource

SEEN = "marquee_movielens_seen_tags"
CREATE_SEEN = f"""
CREATE TEMPORARY TABLE {SEEN} (
    external_rater_id varchar(64) NOT NULL,
    movie_id bigint NOT NULL,
    tag varchar(255) NOT NULL,
    PRIMARY KEY (external_rater_id, movie_id, tag)
)"""
# One statement both remembers the batch's tags and finds those met already: the ones
# it does not return. Its conflict test is a lookup in the table's key, where a SELECT
# of the batch's tags had PostgreSQL hash the whole table for every batch (a cost that
# grew with the file, from 0.1 s a batch to 0.4 s at 400,000 tags).
REMEMBER = f"""
INSERT INTO {SEEN} (external_rater_id, movie_id, tag)
SELECT rater, film, tag FROM {{given}} WHERE true
ON CONFLICT DO NOTHING
RETURNING external_rater_id, movie_id, tag
"""  # noqa: S608 - constants only: the tags are a parameter
REMEMBER_ARRAYS = REMEMBER.format(
    given="unnest(%s::varchar[], %s::bigint[], %s::varchar[]) AS given (rater, film, tag)"
)
REMEMBER_JSON = REMEMBER.format(
    given="(SELECT json_extract(value, '$[0]') AS rater, json_extract(value, '$[1]') AS film,"
    " json_extract(value, '$[2]') AS tag FROM json_each(%s))"
)

# (rater id, movie pk, tag) -> the unsaved MovieTag of its first line
Batch = dict[tuple[str, int, str], MovieTag]


class SeenTags(ScratchTable):
    """The (rater, film, tag) of every tag of the file so far, in a temporary table.

    As movielens_ratings.SeenRatings for ratings: the database keeps them, not Python,
    and one statement a batch both adds its tags and finds its repeats.
    """

    name, create = SEEN, CREATE_SEEN

    def remember(self, batch: Batch) -> int:
        """Remember the batch's tags, and take out of it those an earlier batch gave;
        how many there were. In the transaction that writes the batch, so that a batch
        rolled back is forgotten too.

        The tags go in as arrays (PostgreSQL) or one JSON text (SQLite), as
        SeenRatings.earlier sends its pairs. WHERE true is SQLite's: without it the
        ON CONFLICT would be read as part of the SELECT.
        """
        if not batch:
            return 0
        if connection.vendor == "postgresql":
            raters, films, tags = zip(*batch, strict=True)
            query, params = REMEMBER_ARRAYS, [list(raters), list(films), list(tags)]
        else:
            query, params = REMEMBER_JSON, [json.dumps(list(batch))]
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            new = set(cursor.fetchall())
        repeats = [key for key in batch if key not in new]
        for key in repeats:
            del batch[key]
        return len(repeats)


def import_tags(csv_file, movies, report, batch_size, progress) -> None:
    counts = report["tags"]
    with SeenTags() as seen, bar_for(csv_file, progress, "tags") as bar:
        for batch in tag_batches(csv_file, movies, report, batch_size):
            with report.batch_transaction():
                repeated = seen.remember(batch)
                synced = write_batch(batch)
                counts.created += synced.created
                counts.updated += synced.updated
                counts.skipped += synced.unchanged + repeated
            move_to(bar, csv_file.lines_read)
        move_to(bar, csv_file.lines_read)  # lines the reader rejected after the last batch


def write_batch(batch: Batch) -> Synced:
    """Insert the new tags, move the time of those the file gives at another time."""
    return sync_rows(
        model=MovieTag,
        wanted=batch,
        existing=by_raters(
            MovieTag.objects.filter(source=RatingSource.MOVIELENS),
            {rater for rater, _, _ in batch},
        ),
        key=lambda tag: (tag.external_rater_id, tag.movie_id, tag.tag),
        fields=["tagged_at"],
    )


def tag_batches(csv_file, movies, report, batch_size):
    """{(rater, movie pk, tag): MovieTag} a batch at a time, checked.

    A tag repeated within the batch is skipped here; one repeating an earlier batch is
    taken out by SeenTags.remember.
    """
    batch: Batch = {}
    lines, latest = 0, latest_unix_time()
    for line, (user_id, movie_id, tag, timestamp) in csv_file.rows(report, "tags"):
        lines += 1
        tag = " ".join(tag.split())
        pk, why = movies.find(movie_id)
        reason = (
            why
            or (not is_rater_id(user_id.strip()) and f"userId {quoted(user_id)} is not a number")
            or (not tag and "the tag is empty")
            or (len(tag) > 255 and "the tag is longer than 255 characters")
            or (not is_unix_time(timestamp) and f"timestamp {timestamp!r} is not a Unix time")
            or (int(timestamp) > latest and later_than_tomorrow(timestamp))
        )
        key = (user_id.strip(), pk, tag)
        if reason:
            report.reject("tags", csv_file.name, line, reason)
        elif key in batch:
            report["tags"].skipped += 1
        else:
            batch[key] = MovieTag(
                movie_id=pk,
                source=RatingSource.MOVIELENS,
                external_rater_id=key[0],
                tag=tag,
                tagged_at=datetime.fromtimestamp(int(timestamp), tz=UTC),
            )
        if lines == batch_size:
            yield batch
            batch, lines = {}, 0
    if lines:
        yield batch


def is_unix_time(text: str) -> bool:
    return text.isdigit() and text.isascii() and len(text) <= 10
