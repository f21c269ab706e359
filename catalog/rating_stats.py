"""MovieRatingStats kept in step with the ratings, inside the caller's transaction.

The pages rank films by their ratings; averaging a million ratings on every request took
seconds (docs/benchmarks.md, "Pages"). Every write of ratings keeps its films' rows right
in one of two ways:

- `refresh_rating_stats(movie_ids)`: the films' rows computed again from their ratings
  (every film's, given None) and written over the old ones, the rows of films left
  without a rating deleted. One rating saved or deleted (Rating.save and delete), and
  every import but one, do this;
- `add_to_rating_stats(changes)`: votes and score added to the films' rows. The
  row-by-row MovieLens import does this: its batches each touch thousands of films, and
  computing them again would read most of the table, batch after batch.

Both are plain SQL that SQLite and PostgreSQL share.
"""

from collections.abc import Iterable, Mapping
from itertools import batched

from django.db import connection, transaction
from django.db.models import Exists, FloatField, OuterRef, Sum

from catalog.models import Movie, MovieRatingStats, Rating
from catalog.querysets import normalized_score, rating_weight

# SQLite refuses a query with more than 32,766 parameters.
IN_LIST_SIZE = 5000
STATS = MovieRatingStats._meta.db_table

# A sum of differences can stray a rounding error past 0 or past its votes: it is kept
# inside them, as the table's constraint asks, in the statement that writes it.
# The row proposed for insertion is checked against that constraint before the conflict
# is found, on both databases, so it carries the score clamped to its own votes, and the
# update adds the change as it is: a batch that adds one vote of 5 stars and raises
# another rating of the film proposes a score above its one vote.
ADD = f"""
INSERT INTO {STATS} (movie_id, votes, score) VALUES (%s, %s, %s)
ON CONFLICT (movie_id) DO UPDATE SET
    votes = {STATS}.votes + excluded.votes,
    score = CASE
        WHEN {STATS}.score + %s < 0 THEN 0
        WHEN {STATS}.score + %s > {STATS}.votes + excluded.votes
            THEN {STATS}.votes + excluded.votes
        ELSE {STATS}.score + %s
    END
"""  # noqa: S608 - the table's name only: values are parameters

CHANGE = f"""
UPDATE {STATS} SET score = CASE
    WHEN score + %s < 0 THEN 0 WHEN score + %s > votes THEN votes ELSE score + %s
END
WHERE movie_id = %s
"""  # noqa: S608 - the table's name only: values are parameters


def refresh_rating_stats(movie_ids: Iterable[int | None] | None = None) -> None:
    """Compute the rows of these films (every film's, given None) from their ratings.

    Every film's locks no film (see refresh_rating_stats_of): a full refresh is a
    command's or a MovieLens load's, and people rating meanwhile would wait for the whole
    of it. A rating saved during one may be left out of its film's row until the next.
    """
    if movie_ids is None:
        with transaction.atomic(savepoint=False):
            write_stats(Rating.objects.all(), MovieRatingStats.objects.all())
        return
    for chunk in batched(sorted({pk for pk in movie_ids if pk is not None}), IN_LIST_SIZE):
        refresh_rating_stats_of(chunk)


# In a transaction for the lock, and so that the films' rows are never seen half written.
# No savepoint of its own (two queries fewer for every rating saved): stats that failed
# to follow their ratings fail the caller's transaction too, as they should.
@transaction.atomic(savepoint=False)
def refresh_rating_stats_of(films) -> None:
    """The same for `films`, ids or an expression of them (RawSQL), however many.

    Two people rating one film at once each sum the ratings they can see: their own,
    not the other's, which is not committed yet. Whoever wrote the row last would leave
    the other's rating out, so they take turns on the film's row, and the second sums
    the ratings once the first has committed. FOR NO KEY UPDATE: a rating's foreign key
    holds its film FOR KEY SHARE, which this does not wait for. In the films' order, so
    that two writes of several films cannot each hold what the other waits for. SQLite
    needs no lock: its IMMEDIATE transactions (settings) already write one at a time.
    """
    list(
        Movie.objects.filter(pk__in=films)
        .order_by("pk")
        .select_for_update(no_key=True)
        .values_list("pk")
    )
    write_stats(
        Rating.objects.filter(movie_id__in=films),
        MovieRatingStats.objects.filter(movie_id__in=films),
    )


def write_stats(ratings, stats) -> None:
    """The sums of `ratings` written over their films' rows, and the `stats` rows of films
    left with no rating deleted.

    One INSERT ... SELECT: the sums are taken by the database, rows never reach Python.
    ON CONFLICT writes over a row rather than deleting it and inserting it again, which
    a row another transaction inserted in between made a duplicate key (a 500). SQLite
    asks for a WHERE clause in an upsert's SELECT (or it may read ON CONFLICT as a
    join's ON): the sums are read from a subquery with one.
    """
    sums = (
        ratings.order_by()
        .values("movie")
        .annotate(
            votes=Sum(rating_weight()),
            score=Sum(normalized_score() * rating_weight(), output_field=FloatField()),
        )
        .values_list("movie", "votes", "score")
    )
    select, params = sums.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {STATS} (movie_id, votes, score) "  # noqa: S608 - the ORM's SQL
            f"SELECT * FROM ({select}) sums WHERE true "
            "ON CONFLICT (movie_id) DO UPDATE SET votes = excluded.votes, score = excluded.score",
            params,
        )
    stats.exclude(Exists(Rating.objects.filter(movie=OuterRef("movie")))).delete()


def add_to_rating_stats(changes: Mapping[int, tuple[int, float]]) -> None:
    """Add (votes, score) to each film's row; a film's first votes create its row.

    Only the row-by-row MovieLens import calls this: it adds ratings and changes them,
    never takes one away. A change of score alone (a rating changed) updates the row its
    film already has.
    """
    with connection.cursor() as cursor:
        cursor.executemany(
            ADD,
            [
                (pk, votes, min(max(score, 0.0), votes), score, score, score)
                for pk, (votes, score) in changes.items()
                if votes
            ],
        )
        changed = [(pk, score) for pk, (votes, score) in changes.items() if not votes]
        cursor.executemany(CHANGE, [(score, score, score, pk) for pk, score in changed])
