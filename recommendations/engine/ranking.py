"""Scoring a person's unseen films: candidates from each signal, one score in 0-1, and a
reason naming the signal behind it.

Where the data comes from is a `Source`: the database for the live engine
(`sources.DatabaseSource`), a training split in memory for the evaluation. The scoring
here is the same for both, which is what makes the evaluation measure the real engine.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from catalog.models import RelationshipType
from catalog.models.relationships import OPPOSITE_ORDER
from recommendations import engine
from recommendations.engine.profile import Profile, genre_affinity, usual_genres
from recommendations.engine.reasons import (
    collaborative_reason,
    popular_reason,
    relation_reason,
    series_reason,
    started_reason,
    watchlist_reason,
)


@dataclass(frozen=True)
class Features:
    title: str
    runtime: int | None
    genres: tuple[str, ...]
    prior: float  # MoviePrior.score: 0 for a movie never built into the priors
    # The prior's parts, for reasons: everyone's damped average rating on 0-1 (None when
    # unknown) and the popularity on 0-1.
    rating_average: float | None = None
    popularity: float = 0.0

    @property
    def well_rated(self) -> bool:
        """On average, people liked it: what a positive rating is to one person."""
        return self.rating_average is not None and self.rating_average >= engine.POSITIVE

    @property
    def popular(self) -> bool:
        return self.popularity >= engine.POPULAR


@dataclass(frozen=True)
class Relation:
    source: int  # the film the person loved
    kind: str  # a RelationshipType: what the candidate is to it ("sequel")
    reverse: bool = False  # the candidate is the original the loved film remade


@dataclass
class Candidate:
    movie_id: int
    features: Features
    score: float = 0.0
    collaborative: float = 0.0  # on 0-1 relative to the person's best candidate
    genre_match: float = 0.0
    relation: Relation | None = None
    wanted: dt.datetime | None = None  # when the person put it on their watchlist
    because: str = ""  # the title of the liked film that led here, once explained
    reason: str = ""
    # The later film of its series whose place this one took (engine/ranking.py,
    # `in_series_order`): its score, and the signal its reason names, are that film's.
    ahead: "Candidate | None" = None

    @property
    def title(self) -> str:
        return self.features.title

    @property
    def from_taste(self) -> bool:
        """Its reason names a film the person liked: a relationship, or a neighbour."""
        told = self.ahead or self
        return told.relation is not None or bool(told.because)


class Source(Protocol):
    def collaborative(
        self, strengths: dict[int, float], exclude: set[int], limit: int
    ) -> dict[int, float]: ...

    def related(self, movies: set[int]) -> list[tuple[int, int, str]]:
        """Every relationship (from, to, type) with either side among `movies` or among
        the films before them in a series (`films_before`)."""

    def prior_pool(self, exclude: set[int], limit: int) -> list[int]: ...

    def outside_genres(self, genres: list[str], exclude: set[int], limit: int) -> list[int]: ...

    def features(self, ids: set[int], genres_only: set[int] = frozenset()) -> dict[int, Features]:
        """Features of `ids`; of the films in `genres_only` (and not in `ids`), only the
        genres are needed: the others' fields may be left empty."""

    def linking(
        self, sources: set[int], targets: set[int]
    ) -> list[tuple[int, int, float, str]]: ...


# Which relationships bring a film in, and in which direction: (from, to, type) reads
# "to is a <type> of from", so the sequel of a loved film is the `to` side; sequel and
# prequel links are read the other way too (`related_to_loved`).
FORWARD_RELATIONS = (
    RelationshipType.SEQUEL,
    RelationshipType.PREQUEL,
    RelationshipType.REMAKE,
    RelationshipType.SPIN_OFF,
)
# Relationships that put two films in one franchise (or collection): "similar" does not.
FRANCHISE_RELATIONS = (*FORWARD_RELATIONS, RelationshipType.SAME_FRANCHISE)


def just_before(relationships: list[tuple[int, int, str]]) -> dict[int, set[int]]:
    """Each film's films just before it in a series: (a, b, sequel) and (b, a, prequel)
    both put a before b. The TMDB import links each film of a collection to those of
    the release date before; links entered by hand may follow the story instead."""
    before: dict[int, set[int]] = {}
    for from_id, to_id, kind in relationships:
        if kind == RelationshipType.SEQUEL:
            before.setdefault(to_id, set()).add(from_id)
        elif kind == RelationshipType.PREQUEL:
            before.setdefault(from_id, set()).add(to_id)
    return before


def films_before(before: dict[int, set[int]], movies: set[int]) -> set[int]:
    """Every film before any of `movies` in a series (`before` as `just_before` gives it),
    however far back: what a `Source` reads the links of too, so that a series can be
    walked back to its first film."""
    found: set[int] = set()
    walk = list(movies)
    while walk:
        for earlier in before.get(walk.pop(), ()):
            if earlier not in found:
                found.add(earlier)
                walk.append(earlier)
    return found


def where_to_start(movie: int, before: dict[int, set[int]], seen: set[int]) -> int | None:
    """For a film of a series that comes after films the person has seen none of: the
    unseen film to watch first instead. That is, walking back through films they have
    not seen, the earliest one that starts the series or follows one they saw (ties: the
    lowest id). None when the film is itself a place to start, or when the links loop
    and no film of the loop is a place to start."""
    earlier = before.get(movie, set())
    if not earlier or earlier & seen:
        return None
    steps, walk, starts = {movie: 0}, [movie], []
    for film in walk:  # breadth first: `walk` grows as it is read
        for previous in sorted(before.get(film, ())):
            if previous in seen or previous in steps:
                continue
            steps[previous] = steps[film] + 1
            walk.append(previous)
            earliest = before.get(previous, set())
            if not earliest or earliest & seen:
                starts.append(previous)
    return min(starts, key=lambda start: (-steps[start], start), default=None)


@dataclass
class Ranking:
    profile: Profile
    candidates: list[Candidate]  # best first
    features: dict[int, Features]
    affinity: dict[str, float] = field(default_factory=dict)
    # (from, to, type) for every relationship of a liked film or a candidate.
    relationships: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def usual_genres(self) -> list[str]:
        return usual_genres(self.affinity)

    @cached_property
    def tried_genres(self) -> set[str]:
        """Every genre of every film the person has seen, even one only started."""
        tried = set()
        for movie in self.profile.seen | self.profile.started:
            if movie in self.features:
                tried.update(self.features[movie].genres)
        return tried

    @cached_property
    def franchises(self) -> dict[int, int]:
        """Each related film's franchise, as one of its films' id: the films joined by
        sequel, prequel, remake, spin-off or same-franchise links, directly or through
        films read with them (those of a liked film or a candidate)."""
        parent: dict[int, int] = {}

        def root(movie: int) -> int:
            while parent.setdefault(movie, movie) != movie:
                parent[movie] = parent[parent[movie]]
                movie = parent[movie]
            return movie

        for from_id, to_id, kind in self.relationships:
            if kind in FRANCHISE_RELATIONS:
                parent[root(from_id)] = root(to_id)
        return {movie: root(movie) for movie in parent}

    @cached_property
    def before(self) -> dict[int, set[int]]:
        return just_before(self.relationships)

    def same_franchise(self, movie: int, other: int) -> bool:
        franchise = self.franchises.get(movie)
        return franchise is not None and franchise == self.franchises.get(other)

    @cached_property
    def franchises_turned_away(self) -> set[int]:
        """The franchises of films the person gave up on or disliked, less those of a film
        they loved: someone who loved the second film may still want the third."""
        franchises = self.franchises
        loved = {franchises[movie] for movie in self.profile.loved if movie in franchises}
        away = {franchises[movie] for movie in self.profile.turned_away if movie in franchises}
        return away - loved

    def turned_away_from(self, movie: int) -> bool:
        """Of a franchise turned away from, unless the person put the film on their
        watchlist: what they asked for themselves is never held back."""
        return (
            movie not in self.profile.watchlist
            and self.franchises.get(movie) in self.franchises_turned_away
        )


def rank(profile: Profile, source: Source) -> Ranking:
    """Every candidate scored and sorted (score descending, then movie id); no reasons."""
    strengths = profile.strengths
    # Seen, or turned away from with a word against it: a film in no series has no
    # franchise to hold it back (turned_away_from).
    exclude = profile.never_offered
    collaborative = source.collaborative(strengths, exclude, engine.CF_POOL) if strengths else {}
    pool = source.prior_pool(exclude, engine.PRIOR_POOL)
    wanted = set(profile.watchlist) - exclude
    # One query for all four: the sequels and remakes of loved films are candidates,
    # the candidates' franchises keep the wildcard apart from the other two picks,
    # nothing of the franchise of a film the person gave up on or disliked is offered,
    # and a later film of a series gives its place to an earlier one (in_series_order).
    relationships = sorted(
        source.related({*profile.loved, *profile.turned_away, *collaborative, *pool, *wanted})
    )
    relations = relations_of(profile, relationships, exclude)
    sources = {relation.source for relation in relations.values()}
    before = just_before(relationships)
    # A film the person put on their watchlist is offered as it is: they may have seen
    # the earlier ones elsewhere, and they chose this one.
    starts = {
        movie: start
        for movie in {*collaborative, *relations, *pool} - exclude - wanted
        if (start := where_to_start(movie, before, exclude)) is not None
    }
    features = source.features(
        {*collaborative, *relations, *pool, *wanted, *sources, *starts.values()},
        genres_only=profile.seen | profile.started,
    )
    affinity = genre_affinity(
        profile, {movie: features[movie].genres for movie in profile.opinions if movie in features}
    )
    best = max(collaborative.values(), default=0.0) or 1.0
    is_new = not strengths
    candidates = []
    for movie_id in {*collaborative, *relations, *pool, *wanted}:
        if movie_id in exclude or movie_id not in features:
            continue
        candidate = Candidate(
            movie_id,
            features[movie_id],
            collaborative=collaborative.get(movie_id, 0.0) / best,
            relation=relations.get(movie_id),
            wanted=profile.watchlist.get(movie_id),
        )
        score(candidate, affinity, is_new=is_new)
        candidates.append(candidate)
    ranking = Ranking(profile, [], features, affinity, relationships)
    kept = [c for c in candidates if not ranking.turned_away_from(c.movie_id)]
    ranking.candidates = sorted(
        in_series_order(kept, starts, features, affinity, is_new=is_new),
        key=lambda c: (-c.score, c.movie_id),
    )
    return ranking


def in_series_order(
    candidates: list[Candidate],
    starts: dict[int, int],
    features: dict[int, Features],
    affinity: dict[str, float],
    *,
    is_new: bool,
) -> list[Candidate]:
    """The candidates, each later film of a series the person has not reached replaced by
    where they should start it (`where_to_start`): someone who has seen none of The
    Godfather is offered The Godfather, not Part III, and only once Part II is seen
    Part III. The film that starts keeps the better of its own score and the later
    film's, and in the second case the later film's signal (`Candidate.ahead`). The
    order is kept: each film comes where it, or the first later film it stands for, was.
    """
    placed = {c.movie_id: c for c in candidates if c.movie_id not in starts}
    waiting = sorted(
        (c for c in candidates if c.movie_id in starts), key=lambda c: (-c.score, c.movie_id)
    )
    for later in waiting:
        start = starts[later.movie_id]
        if start not in features:  # gone from the catalog since the links were read
            placed[later.movie_id] = later
            continue
        current = placed.get(start)
        if current is None or later.score > current.score:
            stand_in = Candidate(start, features[start], wanted=current.wanted if current else None)
            stand_in = score(stand_in, affinity, is_new=is_new)
            stand_in.score, stand_in.collaborative = later.score, later.collaborative
            stand_in.ahead = later
            placed[start] = stand_in
    order = dict.fromkeys(
        c.movie_id if c.movie_id in placed else starts[c.movie_id] for c in candidates
    )
    return [placed[movie] for movie in order if movie in placed]


def score(candidate: Candidate, affinity: dict[str, float], *, is_new: bool) -> Candidate:
    genres = candidate.features.genres
    candidate.genre_match = (
        sum(affinity.get(genre, 0.0) for genre in genres) / len(genres) if genres else 0.0
    )
    if is_new:
        # Nothing known of the person: the prior (well rated and popular) is the ranking.
        value = candidate.features.prior
    else:
        value = (
            engine.WEIGHT_COLLABORATIVE * candidate.collaborative
            + engine.WEIGHT_PRIOR * candidate.features.prior
            + engine.WEIGHT_GENRE * candidate.genre_match
            + engine.WEIGHT_RELATION * (candidate.relation is not None)
        )
    value = (1 - engine.WEIGHT_WATCHLIST) * value + engine.WEIGHT_WATCHLIST * (
        candidate.wanted is not None
    )
    candidate.score = round(min(max(value, 0.0), 1.0), 6)
    return candidate


def relations_of(
    profile: Profile, relationships: list[tuple[int, int, str]], exclude: set[int]
) -> dict[int, Relation]:
    """The films related to one the person loved, each with the first relation found."""
    loved = profile.loved
    found: dict[int, Relation] = {}
    for from_id, to_id, kind in relationships:
        for movie, relation in related_to_loved(from_id, to_id, kind, loved):
            if movie not in exclude and movie not in found:
                found[movie] = relation
    return found


def related_to_loved(from_id: int, to_id: int, kind: str, loved) -> list[tuple[int, Relation]]:
    """What one link (from, to, type) brings in, and as what: the film its `to` side is
    a <type> of loved, and read backwards, the sequel or prequel of a loved `to` side,
    since (a, b, sequel) and (b, a, prequel) are one fact told from either film (as the
    series order reads them, `just_before`), and the original a loved remake was made
    from. (S3, S2, prequel) says that Saga Part 3 is the sequel of Saga Part 2."""
    found = []
    if from_id in loved and kind in FORWARD_RELATIONS:
        found.append((to_id, Relation(from_id, kind)))
    if to_id in loved and kind in OPPOSITE_ORDER:
        found.append((from_id, Relation(to_id, OPPOSITE_ORDER[kind])))
    elif to_id in loved and kind == RelationshipType.REMAKE:
        found.append((from_id, Relation(to_id, kind, reverse=True)))
    return found


def explain(ranking: Ranking, candidates: list[Candidate], source: Source) -> None:
    """Give each candidate the reason behind its score, in one query for all of them. A
    film that took the place of a later one of its series is told by that film's signal,
    naming it."""
    profile = ranking.profile
    strengths = profile.strengths
    told = [c.ahead or c for c in candidates if not c.reason]
    needs_link = {c.movie_id for c in told if c.relation is None and c.collaborative > 0}
    best_link: dict[int, tuple[float, int, str]] = {}
    if needs_link and strengths:
        for source_id, target, weight, title in source.linking(set(strengths), needs_link):
            pull = strengths.get(source_id, 0.0) * weight
            # Prefer a film they loved over one they merely finished; then the strongest.
            key = (strengths.get(source_id, 0) >= engine.POSITIVE, pull, -source_id)
            if target not in best_link or key > best_link[target][0]:
                best_link[target] = (key, source_id, title)
    for candidate in candidates:
        if candidate.reason:
            continue
        later = candidate.ahead
        if later is None:
            reason = signal_reason(candidate, ranking, best_link)
        else:
            clause = signal_reason(later, ranking, best_link, subject=later.title)
            candidate.because = later.because
            reason = series_reason(
                clause, later.title, first=not ranking.before.get(candidate.movie_id)
            )
        # The person's own doing first, a film in the place of a later one of its series
        # too: their wish, or that they stopped part way; then what else speaks for it.
        if candidate.wanted is not None:
            reason = watchlist_reason(candidate.wanted, reason, zone=profile.time_zone)
        elif candidate.movie_id in profile.started:
            reason = started_reason(reason)
        candidate.reason = reason


def signal_reason(
    candidate: Candidate, ranking: Ranking, best_link: dict, subject: str = ""
) -> str:
    """The reason of the signal behind a candidate's score; with a `subject`, a clause
    naming the film instead of saying "this" (reasons.py)."""
    profile = ranking.profile
    if candidate.relation is not None:
        relation = candidate.relation
        return relation_reason(
            relation,
            ranking.features[relation.source].title,
            profile.opinions[relation.source],
            subject=subject,
        )
    if candidate.movie_id in best_link:
        _, source_id, title = best_link[candidate.movie_id]
        candidate.because = title
        return collaborative_reason(title, profile.opinions[source_id], subject=subject)
    return popular_reason(candidate, ranking.affinity, subject=subject)
