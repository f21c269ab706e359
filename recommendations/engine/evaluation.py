"""How good the picks are: leave-last-out on whatever ratings the database holds.

For every rater with at least `min_positives` positives (what build_similarities learns
from: an imported rating of at least 0.75 on 0-1, and a film a member liked by what they
said of it last, data.Events.positive), the latest positive is hidden. The engine then
learns from everything else, in memory (the stored neighbour table is never touched),
ranks each rater's unseen films with the same code as the live engine, and is scored on
whether the hidden film comes back: hit rate at 3 and 10, NDCG at 10 and catalog
coverage at 10, beside two baselines that know nothing of the person.
"""

from dataclasses import dataclass, field

import numpy as np

from catalog.models import Movie, MovieRelationship, RaterKind, Rating
from catalog.querysets import normalized_score
from recommendations.engine import data, learning
from recommendations.engine.profile import Profile
from recommendations.engine.ranking import Features, films_before, just_before, rank
from recommendations.engine.slate import assemble

DEFAULT_MIN_POSITIVES = 5
CUTOFF = 10


@dataclass
class Scores:
    hits_at_3: int = 0
    hits_at_10: int = 0
    ndcg_at_10: float = 0.0
    shown: set[int] = field(default_factory=set)
    slate_hits: int = 0

    def add(self, top: list[int], target: int) -> None:
        top = top[:CUTOFF]
        self.shown.update(top)
        if target in top:
            position = top.index(target)
            self.hits_at_3 += position < 3
            self.hits_at_10 += 1
            self.ndcg_at_10 += 1 / np.log2(position + 2)


@dataclass
class Report:
    raters: int  # evaluated: those with enough positives
    catalog: int
    methods: dict[str, Scores]
    picks: int = 0  # slate picks made for all raters
    picks_with_reason: int = 0

    def rate(self, method: str, what: str) -> float:
        scores = self.methods[method]
        if what == "coverage":
            return len(scores.shown) / self.catalog if self.catalog else 0.0
        value = getattr(scores, what)
        return value / self.raters if self.raters else 0.0


class MemorySource:
    """The engine's `Source` over a training split held in memory."""

    def __init__(self, neighbours, priors, features, relationships):
        self.ids = np.array(sorted(features), dtype=np.int64)
        self.matrix = neighbours.matrix(self.ids).tocsr()
        prior = priors.by_movie()
        self.catalog = {
            movie: Features(f.title, f.runtime, f.genres, *prior.get(movie, (0.0, None, 0.0)))
            for movie, f in features.items()
        }
        order = np.lexsort((priors.movie, -priors.score))
        self.by_prior = [int(m) for m in priors.movie[order] if int(m) in self.catalog]
        self.relationships = relationships
        self.before = just_before(relationships)

    def collaborative(self, strengths, exclude, limit):
        rows, known = learning.positions(self.ids, np.array(sorted(strengths), dtype=np.int64))
        weights = np.array([strengths[m] for m in sorted(strengths)])[known]
        totals = np.asarray(self.matrix[rows[known]].T @ weights).ravel()
        excluded, found = learning.positions(self.ids, np.array(sorted(exclude), dtype=np.int64))
        totals[excluded[found]] = 0
        candidates = np.flatnonzero(totals > 0)
        best = candidates[np.lexsort((self.ids[candidates], -totals[candidates]))][:limit]
        return dict(zip(self.ids[best].tolist(), totals[best].tolist(), strict=True))

    def related(self, movies):
        films = {*movies, *films_before(self.before, movies)}
        return [row for row in self.relationships if row[0] in films or row[1] in films]

    def prior_pool(self, exclude, limit):
        return self.first(lambda movie: movie not in exclude, limit)

    def outside_genres(self, genres, exclude, limit):
        genres = set(genres)

        def fits(movie):
            mine = self.catalog[movie].genres
            return movie not in exclude and mine and not genres & set(mine)

        return self.first(fits, limit)

    def first(self, keep, limit) -> list[int]:
        found = []
        for movie in self.by_prior:
            if keep(movie):
                found.append(movie)
                if len(found) == limit:
                    break
        return found

    def features(self, ids, genres_only=frozenset()):
        return {
            movie: self.catalog[movie] for movie in {*ids, *genres_only} if movie in self.catalog
        }

    def linking(self, sources, targets):
        rows, known = learning.positions(self.ids, np.array(sorted(sources), dtype=np.int64))
        target_set = set(targets)
        found = []
        for row in rows[known]:
            lo, hi = self.matrix.indptr[row], self.matrix.indptr[row + 1]
            source = int(self.ids[row])
            for col, weight in zip(
                self.matrix.indices[lo:hi], self.matrix.data[lo:hi], strict=True
            ):
                target = int(self.ids[col])
                if target in target_set:
                    found.append((source, target, float(weight), self.catalog[source].title))
        return found


def catalog_features() -> dict[int, Features]:
    genres: dict[int, list[str]] = {}
    links = Movie.genres.through.objects.order_by("genre__name").values_list(
        "movie_id", "genre__name"
    )
    for movie_id, name in links.iterator(chunk_size=20_000):
        genres.setdefault(movie_id, []).append(name)
    movies = Movie.objects.values_list("pk", "title", "runtime_minutes")
    return {
        pk: Features(title, runtime, tuple(genres.get(pk, ())), 0.0)
        for pk, title, runtime in movies.iterator(chunk_size=20_000)
    }


def aggregate_ratings() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(
        Rating.objects.filter(rater_kind=RaterKind.AGGREGATE)
        .annotate(score=normalized_score(), counted=data.aggregate_weight())
        .values_list("movie_id", "score", "counted")
    )
    columns = list(zip(*rows, strict=True)) if rows else [(), (), ()]
    return (
        np.array(columns[0], dtype=np.int64),
        np.array(columns[1], dtype=float),
        np.array(columns[2], dtype=float),
    )


def held_out(events, min_positives: int) -> dict[int, int]:
    """rater -> the movie of their latest positive, for raters with enough positives."""
    positive = np.flatnonzero(events.positive)
    if not len(positive):
        return {}
    raters, movies = events.rater[positive], events.movie[positive]
    distinct = np.unique(np.stack([raters, movies], axis=1), axis=0)
    counts = np.bincount(distinct[:, 0], minlength=events.raters)
    order = np.lexsort((movies, events.time[positive], raters))
    last = {}
    for rater, movie in zip(raters[order].tolist(), movies[order].tolist(), strict=True):
        last[rater] = movie  # sorted by time: the last one written wins
    return {rater: movie for rater, movie in last.items() if counts[rater] >= min_positives}


def profile_from(events, rows: np.ndarray) -> Profile:
    profile = Profile()
    for i in rows[np.lexsort((events.movie[rows], events.time[rows]))]:
        movie = int(events.movie[i])
        # Dated as profile_for_user dates them, so that the latest statement stands.
        if events.is_feedback[i]:
            profile.add_feedback(movie, **events.feedback_fields(i))
        else:
            profile.add_rating(movie, float(events.normalized[i]), rated_at=events.moment(i))
    return profile


def evaluate(*, min_positives: int = DEFAULT_MIN_POSITIVES, progress=None) -> Report:
    events = data.load_events()
    targets = held_out(events, min_positives)
    features = catalog_features()
    report = Report(
        raters=len(targets),
        catalog=len(features),
        methods={name: Scores() for name in ("engine", "popularity", "damped average")},
    )
    if not targets:
        return report
    hidden = np.array(
        [
            targets.get(r, -1) == m
            for r, m in zip(events.rater.tolist(), events.movie.tolist(), strict=True)
        ]
    )
    train = ~hidden
    learnable = train & events.positive
    neighbours = learning.item_neighbours(events.rater[learnable], events.movie[learnable])
    _, loved = learning.distinct_pairs(events.rater[learnable], events.movie[learnable])
    individual = train & ~events.is_feedback
    agg_movies, agg_scores, agg_weights = aggregate_ratings()
    every_film, popularity = data.catalog_popularity()
    priors = learning.movie_priors(
        np.concatenate([events.movie[individual], agg_movies]),
        np.concatenate([events.normalized[individual], agg_scores]),
        np.concatenate([np.ones(individual.sum()), agg_weights]),
        loved,
        every_film,
        popularity,
    )
    relationships = list(
        MovieRelationship.objects.values_list("from_movie_id", "to_movie_id", "relationship_type")
    )
    source = MemorySource(neighbours, priors, features, relationships)
    baselines = {
        "popularity": global_order(events.movie[train]),
        "damped average": [
            int(m) for m in priors.movie[np.lexsort((priors.movie, -priors.rating_average))]
        ],
    }

    train_rows = np.flatnonzero(train)
    by_rater = np.split(
        train_rows[np.argsort(events.rater[train_rows], kind="stable")],
        np.cumsum(np.bincount(events.rater[train_rows], minlength=events.raters))[:-1],
    )
    for done, (rater, target) in enumerate(sorted(targets.items())):
        profile = profile_from(events, by_rater[rater])
        ranking = rank(profile, source)
        report.methods["engine"].add([c.movie_id for c in ranking.candidates[:CUTOFF]], target)
        picks = assemble(ranking, source)
        report.methods["engine"].slate_hits += any(p.movie_id == target for p in picks)
        report.picks += len(picks)
        report.picks_with_reason += sum(bool(p.candidate.reason) for p in picks)
        for name, order in baselines.items():
            report.methods[name].add(first_unseen(order, profile.seen), target)
        if progress:
            progress(done + 1, len(targets))
    return report


def global_order(movies: np.ndarray) -> list[int]:
    """Movies by how many ratings they have, most first, then by id."""
    ids, counts = np.unique(movies, return_counts=True)
    return [int(m) for m in ids[np.lexsort((ids, -counts))]]


def first_unseen(order: list[int], seen: set[int]) -> list[int]:
    top = []
    for movie in order:
        if movie not in seen:
            top.append(movie)
            if len(top) == CUTOFF:
                break
    return top
