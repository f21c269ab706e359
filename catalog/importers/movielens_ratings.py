"""MovieLens' ratings.csv, row by row: millions of rows, so the loop is tight, the writes bulk.

On PostgreSQL a file in MovieLens' plain form goes to movielens_bulk instead, which
checks and writes it in SQL; this path takes SQLite, and on PostgreSQL the files that
path refuses, with a reason for each bad line.

Each batch is checked in Python first (unknown films, values off the 0.5-5 scale, lines
repeating an earlier one), then written in one transaction. The first line of every
(rater, film) pair met so far waits in a temporary table (SeenRatings), so that a repeat
is found however far down the file, in memory that does not grow with it: the same rows
and reasons as the bulk path, on either database. Rating's unique constraints
are partial (one per rater kind), which `bulk_create(update_conflicts=True)` cannot
target, so:

- on PostgreSQL the batch is COPYed into a temporary table, then upserted with
  `INSERT ... ON CONFLICT (external_rater_id, movie_id, source) WHERE rater_kind =
  'external' DO UPDATE ... WHERE <something changed>`: three statements a batch, and the
  counts of created and updated rows come back from the same statement;
- elsewhere (SQLite), the batch's raters' existing ratings are read in one query, and
  the new and the changed rows written by one prepared INSERT and one prepared UPDATE
  (executemany).

Both give the same rows and the same counts; the tests run both on PostgreSQL.
"""

import json
from collections import defaultdict
from datetime import UTC, datetime

from django.db import connection

from catalog.importers import movielens_bulk
from catalog.importers.movielens_bulk import (
    KIND,
    RATING,
    SCALE_MAX,
    SCALE_MIN,
    SOURCE,
    is_rater_id,
    later_than_tomorrow,
    latest_unix_time,
)
from catalog.importers.reading import bar_for, move_to
from catalog.importers.report import HeldRejections
from catalog.importers.scratch import ScratchTable
from catalog.importers.writing import by_raters
from catalog.models import Rating
from catalog.rating_stats import add_to_rating_stats

TEMP_TABLE = "marquee_import_ratings"
SEEN = "marquee_movielens_seen"

# Constants only in the SQL: PostgreSQL must see the literal predicate of the partial
# index to pick it as the conflict target, so it cannot be a query parameter.
CREATE_TEMP_TABLE = f"""
CREATE TEMPORARY TABLE IF NOT EXISTS {TEMP_TABLE} (
    external_rater_id varchar(64) NOT NULL,
    movie_id bigint NOT NULL,
    value double precision NOT NULL,
    rated_at bigint NOT NULL
) ON COMMIT DELETE ROWS
"""
UPSERT = f"""
WITH upserted AS (
    INSERT INTO catalog_rating (
        movie_id, source, rater_kind, user_id, external_rater_id,
        value, scale_min, scale_max, vote_count, rated_at
    )
    SELECT movie_id, '{SOURCE}', '{KIND}', NULL, external_rater_id,
        value, {SCALE_MIN}, {SCALE_MAX}, NULL, to_timestamp(rated_at)
    FROM {TEMP_TABLE}
    ON CONFLICT (external_rater_id, movie_id, source) WHERE rater_kind = '{KIND}'
    DO UPDATE SET
        value = EXCLUDED.value,
        scale_min = EXCLUDED.scale_min,
        scale_max = EXCLUDED.scale_max,
        rated_at = EXCLUDED.rated_at
    WHERE (catalog_rating.value, catalog_rating.scale_min, catalog_rating.scale_max,
           catalog_rating.rated_at)
        IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.scale_min, EXCLUDED.scale_max,
                          EXCLUDED.rated_at)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted
"""  # noqa: S608 - no value of the file is in this text: they all go through COPY
# What the upsert adds to each film's stats: a vote for each new rating, and the score of
# each rating less that of the one it replaces.
STATS_CHANGES = f"""
SELECT batch.movie_id, count(*) FILTER (WHERE existing.id IS NULL),
    sum((batch.value - {SCALE_MIN}) / ({SCALE_MAX} - {SCALE_MIN}) - coalesce(
        (existing.value - existing.scale_min) / (existing.scale_max - existing.scale_min), 0))
FROM {TEMP_TABLE} batch
LEFT JOIN {RATING} existing ON existing.source = '{SOURCE}' AND existing.rater_kind = '{KIND}'
    AND existing.external_rater_id = batch.external_rater_id
    AND existing.movie_id = batch.movie_id
GROUP BY batch.movie_id
"""  # noqa: S608 - constants only: the values went through COPY
CREATE_SEEN = f"""
CREATE TEMPORARY TABLE {SEEN} (
    external_rater_id varchar(64) NOT NULL,
    movie_id bigint NOT NULL,
    line bigint NOT NULL,
    value double precision NOT NULL,
    rated_at varchar(10) NOT NULL,
    PRIMARY KEY (external_rater_id, movie_id)
)"""
SEEN_OF = f"""
SELECT seen.external_rater_id, seen.movie_id, seen.line, seen.value, seen.rated_at
FROM {{pairs}} JOIN {SEEN} seen
    ON seen.external_rater_id = pair.rater AND seen.movie_id = pair.film
"""  # noqa: S608 - constants only: the pairs are a parameter
SEEN_OF_ARRAYS = SEEN_OF.format(pairs="unnest(%s::varchar[], %s::bigint[]) AS pair (rater, film)")
SEEN_OF_JSON = SEEN_OF.format(
    pairs="(SELECT json_extract(value, '$[0]') AS rater, json_extract(value, '$[1]') AS film"
    " FROM json_each(%s)) pair"
)
INSERT_SEEN = f"INSERT INTO {SEEN} VALUES (%s, %s, %s, %s, %s)"  # noqa: S608 - constants only
INSERT_ROW = f"""
INSERT INTO {RATING} (movie_id, source, rater_kind, user_id, external_rater_id,
    value, scale_min, scale_max, vote_count, rated_at)
VALUES (%s, '{SOURCE}', '{KIND}', NULL, %s, %s, {SCALE_MIN}, {SCALE_MAX}, NULL, %s)
"""  # noqa: S608 - constants only: the values are parameters
UPDATE_ROW = f"""
UPDATE {RATING} SET value = %s, scale_min = {SCALE_MIN}, scale_max = {SCALE_MAX}, rated_at = %s
WHERE id = %s
"""  # noqa: S608 - constants only: the values are parameters


# (rater id, movie pk) -> (line, value, unix time as digits, movieId as in the file)
Batch = dict[tuple[str, int], tuple[int, float, str, str]]


class SeenRatings(ScratchTable):
    """The first line of each (rater, film) pair of the file so far, in a temporary table.

    A file a million lines long would hold a million pairs: the database keeps them, and
    each batch looks up its own pairs in one query per few thousand.
    """

    name, create = SEEN, CREATE_SEEN

    def earlier(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], tuple]:
        """{(rater, movie pk): (line, value, timestamp)} of those pairs met already.

        The pairs go in as one array (PostgreSQL) or one JSON text (SQLite), joined on
        the table's key: a list of row values, `IN (VALUES ...)`, has SQLite scan it all.
        """
        if connection.vendor == "postgresql":
            query, params = SEEN_OF_ARRAYS, [[rater for rater, _ in keys], [pk for _, pk in keys]]
        else:
            query, params = SEEN_OF_JSON, [json.dumps(keys)]
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return {(rater, pk): tuple(rest) for rater, pk, *rest in cursor.fetchall()}

    def add(self, batch: Batch) -> None:
        """Remember the batch's pairs (in the transaction that writes it)."""
        rows = [
            (rater, pk, line, value, timestamp)
            for (rater, pk), (line, value, timestamp, _) in batch.items()
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {SEEN} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(INSERT_SEEN, rows)


def import_ratings(csv_file, movies, report, batch_size, progress) -> None:
    """On PostgreSQL, the whole file at once (movielens_bulk) if it is in plain form."""
    if connection.vendor == "postgresql" and movielens_bulk.load_ratings(
        csv_file, movies, report, progress
    ):
        return
    counts = report["ratings"]
    with SeenRatings() as seen, bar_for(csv_file, progress, "ratings") as bar:
        for batch, repeated in checked_batches(csv_file, movies, report, batch_size, seen):
            with report.batch_transaction():
                created, updated = write_batch(batch)
                seen.add(batch)
                counts.created += created
                counts.updated += updated
                counts.skipped += len(batch) - created - updated + repeated
            move_to(bar, csv_file.lines_read)
        move_to(bar, csv_file.lines_read)  # lines the reader rejected after the last batch


def checked_batches(csv_file, movies, report, batch_size, seen: SeenRatings):
    """(batch, lines repeating an earlier one as it was), a batch at a time.

    The hot loop of the import: a million rows must go through it in a few seconds.
    A batch's rejections are held until its repeats of earlier batches are known, then
    reported in the file's order (so --strict stops at the first bad line).
    """
    name, pks = csv_file.name, movies.pks
    held = HeldRejections(report)
    batch: Batch = {}
    again = []  # (line, key, value, timestamp, movieId) of pairs already in the batch
    lines, latest = 0, latest_unix_time()
    for line, (user_id, movie_id, rating, timestamp) in csv_file.rows(held, "ratings"):
        lines += 1
        pk = pks.get(movie_id)
        if pk is None:
            pk, why = movies.find(movie_id)
        try:
            value = float(rating)
        except ValueError:
            value = -1.0
        if pk is None:
            held.reject("ratings", name, line, why)
        # Written this way round, NaN fails too.
        elif not SCALE_MIN <= value <= SCALE_MAX:
            held.reject("ratings", name, line, f"rating {rating!r} is not between 0.5 and 5")
        elif not is_rater_id(user_id):
            held.reject("ratings", name, line, f"userId {user_id!r} is not a number")
        elif not (timestamp.isdigit() and timestamp.isascii() and len(timestamp) <= 10):
            held.reject("ratings", name, line, f"timestamp {timestamp!r} is not a Unix time")
        elif int(timestamp) > latest:
            held.reject("ratings", name, line, later_than_tomorrow(timestamp))
        elif (user_id, pk) in batch:
            again.append((line, (user_id, pk), value, timestamp, movie_id))
        else:
            batch[user_id, pk] = (line, value, timestamp, movie_id)
        if lines == batch_size:
            yield batch, settle_repeats(batch, again, seen, held, name)
            batch, again, lines = {}, [], 0
    if lines or held.rejections:
        yield batch, settle_repeats(batch, again, seen, held, name)


def settle_repeats(batch: Batch, again: list, seen: SeenRatings, held, name: str) -> int:
    """Take out of the batch the pairs an earlier line gave: the same rating again is
    skipped, another is rejected (the first one stands). The number skipped."""
    earlier = seen.earlier(list(batch))
    for key in earlier:
        line, value, timestamp, movie_id = batch.pop(key)
        again.append((line, key, value, timestamp, movie_id))
    repeated = 0
    for line, key, value, timestamp, movie_id in again:
        first = earlier.get(key) or batch[key]
        if (first[1], first[2]) == (value, timestamp):
            repeated += 1
        else:
            held.reject(
                "ratings",
                name,
                line,
                f"userId {key[0]} already rated movieId {movie_id} on line {first[0]}",
            )
    held.release()
    return repeated


def write_batch(batch: Batch) -> tuple[int, int]:
    """Write one checked batch (inside the caller's transaction): (created, updated)."""
    if not batch:
        return 0, 0
    if connection.vendor == "postgresql":
        return write_with_copy(batch)
    return write_with_executemany(batch)


def write_with_copy(batch: Batch) -> tuple[int, int]:
    text = "".join(
        f"{rater}\t{pk}\t{value!r}\t{timestamp}\n"
        for (rater, pk), (_, value, timestamp, _) in batch.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TEMP_TABLE)
        # Inside a test's transaction ON COMMIT never comes: empty it explicitly.
        cursor.execute(f"TRUNCATE {TEMP_TABLE}")
        with cursor.copy(
            f"COPY {TEMP_TABLE} (external_rater_id, movie_id, value, rated_at) FROM STDIN"
        ) as copy:
            copy.write(text)
        # Read before the upsert: the ratings it replaces are still there to subtract.
        cursor.execute(STATS_CHANGES)
        stats = {pk: (votes, score) for pk, votes, score in cursor.fetchall()}
        cursor.execute(UPSERT)
        created, updated = cursor.fetchone()
    add_to_rating_stats(stats)
    return created, updated


def write_with_executemany(batch: Batch) -> tuple[int, int]:
    """The batch's raters' ratings read in one query, then one INSERT and one UPDATE.

    Statements prepared once and run for every row (executemany), with values adapted by
    the connection as the ORM adapts them: bulk_create spent nine tenths of a million-row
    import on SQLite building its SQL, field by field.
    """
    rows = Rating.objects.filter(source=SOURCE, rater_kind=KIND).values_list(
        "id", "external_rater_id", "movie_id", "value", "scale_min", "scale_max", "rated_at"
    )
    existing = {  # (rater, movie pk) -> (id, (value, scale_min, scale_max, rated_at))
        (rater, movie_id): (pk, tuple(values))
        for pk, rater, movie_id, *values in by_raters(rows, {rater for rater, _ in batch})
    }
    adapt = connection.ops.adapt_datetimefield_value
    to_insert, to_update = [], []
    stats = defaultdict(lambda: (0, 0.0))  # movie pk -> (votes, score) the batch adds
    for (rater, movie_id), (_, value, timestamp, _) in batch.items():
        rated_at = datetime.fromtimestamp(int(timestamp), tz=UTC)
        found = existing.get((rater, movie_id))
        votes, score = stats[movie_id]
        if found is None:
            to_insert.append((movie_id, rater, value, adapt(rated_at)))
            stats[movie_id] = (votes + 1, score + on_scale(value))
        elif found[1] != (value, SCALE_MIN, SCALE_MAX, rated_at):
            to_update.append((value, adapt(rated_at), found[0]))
            was, low, high, _ = found[1]
            stats[movie_id] = (votes, score + on_scale(value) - (was - low) / (high - low))
    with connection.cursor() as cursor:
        if to_insert:
            cursor.executemany(INSERT_ROW, to_insert)
        if to_update:
            cursor.executemany(UPDATE_ROW, to_update)
    add_to_rating_stats(stats)
    return len(to_insert), len(to_update)


def on_scale(value: float) -> float:
    """A MovieLens rating on 0-1."""
    return (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
