"""MovieLens ratings on PostgreSQL: the whole file in one transaction, checked in SQL.

COPY takes ratings.csv as it is into a temporary table; SQL checks every row, finds the
repeated ones and writes catalog_rating with one UPDATE and one INSERT, and only the
rejected rows come back to Python, to be reported. A load that at least doubles the table
drops its indexes and builds them again after it (index_rebuild), and the films it wrote
have their rating stats computed again (ADR 0004). A million ratings take about 8.5 s,
against 23 s row by row (movielens_ratings; docs/benchmarks.md).

It gives the same rows, counts and messages as the row-by-row path because it only
takes files in the plain form MovieLens writes: every field present, ids and timestamps
as plain digits, ratings as digits with a decimal point. A file with anything else (an
empty field, a space, a sign, a leading zero, a quoted or a blank line, a line of more
columns, a character that is not UTF-8) is left to the row-by-row path, which gives each
such line its own reason: checking those in SQL would cost this path its speed and keep
the same reasons in two languages.

A repeated line is found anywhere in the file, by this path and by the row-by-row one
(which keeps the pairs it has met in a temporary table).

One transaction for the file: an interrupted or failed load leaves nothing of it, and
`--strict` stops before anything of it is written.
"""

# Table names and constants only are formatted into this module's SQL; every value of the
# file goes through COPY.
# ruff: noqa: S608, S611

import psycopg
from django.db import DataError, connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from catalog.bounds import CLOCK_SKEW
from catalog.importers.index_rebuild import indexes_rebuilt_after
from catalog.importers.reading import CHUNK, bar_for, move_to, ticking
from catalog.models import RaterKind, Rating, RatingSource
from catalog.rating_stats import refresh_rating_stats, refresh_rating_stats_of

SCALE_MIN, SCALE_MAX = 0.5, 5.0
# A MovieLens userId is kept as text (external_rater_id); more digits than this is no id.
RATER_ID_DIGITS = 20


def is_rater_id(text: str) -> bool:
    """A userId of ratings.csv or tags.csv, as both row-by-row readers check it."""
    return text.isdigit() and text.isascii() and len(text) <= RATER_ID_DIGITS


def latest_unix_time() -> int:
    """The latest timestamp a rating or tag may give: tomorrow, as Rating.rated_at and
    MovieTag.tagged_at are validated (catalog.bounds). Ten digits reach 2286, past the
    database's own bound of 2200."""
    return int((timezone.now() + CLOCK_SKEW).timestamp())


def later_than_tomorrow(timestamp: str) -> str:
    """The reason for a timestamp past latest_unix_time(), on every path."""
    return f"timestamp {timestamp!r} is later than tomorrow"


# A load that creates at least this many ratings, and at least as many as the table
# already holds, rebuilds the table's indexes rather than updating them row by row
# (index_rebuild). Below that, the lock it takes is not worth what it saves.
REBUILD_FROM_ROWS = 100_000
# PostgreSQL's default of 4 MB sends the joins and groupings of a million rows to disk.
# Set for this transaction only.
HASH_MEMORY = "128MB"

# tqdm's own format, less the rate and the time left: neither means anything once the
# rows are all read. `postfix` brings its own ", ".
SQL_STEPS_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"

RAW, MOVIES, CHECKED, REPEATS = (
    f"marquee_movielens_{name}" for name in ("raw", "movies", "checked", "repeats")
)
RATING = Rating._meta.db_table
SOURCE, KIND = RatingSource.MOVIELENS.value, RaterKind.EXTERNAL.value

# Every row, checked, beside the rating already in Marquee for its rater and film, if any:
# - `plain`: PostgreSQL's own casts read each field back to the same text (no space,
#   sign or leading zero). A field that does not cast at all fails the statement, which
#   sends the file to the row-by-row path as well;
# - `reason` to reject it: the same reasons, word for word and in the same order, as the
#   row-by-row path gives.
CHECK = f"""
CREATE TEMPORARY TABLE {CHECKED} ON COMMIT DROP AS
SELECT typed.line, typed.user_id, typed.movie_id, movie.pk, typed.value,
    to_timestamp(typed.seconds) AS rated_at,
    coalesce(
        typed.rater >= 0 AND typed.rater::text = typed.user_id
        AND typed.film >= 0 AND typed.film::text = typed.movie_id
        AND typed.seconds >= 0 AND typed.seconds::text = typed.rated_at
        AND length(typed.rated_at) <= 10
        AND typed.rating::numeric::text = typed.rating,
        false) AS plain,
    CASE
        WHEN movie.pk IS NULL AND movie.refused IS NOT NULL THEN movie.refused
        WHEN movie.pk IS NULL THEN 'unknown movieId ' || typed.movie_id
        WHEN NOT typed.value BETWEEN {SCALE_MIN} AND {SCALE_MAX}
            THEN 'rating ''' || typed.rating || ''' is not between 0.5 and 5'
        -- The parameter: latest_unix_time(), as the row-by-row path compares.
        WHEN typed.seconds > %s THEN 'timestamp ''' || typed.rated_at || ''' is later than tomorrow'
    END AS reason,
    existing.id AS existing_id,
    existing.id IS NOT NULL
        AND (existing.value, existing.scale_min, existing.scale_max, existing.rated_at)
            IS DISTINCT FROM (typed.value, {SCALE_MIN}, {SCALE_MAX}, to_timestamp(typed.seconds))
        AS changed,
    false AS repeated
FROM (
    -- Each field cast once: OFFSET 0 keeps the planner from copying the casts into every
    -- expression above that uses them.
    SELECT raw.*, user_id::bigint AS rater, movie_id::bigint AS film,
        rating::float8 AS value, rated_at::bigint AS seconds
    FROM {RAW} raw OFFSET 0
) typed
LEFT JOIN {MOVIES} movie ON movie.movie_id = typed.movie_id
LEFT JOIN {RATING} existing
    ON existing.source = '{SOURCE}' AND existing.rater_kind = '{KIND}'
    AND existing.external_rater_id = typed.user_id AND existing.movie_id = movie.pk
"""
# A rater's later line for the same film: the same rating again is skipped, another is
# refused, and the first line stands. Only the keys that do repeat are sorted.
FIND_REPEATS = f"""
CREATE TEMPORARY TABLE {REPEATS} ON COMMIT DROP AS
SELECT line, user_id, movie_id, first_line, same FROM (
    SELECT checked.line, checked.user_id, checked.movie_id,
        first_value(checked.line) OVER by_key AS first_line,
        (checked.value, checked.rated_at)
            = (first_value(checked.value) OVER by_key, first_value(checked.rated_at) OVER by_key)
            AS same
    FROM {CHECKED} checked
    JOIN (
        SELECT user_id, pk FROM {CHECKED} WHERE reason IS NULL
        GROUP BY user_id, pk HAVING count(*) > 1
    ) repeated USING (user_id, pk)
    WHERE checked.reason IS NULL
    WINDOW by_key AS (PARTITION BY checked.user_id, checked.pk ORDER BY checked.line)
) keyed
WHERE line <> first_line
"""
REJECTIONS = f"""
SELECT line, reason FROM {CHECKED} WHERE reason IS NOT NULL
UNION ALL
SELECT line, 'userId ' || user_id || ' already rated movieId ' || movie_id
    || ' on line ' || first_line
FROM {REPEATS} WHERE NOT same
ORDER BY line
"""
MARK_REPEATS = f"""
UPDATE {CHECKED} SET repeated = true FROM {REPEATS} WHERE {REPEATS}.line = {CHECKED}.line
"""
# The rows to write: accepted, and each the first line of its rater and film.
WANTED = "checked.reason IS NULL AND NOT checked.repeated"
COUNT = f"""
SELECT count(*) FILTER (WHERE existing_id IS NULL),
    count(*) FILTER (WHERE existing_id IS NOT NULL AND changed),
    count(*)
FROM {CHECKED} checked WHERE {WANTED}
"""
UPDATE = f"""
UPDATE {RATING} SET value = checked.value, scale_min = {SCALE_MIN}, scale_max = {SCALE_MAX},
    rated_at = checked.rated_at
FROM {CHECKED} checked
WHERE {RATING}.id = checked.existing_id AND checked.changed AND {WANTED}
"""
# The films whose ratings the load writes: their stats are computed again after it.
WRITTEN_FILMS = f"""
SELECT DISTINCT pk FROM {CHECKED} checked
WHERE {WANTED} AND (checked.existing_id IS NULL OR checked.changed)
"""
INSERT = f"""
INSERT INTO {RATING} (movie_id, source, rater_kind, user_id, external_rater_id,
    value, scale_min, scale_max, vote_count, rated_at)
SELECT pk, '{SOURCE}', '{KIND}', NULL, user_id, value, {SCALE_MIN}, {SCALE_MAX}, NULL, rated_at
FROM {CHECKED} checked WHERE checked.existing_id IS NULL AND {WANTED}
"""


class NotPlain(Exception):
    """The file is not in MovieLens' plain form: the row-by-row path reads it."""


def load_ratings(csv_file, movies, report, progress) -> bool:
    """Import ratings.csv in one transaction; False, having done nothing, if not plain."""
    counts = report["ratings"]
    try:
        with report.batch_transaction(), bar_for(csv_file, progress, "ratings") as bar:
            copy_file(csv_file, bar)
            # The file is read: what follows are statements of seconds, named on the bar,
            # whose clock runs on. Its rate would be the read's, standing still: it goes.
            bar.bar_format = SQL_STEPS_FORMAT
            with ticking(bar):
                bar.set_postfix_str("checking")
                copy_movies(movies)
                check_rows()
                repeated = report_rejections(csv_file, report)
                bar.set_postfix_str("writing")
                created, updated, unchanged = write_rows(bar)
                counts.created += created
                counts.updated += updated
                counts.skipped += unchanged + repeated
    except NotPlain as exc:
        report.notes.append(f"{csv_file.name}: {exc}, so it was read row by row")
        return False
    return True


def copy_file(csv_file, bar) -> None:
    """COPY every line after the header into RAW, numbered by its line in the file."""
    with connection.cursor() as cursor:
        # Tests run inside one transaction, where ON COMMIT never comes.
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}, {MOVIES}, {CHECKED}, {REPEATS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {RAW} (line bigint GENERATED ALWAYS AS IDENTITY"
            " (START WITH 2), user_id text, movie_id text, rating text, rated_at text)"
            " ON COMMIT DROP"
        )
        newlines, last = 0, b"\n"
        try:
            with (
                open(csv_file.path, "rb") as handle,
                cursor.copy(
                    f"COPY {RAW} (user_id, movie_id, rating, rated_at) FROM STDIN (FORMAT csv)"
                ) as copy,
            ):
                handle.readline()  # the header, which CsvFile has checked
                while chunk := handle.read(CHUNK):
                    lines = chunk.count(b"\n")
                    newlines, last = newlines + lines, chunk[-1:]
                    copy.write(chunk)
                    bar.update(lines)
        except psycopg.DataError as exc:
            raise NotPlain(f"COPY refused it ({str(exc).splitlines()[0]})") from None
        copied = cursor.rowcount
    lines = newlines + (last != b"\n")  # a last line without its newline is a line
    move_to(bar, lines)
    # A field quoted across lines, a blank line or a "\." line would shift the numbering.
    if copied != lines:
        raise NotPlain("its records are not one a line")


def copy_movies(movies) -> None:
    """The films of movies.csv by movieId: their pk, or why they were refused."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {MOVIES} (movie_id text PRIMARY KEY, pk bigint,"
            " refused text) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY {MOVIES} (movie_id, pk, refused) FROM STDIN") as copy:
            for movie_id, pk in movies.pks.items():
                copy.write_row((movie_id, pk, None))
            for movie_id, line in movies.refused.items():
                if movie_id not in movies.pks:
                    reason = f"movieId {movie_id} was rejected ({movies.file}:{line})"
                    copy.write_row((movie_id, None, reason))
        # Temporary tables have no statistics until analysed: without them the planner
        # guesses, and may loop where it should hash.
        cursor.execute(f"ANALYZE {RAW}, {MOVIES}")
        cursor.execute(f"SET LOCAL work_mem = '{HASH_MEMORY}'")


def check_rows() -> None:
    """Check every row into CHECKED; step aside unless every one is plain."""
    with connection.cursor() as cursor:
        # Against the ratings already there (a re-run), the planner would rather sort the
        # file's million rows by rater id to merge them with the raters' index: a text
        # sort under the database's locale, 3.5 s where hashing takes 2.2.
        cursor.execute("SET LOCAL enable_mergejoin = off")
        try:
            cursor.execute(CHECK, [latest_unix_time()])
        except DataError:
            raise NotPlain("a field is not a number") from None
        cursor.execute("RESET enable_mergejoin")
        cursor.execute(f"ANALYZE {CHECKED}")
        cursor.execute(f"SELECT count(*) FROM {CHECKED} WHERE NOT plain")
        (not_plain,) = cursor.fetchone()
    if not_plain:
        raise NotPlain(f"{not_plain} of its rows are not in MovieLens' plain form")


def report_rejections(csv_file, report) -> int:
    """Report every rejected row in the file's order; the number of lines repeated as they were."""
    with connection.cursor() as cursor:
        cursor.execute(FIND_REPEATS)
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE same) FROM {REPEATS}")
        repeats, repeated = cursor.fetchone()
        if repeats:
            cursor.execute(MARK_REPEATS)
    # A server-side cursor: a file of a million bad lines is not held in memory.
    with connection.connection.cursor(name="marquee_movielens_rejections") as rejected:
        rejected.itersize = 2000
        rejected.execute(REJECTIONS)
        for line, reason in rejected:
            report.reject("ratings", csv_file.name, line, reason)
    return repeated


def write_rows(bar) -> tuple[int, int, int]:
    """(created, updated, unchanged)."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT)
        to_create, to_update, wanted = cursor.fetchone()
        cursor.execute(UPDATE)
        rebuilt = rebuild_pays(cursor, to_create)
        if rebuilt:
            with indexes_rebuilt_after(RATING):
                cursor.execute(INSERT)
                bar.set_postfix_str("rebuilding indexes")
            # The table at least doubled: the planner's statistics would otherwise say
            # what it held before until autovacuum comes round.
            cursor.execute(f"ANALYZE {RATING}")
        else:
            cursor.execute(INSERT)
    if rebuilt:
        # Most ratings are new: one pass over the table beats finding their films first.
        bar.set_postfix_str("film stats")
        refresh_rating_stats()
    elif to_create or to_update:
        bar.set_postfix_str("film stats")
        refresh_rating_stats_of(RawSQL(WRITTEN_FILMS, []))
    return to_create, to_update, wanted - to_create - to_update


def rebuild_pays(cursor, to_create: int) -> bool:
    if to_create < REBUILD_FROM_ROWS:
        return False
    # The planner's estimate is close enough to compare with; -1 means never counted.
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [RATING])
    (rows,) = cursor.fetchone()
    if rows < 0:
        cursor.execute(f"SELECT count(*) FROM {RATING}")
        (rows,) = cursor.fetchone()
    return to_create >= rows
