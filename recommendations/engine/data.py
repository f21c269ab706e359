"""Everyone's ratings read out of the database as arrays, for learning and for evaluation.

Raters are Marquee users (their feedback and their ratings merged, keyed by user) and
imported raters (keyed by source and their id there); aggregates such as a TMDB vote
average are not raters: they only feed the priors.
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import Case, FloatField, Q, Sum, Value, When
from django.db.models.functions import Least

from catalog.models import Movie, RaterKind, Rating
from catalog.querysets import normalized_score
from feedback.models import UserFeedback
from recommendations import engine
from recommendations.engine import learning

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
    """(rater, movie), once each, for every positive rating and every positive feedback on
    a movie, except a person's on a film they finished and would not watch again.

    That "not again" wins over everything else the person said of the film: over stars
    on the same feedback, over feedback on another media item of the film, and over their
    ratings of it, the Marquee rating that feedback with stars makes (marquee_rating_sync)
    included; else a 5-star "never again" would still be learnt as a loved film. The
    evaluation (Events.positive) reads it the same way. A person's own profile
    (engine/profile.py) follows what they said last instead: "never again", then 5
    stars, the film steers their picks as loved, though it is not learnt from here.
    """
    keys = RaterKeys()
    raters, movies = [], []
    never_again = set(UserFeedback.objects.never_again().people_and_films())
    ratings = (
        Rating.objects.exclude(rater_kind=RaterKind.AGGREGATE)
        .annotate(score=normalized_score())
        .filter(score__gte=engine.POSITIVE)
        .order_by()
        .values_list("user_id", "source", "external_rater_id", "movie_id")
        .iterator(chunk_size=20_000)
    )
    for user_id, source, external_id, movie_id in ratings:
        if (user_id, movie_id) in never_again:  # an imported rater's user_id is None
            continue
        raters.append(keys(rater_key(user_id, source, external_id)))
        movies.append(movie_id)
    feedback = (
        UserFeedback.objects.filter(media__movie__isnull=False)
        .filter(Q(rating__gte=4) | Q(would_watch_again=True))
        .order_by()
        .values_list("user_id", "media__movie_id")
        .iterator(chunk_size=20_000)
    )
    for user_id, movie_id in feedback:
        if (user_id, movie_id) in never_again:
            continue
        raters.append(keys(("user", user_id)))
        movies.append(movie_id)
    return learning.distinct_pairs(np.array(raters, np.int64), np.array(movies, np.int64))


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
    rows = list(Movie.objects.filter(popularity__gt=0).values_list("pk", "popularity"))
    if not rows:
        return np.array([], np.int64), np.array([], float)
    ids, values = zip(*rows, strict=True)
    return np.array(ids, dtype=np.int64), np.array(values, dtype=float)


@dataclass
class Events:
    """Every individual opinion, one row each, for the evaluation: a rating (normalised)
    or a piece of feedback (stars 1-5, would watch again, finished), with its time."""

    rater: np.ndarray
    movie: np.ndarray
    time: np.ndarray  # Unix seconds; -inf when unknown (never the latest)
    normalized: np.ndarray  # NaN for feedback
    stars: np.ndarray  # NaN for ratings, and for feedback without stars
    again: np.ndarray  # 1, 0 or NOT_GIVEN
    finished: np.ndarray  # 1, 0 or NOT_GIVEN
    is_feedback: np.ndarray
    raters: int

    @property
    def positive(self) -> np.ndarray:
        """What positive_pairs learns from: the same rule, row by row."""
        with np.errstate(invalid="ignore"):
            liked = (self.normalized >= engine.POSITIVE) | (self.stars >= 4) | (self.again == 1)
        return liked & ~self.never_again

    @property
    def never_again(self) -> np.ndarray:
        """Every row of a rater on a film that some feedback of theirs on it says they
        finished and would not watch again: their Marquee rating of it included."""
        said = (self.finished == 1) & (self.again == 0)
        if not said.any():
            return np.zeros(len(self.rater), dtype=bool)
        pair = self.rater * (int(self.movie.max()) + 1) + self.movie
        return np.isin(pair, pair[said])


def load_events() -> Events:
    keys = RaterKeys()
    rows = []
    ratings = (
        Rating.objects.exclude(rater_kind=RaterKind.AGGREGATE)
        .annotate(score=normalized_score())
        .order_by()
        .values_list("user_id", "source", "external_rater_id", "movie_id", "rated_at", "score")
        .iterator(chunk_size=20_000)
    )
    for user_id, source, external_id, movie_id, rated_at, score in ratings:
        moment = rated_at.timestamp() if rated_at else -np.inf
        rows.append(
            (keys(rater_key(user_id, source, external_id)), movie_id, moment, score)
            + (np.nan, NOT_GIVEN, NOT_GIVEN, False)
        )
    feedback = (
        UserFeedback.objects.filter(media__movie__isnull=False)
        .order_by()
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
            + (np.nan if stars is None else float(stars), flag(again), flag(finished), True)
        )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 8
    types = (np.int64, np.int64, float, float, float, np.int8, np.int8, bool)
    arrays = [np.array(column, dtype=kind) for column, kind in zip(columns, types, strict=True)]
    return Events(*arrays, raters=len(keys))


def flag(value: bool | None) -> int:
    return NOT_GIVEN if value is None else int(value)
