"""The engine's entry points (pages, commands and evaluations all call these) and the
writes of the recommendation log and of what the engine learns."""

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field, replace

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from catalog.models import Movie
from feedback.film_items import media_for_movies
from feedback.models import Media, NotInterested
from feedback.services_locks import lock_person
from recommendations.bulk import bulk_insert
from recommendations.engine import ENGINE_VERSION, data, learning
from recommendations.engine.ranking import explain, rank
from recommendations.engine.slate import assemble
from recommendations.engine.sources import DatabaseSource, profile_for_user
from recommendations.models import MoviePrior, MovieSimilarity, RecommendationLog

# A slate stays on the page until the person asks for another, or until it is this old:
# long enough that it never changes under someone browsing for an evening, short enough
# that each day starts with a fresh one.
SLATE_LIFETIME = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Recommendation:
    movie_id: int
    title: str
    score: float
    reason: str
    recommendation_type: str = ""  # the slot, for a pick of a slate
    log: RecommendationLog | None = None  # once logged


@dataclass(frozen=True)
class Slate:
    picks: list[Recommendation]
    engine_version: str = ENGINE_VERSION
    slate_id: uuid.UUID | None = None  # None when not logged (a dry run)
    # A pick was shown lately: every candidate has been offered, so films come back.
    repeats: bool = False


def rank_for_user(user, *, limit: int = 20) -> list[Recommendation]:
    """The person's unseen films, best first, each with its score (0-1) and reason."""
    source = DatabaseSource()
    ranking = rank(profile_for_user(user, with_recent=False), source)
    best = ranking.candidates[:limit]
    explain(ranking, best, source)
    return [Recommendation(c.movie_id, c.title, c.score, c.reason) for c in best]


def slate_for_user(user, *, log: bool = True) -> Slate:
    """Primary, backup and wildcard for tonight, avoiding what the person was shown lately
    (engine/slate.py); logged (one row per pick, one transaction) unless `log` is False."""
    source = DatabaseSource()
    profile = profile_for_user(user)
    picks = assemble(rank(profile, source), source)
    recommendations = [
        Recommendation(p.movie_id, p.candidate.title, p.candidate.score, p.candidate.reason, p.slot)
        for p in picks
    ]
    repeats = any(pick.movie_id in profile.shown_lately for pick in picks)
    if not log or not recommendations:
        return Slate(recommendations, repeats=repeats)
    return replace(slate_log(user=user, picks=recommendations), repeats=repeats)


def another_slate_for(user) -> Slate:
    """ "Another slate": a new one, logged, for the person who asked. Clicked twice at once,
    it logs one: each click ranks its own (the same films), then they take turns on the
    person's row as the page's loads do (current_slate_id), and a click that finds a slate
    logged since it was sent shows that one. Else both were logged: an earlier slate the
    person never saw, never chosen, lowering the acceptance figures."""
    asked_at = timezone.now()
    slate = slate_for_user(user, log=False)
    if not slate.picks:
        return slate
    with transaction.atomic():
        lock_person(user)
        if RecommendationLog.objects.filter(user=user, timestamp__gte=asked_at).exists():
            return slate
        return replace(slate_log(user=user, picks=slate.picks), repeats=slate.repeats)


def current_slate_id(user, *, create: bool = True) -> uuid.UUID | None:
    """The slate the person is looking at: their newest, until they ask for another or it
    goes stale (SLATE_LIFETIME old, one of its films seen since, turned down or gone
    from the catalog, or made before the person said anything of their taste, who has since).
    Otherwise a new one, logged, unless `create` is False; None when there is nothing
    to suggest. One query when the newest slate is still current.

    The page loaded several times at once (restored tabs, link prefetching) makes one
    slate: each load makes its own, then takes turns on the person's row (lock_person;
    on SQLite the IMMEDIATE transaction's write lock) and logs it only if no other load
    has logged one meanwhile. Else every load logged a slate, and the next visit listed
    them all as earlier slates with nothing picked, lowering the acceptance figures."""
    newest = RecommendationLog.objects.for_user(user).newest_slate()
    if newest is not None and is_current(newest, now=timezone.now()):
        return newest["slate_id"]
    if not create:
        return None
    # Ranked before taking turns: it is the slow part, and on SQLite the lock is on every
    # write to the database, not only this person's.
    slate = slate_for_user(user, log=False)
    if not slate.picks:
        return None
    with transaction.atomic():
        lock_person(user)
        newest = RecommendationLog.objects.for_user(user).newest_slate()
        if newest is not None and is_current(newest, now=timezone.now()):
            return newest["slate_id"]
        return slate_log(user=user, picks=slate.picks).slate_id


def is_current(slate: dict, *, now) -> bool:
    """For a row of `newest_slate()`."""
    return (
        now - slate["shown_at"] < SLATE_LIFETIME
        and not slate["picks_gone"]
        and not slate["first_taste_since"]
    )


@transaction.atomic
def slate_log(*, user, picks: list[Recommendation]) -> Slate:
    """Write one log row per pick, sharing a slate id, score scale and engine version.

    Each pick's movie is mapped to its media item (the log's foreign key): one query for
    those that have one, and `media_for_movies` creates the rest together, only for these
    picks, in a fixed number of queries.
    """
    movie_ids = [pick.movie_id for pick in picks]
    media: dict[int, Media] = {
        item.movie_id: item
        for item, stands_for_film in Media.objects.filter(movie_id__in=movie_ids).with_standing()
        if stands_for_film
    }
    missing = [m for m in movie_ids if m not in media]
    if missing:
        media |= media_for_movies(movies=Movie.objects.in_bulk(missing).values())
    slate_id, now = uuid.uuid4(), timezone.now()
    rows = []
    for pick in picks:
        item = media[pick.movie_id]
        row = RecommendationLog(
            media=item,
            user=user,
            recommendation_type=pick.recommendation_type,
            score=pick.score,
            reason=pick.reason,
            slate_id=slate_id,
            engine_version=ENGINE_VERSION,
            timestamp=now,
        )
        # Field rules (type, score range, reason length) without a query: the slate id is
        # new, so its unique constraints cannot clash, and media and user were just read.
        row.full_clean(exclude=["media", "user"], validate_constraints=False)
        rows.append(row)
    logged = RecommendationLog.objects.bulk_create(rows)
    return Slate(
        [
            Recommendation(p.movie_id, p.title, p.score, p.reason, p.recommendation_type, row)
            for p, row in zip(picks, logged, strict=True)
        ],
        slate_id=slate_id,
    )


class PickTurnedDown(ValidationError):
    """The person chose a pick whose film they have turned down ("Not interested")."""

    def __init__(self, row: RecommendationLog):
        super().__init__(
            "You turned this film down: take that back before choosing it.", code="turned_down"
        )
        self.row = row


@transaction.atomic
def recommendation_select(*, user, log_id: int) -> RecommendationLog:
    """Mark a pick the person chose, the film read with it. Choosing another pick of the
    same slate moves the choice there (people change their mind; a slate keeps at most
    one). A pick of an older slate counts too (a tab opened before "Another slate"): it
    was shown, and chosen. A pick that was not shown to this person is refused, and so
    is one whose film they turned down since (PickTurnedDown): chosen from a tab opened
    before, it counted as accepted while the film stayed turned down, never offered.

    Two picks of one slate chosen at once (two tabs) take turns on the person's row: each
    locked only its own pick, and the second to unselect the other's met the one-selected
    index, a 500 on PostgreSQL. The later choice wins."""
    lock_person(user)
    turned_down = NotInterested.objects.filter(user=user, movie_id=OuterRef("media__movie_id"))
    row = (
        # Only the pick's row: its item and film are other people's too, and PostgreSQL
        # refuses to lock the nullable side of an outer join (the film, maybe deleted).
        RecommendationLog.objects.select_for_update(of=("self",))
        .select_related("media__movie")
        .annotate(turned_down=Exists(turned_down))
        .filter(user=user, pk=log_id)
        .first()
    )
    if row is None:
        raise PermissionDenied("This recommendation was not shown to you.")
    if row.turned_down:
        raise PickTurnedDown(row)
    # Unselect first: the one-selected-per-slate index is checked row by row.
    RecommendationLog.objects.filter(slate_id=row.slate_id, selected=True).exclude(
        pk=row.pk
    ).update(selected=False)
    if not row.selected:
        row.selected = True
        row.save(update_fields=["selected"])
    return row


@dataclass
class BuildSummary:
    positives: int
    movies: int
    neighbours: int
    priors: int
    neutral_priors: int = 0  # films nothing was known of: the neutral prior
    timings: dict[str, float] = field(default_factory=dict)


def similarities_build() -> BuildSummary:
    """What `manage.py build_similarities` runs: the rebuild (one transaction), then on
    PostgreSQL a VACUUM of both tables, outside it."""
    summary = similarities_rebuild()
    started = time.perf_counter()
    if vacuum(MovieSimilarity, MoviePrior):
        summary.timings["vacuum"] = time.perf_counter() - started
    return summary


@transaction.atomic
def similarities_rebuild() -> BuildSummary:
    """Relearn every movie's neighbours and prior from everyone's ratings, and replace the
    stored ones in one transaction: pages keep reading the old rows until it commits."""
    clock = Stopwatch()
    raters, movies = data.positive_pairs()
    rated, means, weights = data.rating_sums()
    every_film, popularity = data.catalog_popularity()
    clock.lap("read")
    neighbours = learning.item_neighbours(raters, movies)
    priors = learning.movie_priors(rated, means, weights, movies, every_film, popularity)
    clock.lap("learn")
    MovieSimilarity.objects.all().delete()
    bulk_insert(
        MovieSimilarity,
        ["movie_id", "neighbour_id", "weight"],
        [neighbours.movie.tolist(), neighbours.neighbour.tolist(), neighbours.weight.tolist()],
    )
    MoviePrior.objects.all().delete()
    bulk_insert(
        MoviePrior,
        ["movie_id", "rating_average", "rating_count", "positive_count", "popularity", "score"],
        [
            priors.movie.tolist(),
            priors.rating_average.tolist(),
            priors.rating_count.tolist(),
            priors.positive_count.tolist(),
            priors.popularity.tolist(),
            priors.score.tolist(),
        ],
    )
    clock.lap("write")
    analyze(MovieSimilarity, MoviePrior)
    clock.lap("analyze")
    return BuildSummary(
        positives=len(movies),
        movies=len(np.unique(neighbours.movie)),
        neighbours=len(neighbours),
        priors=len(priors.movie),
        neutral_priors=int(np.count_nonzero(~priors.has_evidence)),
        timings=clock.laps,
    )


def analyze(*models) -> None:
    """Fresh planner statistics for tables just rewritten whole: without them PostgreSQL
    guesses, and scanned the whole neighbour table for every slate (measured: 170 ms
    instead of 20). Autovacuum would get there, but minutes later."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def vacuum(*models) -> bool:
    """Reclaim the rows a rebuild replaced, at once: each rebuild leaves the whole previous
    table behind as dead rows, and a slate read through them measured 30% slower. Only
    on PostgreSQL, and only outside a transaction (VACUUM cannot run in one)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return True


class Stopwatch:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now
