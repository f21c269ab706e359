"""Everyone's ratings read out of the database as arrays, for learning and for evaluation.

Raters are Marquee users (their feedback and their ratings merged, keyed by user) and
imported raters (keyed by source and their id there); aggregates such as a TMDB vote
average are not raters: they only feed the priors.
"""

from dataclasses import dataclass
from functools import cached_property
from itertools import chain

import numpy as np
from django.db.models import Case, FloatField, Q, Sum, Value, When
from django.db.models.functions import Least

from catalog.models import Movie, RaterKind, Rating
from catalog.querysets import normalized_score
from feedback.models import UserFeedback
from recommendations import engine
from recommendations.engine import learning
from recommendations.engine.profile import Opinion
from recommendations.engine.sources import FEEDBACK_AS_SAID, RATINGS_AS_SAID

NOT_GIVEN = -1  # for a yes/no that the person left empty


def aggregate_weight():
    """An aggregate counts for its votes, up to AGGREGATE_CAP; a single rating for one.

    A CASE, not COALESCE(LEAST(...)): PostgreSQL's LEAST skips NULLs, SQLite's does not.
    """
    return Case(
        When(vote_count__isnull=True, then=Value(1.0)),
        default=Least("vote_count", Value(engine.AGGREGATE_CAP)),
        output_field=FloatField(),
    )


class RaterKeys:
    """Turns a rater's identity into a small integer, the same one on every call."""

    def __init__(self):
        self.index: dict[tuple, int] = {}

    def __call__(self, key: tuple) -> int:
        return self.index.setdefault(key, len(self.index))

    def __len__(self):
        return len(self.index)


def rater_key(user_id, source, external_id) -> tuple:
    return ("user", user_id) if user_id is not None else (source, external_id)


def positive_pairs() -> tuple[np.ndarray, np.ndarray]:
    """(rater, movie), once each, for every film a rater liked by what they said of it.

    An imported rater's rating is all they said of the film: each of at least POSITIVE
    counts as it is, and only those are read. A member's feedback and ratings are merged
    as their own profile merges them (members_opinions), and the film is learnt where
    their latest statement says they liked it (Opinion.said_liked): "would not watch
    again", then 5 stars, it is; rated 5, then 1 star, it is not. The evaluation reads it
    the same way (Events.positive). Three queries, streamed; only members' rows are held.
    """
    keys = RaterKeys()
    raters, movies = [], []
    imported = (
        Rating.objects.filter(rater_kind=RaterKind.EXTERNAL)
        .annotate(score=normalized_score())
        .filter(score__gte=engine.POSITIVE)
        .order_by()
        .values_list("source", "external_rater_id", "movie_id")
        .iterator(chunk_size=20_000)
    )
    for source, external_id, movie_id in imported:
        raters.append(keys(rater_key(None, source, external_id)))
        movies.append(movie_id)
    for (user_id, movie_id), opinion in members_opinions().items():
        if opinion.said_liked:
            raters.append(keys(rater_key(user_id, None, None)))
            movies.append(movie_id)
    return learning.distinct_pairs(np.array(raters, np.int64), np.array(movies, np.int64))


def members_opinions() -> dict[tuple[int, int], Opinion]:
    """(member, film) -> what they said of it, from their feedback on any of its media
    items and their ratings of it from every source, read in the order their profile
    reads them (sources.FEEDBACK_AS_SAID, RATINGS_AS_SAID), so that the same statement
    stands. Two queries; nothing of what they only did (finished, watched twice)."""
    opinions: dict[tuple[int, int], Opinion] = {}
    feedback = (
        UserFeedback.objects.filter(media__movie__isnull=False)
        .filter(Q(rating__isnull=False) | Q(would_watch_again__isnull=False))
        .order_by(*FEEDBACK_AS_SAID)
        .values_list(
            "user_id",
            "media__movie_id",
            "rating",
            "would_watch_again",
            "watched_completion",
            "timestamp",
        )
        .iterator(chunk_size=20_000)
    )
    for user_id, movie_id, stars, again, finished, given_at in feedback:
        opinions.setdefault((user_id, movie_id), Opinion()).say_feedback(
            rating=stars, would_watch_again=again, watched_completion=finished, given_at=given_at
        )
    ratings = (
        Rating.objects.filter(rater_kind=RaterKind.USER)
        .annotate(score=normalized_score())
        .order_by(*RATINGS_AS_SAID)
        .values_list("user_id", "movie_id", "score", "rated_at")
        .iterator(chunk_size=20_000)
    )
    for user_id, movie_id, score, rated_at in ratings:
        opinions.setdefault((user_id, movie_id), Opinion()).say_rating(score, rated_at=rated_at)
    return opinions


def rating_sums() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per movie: its ratings' weighted mean on 0-1 and their total weight (one query)."""
    rows = (
        Rating.objects.order_by()
        .values("movie_id")
        .annotate(
            total=Sum(normalized_score() * aggregate_weight(), output_field=FloatField()),
            weight=Sum(aggregate_weight(), output_field=FloatField()),
        )
        .values_list("movie_id", "total", "weight")
    )
    rows = list(rows)
    movie, total, weight = (
        np.array(column, dtype=float)
        for column in (zip(*rows, strict=True) if rows else [(), (), ()])
    )
    return movie.astype(np.int64), total / np.maximum(weight, 1e-12), weight


def catalog_popularity() -> tuple[np.ndarray, np.ndarray]:
    """Every film of the catalog and its popularity figure, 0 included: each gets a prior
    (learning.movie_priors). One query."""
    rows = list(Movie.objects.order_by().values_list("pk", "popularity"))
    if not rows:
        return np.array([], np.int64), np.array([], float)
    ids, values = zip(*rows, strict=True)
    return np.array(ids, dtype=np.int64), np.array(values, dtype=float)


@dataclass
class Events:
    """Every individual opinion, one row each, for the evaluation: a rating (normalised)
    or a piece of feedback (stars 1-5, would watch again, finished), with its time. A
    member's rows come in the order their profile reads them (members_opinions)."""

    rater: np.ndarray
    movie: np.ndarray
    time: np.ndarray  # Unix seconds; -inf when unknown (never the latest)
    normalized: np.ndarray  # NaN for feedback
    stars: np.ndarray  # NaN for ratings, and for feedback without stars
    again: np.ndarray  # 1, 0 or NOT_GIVEN
    finished: np.ndarray  # 1, 0 or NOT_GIVEN
    is_feedback: np.ndarray
    by_member: np.ndarray  # a Marquee member's row, not an imported rater's
    raters: int

    def moment(self, row: int) -> float | None:
        """When the row was said, as profile.said_when takes it (None: undated)."""
        return None if np.isinf(self.time[row]) else float(self.time[row])

    def feedback_fields(self, row: int) -> dict:
        """A feedback row as Profile.add_feedback and Opinion.say_feedback take it."""
        stars = self.stars[row]
        return {
            "rating": None if np.isnan(stars) else int(stars),
            "would_watch_again": unflag(self.again[row]),
            "watched_completion": unflag(self.finished[row]),
            "given_at": self.moment(row),
        }

    @cached_property
    def positive(self) -> np.ndarray:
        """What positive_pairs learns from, row by row: each imported rating of at least
        POSITIVE, and of a member's rows on a film the one that is their latest statement
        of it, where it says they liked it (Opinion.said_liked), so that the evaluation
        hides the film last said to be liked, dated when that was said."""
        with np.errstate(invalid="ignore"):
            positive = ~self.by_member & (self.normalized >= engine.POSITIVE)
        opinions: dict[tuple[int, int], Opinion] = {}
        latest: dict[tuple[int, int], int] = {}
        for row in np.flatnonzero(self.by_member).tolist():
            pair = (int(self.rater[row]), int(self.movie[row]))
            opinion = opinions.setdefault(pair, Opinion())
            if self.is_feedback[row]:
                stands = opinion.say_feedback(**self.feedback_fields(row))
            else:
                stands = opinion.say_rating(float(self.normalized[row]), rated_at=self.moment(row))
            if stands:
                latest[pair] = row
        for pair, opinion in opinions.items():
            if opinion.said_liked:
                positive[latest[pair]] = True
        return positive


def load_events() -> Events:
    """Three queries: imported raters' ratings, then members' ratings and their feedback
    in the order said (members_opinions)."""
    keys = RaterKeys()
    rows = []
    imported = (
        Rating.objects.filter(rater_kind=RaterKind.EXTERNAL)
        .annotate(score=normalized_score())
        .order_by()
        .values_list("user_id", "source", "external_rater_id", "movie_id", "rated_at", "score")
        .iterator(chunk_size=20_000)
    )
    members = (
        Rating.objects.filter(rater_kind=RaterKind.USER)
        .annotate(score=normalized_score())
        .order_by(*RATINGS_AS_SAID)
        .values_list("user_id", "source", "external_rater_id", "movie_id", "rated_at", "score")
        .iterator(chunk_size=20_000)
    )
    for user_id, source, external_id, movie_id, rated_at, score in chain(imported, members):
        moment = rated_at.timestamp() if rated_at else -np.inf
        rows.append(
            (keys(rater_key(user_id, source, external_id)), movie_id, moment, score)
            + (np.nan, NOT_GIVEN, NOT_GIVEN, False, user_id is not None)
        )
    feedback = (
        UserFeedback.objects.filter(media__movie__isnull=False)
        .order_by(*FEEDBACK_AS_SAID)
        .values_list(
            "user_id",
            "media__movie_id",
            "timestamp",
            "rating",
            "would_watch_again",
            "watched_completion",
        )
        .iterator(chunk_size=20_000)
    )
    for user_id, movie_id, moment, stars, again, finished in feedback:
        rows.append(
            (keys(("user", user_id)), movie_id, moment.timestamp(), np.nan)
            + (np.nan if stars is None else float(stars), flag(again), flag(finished))
            + (True, True)
        )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 9
    types = (np.int64, np.int64, float, float, float, np.int8, np.int8, bool, bool)
    arrays = [np.array(column, dtype=kind) for column, kind in zip(columns, types, strict=True)]
    return Events(*arrays, raters=len(keys))


def flag(value: bool | None) -> int:
    return NOT_GIVEN if value is None else int(value)


def unflag(value) -> bool | None:
    return None if value == NOT_GIVEN else bool(value)
