"""The live engine's data: a person's profile and the catalog's signals, read from the
database in a fixed number of queries whatever the size of either.

The heavy lifting is SQL over the neighbour table (one aggregate for every candidate);
everything per candidate is then read for a few hundred ids at once, never one by one.
"""

import datetime as dt
import json
import zoneinfo

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import Movie, MovieRelationship, Rating, RelationshipType, Review
from catalog.querysets import normalized_score
from feedback.models import (
    NotInterested,
    UserFeedback,
    ViewingHistory,
    WatchlistEntry,
    time_zone_names,
)
from feedback.watched import VIEWING_FINISHED
from recommendations import engine
from recommendations.engine.profile import Profile
from recommendations.engine.ranking import Features
from recommendations.lookups import InList
from recommendations.models import MoviePrior, MovieSimilarity, RecommendationLog

# A catalog popularity figure of this much counts as a prior of 0.5 (TMDB's figures run
# from about 1 to a few hundred).
POPULARITY_HALF_POINT = 100.0

# `related`'s query. `given`: the films asked about; `earlier`: those and, back along the
# links that order a series ((a, b, sequel) and (b, a, prequel) both put a before b),
# every film before them (UNION, not UNION ALL: a film reached twice, or a loop of links,
# is walked once, so the walk ends). Then every link of the films asked about, and the
# links that order the films before them, each part through an index. PostgreSQL's
# planner assumes ten rounds of any recursion, so it may judge the query costly enough
# to compile (JIT): on 9,000 links and 450 films, 7 ms without, about 20 ms with.
SERIES_SQL = """
WITH RECURSIVE given (movie_id) AS ({given}),
earlier (movie_id) AS (
    SELECT movie_id FROM given
    UNION
    SELECT CASE WHEN rel.{kind} = %s THEN rel.{source} ELSE rel.{target} END
    FROM {table} rel JOIN earlier
        ON (rel.{kind} = %s AND rel.{target} = earlier.movie_id)
        OR (rel.{kind} = %s AND rel.{source} = earlier.movie_id)
)
SELECT {source}, {target}, {kind} FROM {table} WHERE {source} IN (SELECT movie_id FROM given)
UNION
SELECT {source}, {target}, {kind} FROM {table} WHERE {target} IN (SELECT movie_id FROM given)
UNION
SELECT {source}, {target}, {kind} FROM {table}
WHERE {kind} = %s AND {target} IN (SELECT movie_id FROM earlier)
UNION
SELECT {source}, {target}, {kind} FROM {table}
WHERE {kind} = %s AND {source} IN (SELECT movie_id FROM earlier)
"""


# The order a person's rows are read in, which settles which of two statements said at
# once stands (profile.said_when: the one read later): feedback by time, then by row, and
# ratings by date, undated first, then by source. Everyone's learning reads them so too.
FEEDBACK_AS_SAID = ("timestamp", "feedback_id")
RATINGS_AS_SAID = (F("rated_at").asc(nulls_first=True), "source")


def profile_for_user(user, *, with_recent: bool = True) -> Profile:
    """Six queries (seven with the recent slates): feedback, viewings, ratings, reviews,
    the watchlist (with the person's time zone) and the films turned down."""
    profile = Profile()
    feedback = (
        UserFeedback.objects.filter(user=user, media__movie__isnull=False)
        .order_by(*FEEDBACK_AS_SAID)
        .values_list(
            "media__movie_id", "rating", "would_watch_again", "watched_completion", "timestamp"
        )
    )
    for movie_id, rating, again, completion, given_at in feedback:
        profile.add_feedback(
            movie_id,
            rating=rating,
            would_watch_again=again,
            watched_completion=completion,
            given_at=given_at,
        )
    viewings = (
        ViewingHistory.objects.filter(user=user, media__movie__isnull=False)
        .order_by()
        .values("media__movie_id")
        .annotate(completed=Count("pk", filter=VIEWING_FINISHED))
        .values_list("media__movie_id", "completed")
    )
    for movie_id, completed in viewings:
        profile.add_viewings(movie_id, completed=completed)
    ratings = (
        Rating.objects.filter(user=user)
        .annotate(score=normalized_score())
        # Each is a statement, weighed against the feedback's by date (Opinion.say): the
        # order only settles ties, where of two ratings of one date (or undated) the
        # later source's stands.
        .order_by("movie_id", *RATINGS_AS_SAID)
        .values_list("movie_id", "score", "value", "scale_min", "scale_max", "rated_at")
    )
    for movie_id, score, value, low, high, rated_at in ratings:
        profile.add_rating(movie_id, score, rated=as_given(value, low, high), rated_at=rated_at)
    for movie_id in Review.objects.filter(user=user).order_by().values_list("movie_id", flat=True):
        profile.add_review(movie_id)
    # With the person's time zone, which dates the watchlist in reasons: what makes the
    # slate (the page, a command) may have another active, or none.
    watchlist = (
        WatchlistEntry.objects.filter(user=user)
        .order_by()
        .values_list("movie_id", "added_at", "user__time_zone_setting__time_zone")
    )
    for movie_id, added_at, zone in watchlist:
        profile.watchlist[movie_id] = added_at
        profile.time_zone = own_time_zone(zone)
    profile.not_interested = set(
        NotInterested.objects.filter(user=user).order_by().values_list("movie_id", flat=True)
    )
    if with_recent:
        profile.recent = recent_slates(user)
    return profile


def own_time_zone(name: str | None) -> dt.tzinfo | None:
    """The zone of a UserTimeZone's name; None for the site's: a blank name, no row, or
    one the time zone data has dropped since (as feedback.time_zones reads it)."""
    return zoneinfo.ZoneInfo(name) if name and name in time_zone_names() else None


def as_given(value, low, high) -> str:
    """A rating as the person gave it: "4" on 1-5 (Marquee's own stars), else "9/10"."""
    return f"{value:g}" if (low, high) == (1, 5) else f"{value:g}/{high:g}"


def recent_slates(user) -> list[set[int]]:
    """The films of the person's slates of the last RECENT_HOURS, newest slate first
    (RECENT_SLATES at most): one query."""
    since = timezone.now() - dt.timedelta(hours=engine.RECENT_HOURS)
    rows = (
        RecommendationLog.objects.for_user(user)
        .filter(timestamp__gte=since, media__movie__isnull=False)
        .order_by("-timestamp", "-slate_id")
        .values_list("slate_id", "media__movie_id")[: engine.RECENT_SLATES * 3]
    )
    slates: dict = {}
    for slate_id, movie_id in rows:
        slates.setdefault(slate_id, set()).add(movie_id)
    return list(slates.values())  # dicts keep the order the rows came in


def id_rows(ids) -> tuple[str, list]:
    """A SELECT of one row per id, the ids passed as one parameter as `InList` passes
    them (recommendations/lookups.py), for a query Django cannot compile."""
    ids = sorted(int(value) for value in ids)
    if connection.vendor == "postgresql":
        kind = Movie._meta.pk.cast_db_type(connection)
        return f"SELECT unnest(%s::{kind}[])", ["{" + ",".join(map(str, ids)) + "}"]
    return "SELECT value FROM json_each(%s)", [json.dumps(ids)]


def relationship_names() -> dict[str, str]:
    """SERIES_SQL's table and column names, quoted, as the model maps them."""
    meta, quote = MovieRelationship._meta, connection.ops.quote_name
    return {
        "table": quote(meta.db_table),
        "source": quote(meta.get_field("from_movie").column),
        "target": quote(meta.get_field("to_movie").column),
        "kind": quote(meta.get_field("relationship_type").column),
    }


def squashed(popularity: float) -> float:
    """The catalog's popularity figure on 0-1: the prior, and its popularity, of a movie
    added since the last build (or before any), so that the order still makes sense."""
    return popularity / (popularity + POPULARITY_HALF_POINT) if popularity > 0 else 0.0


class DatabaseSource:
    def collaborative(self, strengths, exclude, limit):
        rows = MovieSimilarity.objects.candidate_scores(strengths, exclude, limit)
        return {row["neighbour_id"]: row["total"] for row in rows}

    def related(self, movies):
        """One recursive query: the films, and every film before them in a series (back
        along sequel and prequel links, however many), then every link of any of them.

        A series entered by hand may be linked only film to film, so the third film's
        links say nothing of the first: the walk back has to follow the links, and
        Django has no recursive query of its own.
        """
        if not movies:
            return []
        given, params = id_rows(movies)
        sequel, prequel = RelationshipType.SEQUEL.value, RelationshipType.PREQUEL.value
        with connection.cursor() as cursor:
            cursor.execute(
                SERIES_SQL.format(given=given, **relationship_names()),
                [*params, sequel, sequel, prequel, sequel, prequel],
            )
            return [tuple(row) for row in cursor.fetchall()]

    def prior_pool(self, exclude, limit):
        return self.best(MoviePrior.objects.all(), Movie.objects.all(), exclude, limit)

    def outside_genres(self, genres, exclude, limit):
        """The best films with a genre, none of them among `genres`."""
        links = Movie.genres.through.objects.filter(movie_id=OuterRef("movie_id"))
        priors = MoviePrior.objects.filter(Exists(links)).exclude(
            Exists(links.filter(genre__name__in=genres))
        )
        movie_links = Movie.genres.through.objects.filter(movie_id=OuterRef("pk"))
        movies = Movie.objects.filter(Exists(movie_links)).exclude(
            Exists(movie_links.filter(genre__name__in=genres))
        )
        return self.best(priors, movies, exclude, limit)

    def best(self, priors, movies, exclude, limit) -> list[int]:
        """The best films by their prior, and by their popularity those added since the last
        build_similarities, which has learnt no prior for them yet: two queries.

        build_similarities gives every film a prior, so the films with a higher id than
        the highest learnt are the ones added since (all of them before any build). They
        are scored as features() scores them, on the catalog's popularity figure, and
        compete with the learnt ones for the pool: a film imported this morning can be
        tonight's pick, where otherwise it would wait for the next build.
        """
        learnt = (
            priors.exclude(InList(F("movie_id"), sorted(exclude)))
            .order_by("-score", "movie_id")
            .values_list("movie_id", "score")[:limit]
        )
        newest_learnt = MoviePrior.objects.order_by("-movie_id").values("movie_id")[:1]
        added = (
            movies.filter(pk__gt=Coalesce(Subquery(newest_learnt), 0))
            .exclude(InList(F("pk"), sorted(exclude)))
            .order_by("-popularity", "pk")
            .values_list("pk", "popularity")[:limit]
        )
        scored = [*learnt, *((pk, squashed(popularity)) for pk, popularity in added)]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return [pk for pk, _ in scored[:limit]]

    def features(self, ids, genres_only=frozenset()):
        """Two queries for any number of movies: their genres, then the movies."""
        everything = sorted({*ids, *genres_only})
        if not everything:
            return {}
        genres: dict[int, list[str]] = {}
        # Unordered (names are sorted here): ordering by name made PostgreSQL walk the
        # genres' index and every film of each genre instead of these films' rows.
        links = (
            Movie.genres.through.objects.filter(InList(F("movie_id"), everything))
            .order_by()
            .values_list("movie_id", "genre__name")
        )
        for movie_id, name in links:
            genres.setdefault(movie_id, []).append(name)
        found = {
            movie_id: Features("", None, tuple(sorted(genres.get(movie_id, ()))), 0.0)
            for movie_id in genres_only
        }
        if not ids:
            return found
        # The prior as correlated subqueries: index probes per film, where a join made
        # PostgreSQL hash the whole prior table.
        prior = MoviePrior.objects.filter(movie=OuterRef("pk"))
        movies = (
            Movie.objects.filter(InList(F("pk"), sorted(ids)))
            .order_by()
            .annotate(
                prior_score=Subquery(prior.values("score")),
                # Unknown without ratings: the damped average is then the global mean.
                prior_average=Subquery(prior.filter(rating_count__gt=0).values("rating_average")),
                prior_popularity=Subquery(prior.values("popularity")),
            )
            .values_list(
                "pk",
                "title",
                "runtime_minutes",
                "prior_score",
                "prior_average",
                "prior_popularity",
                "popularity",
            )
        )
        for pk, title, runtime, score, average, prior_popularity, popularity in movies:
            found[pk] = Features(
                title,
                runtime,
                tuple(sorted(genres.get(pk, ()))),
                squashed(popularity) if score is None else score,
                rating_average=average,
                popularity=squashed(popularity) if prior_popularity is None else prior_popularity,
            )
        return found

    def linking(self, sources, targets):
        return [
            (row["movie_id"], row["neighbour_id"], row["weight"], row["movie__title"])
            for row in MovieSimilarity.objects.linking(sources, targets)
        ]
