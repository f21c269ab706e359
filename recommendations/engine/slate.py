"""Assembling a slate of three from a ranking: the best match, a real alternative to it,
and an exploration pick from outside the person's usual genres."""

from dataclasses import dataclass

from recommendations import engine
from recommendations.engine.ranking import (
    Candidate,
    Ranking,
    Source,
    explain,
    in_series_order,
    score,
    where_to_start,
)
from recommendations.engine.reasons import wildcard_reason
from recommendations.models import RecommendationType

# The backup must differ in a way that matters if the primary does not suit tonight.
MOSTLY_OTHER_GENRES = 0.5  # genre overlap (Jaccard) below this
MUCH_SHORTER_MINUTES = 30
SLATE_SIZE = 3


@dataclass
class Pick:
    slot: str  # a RecommendationType
    candidate: Candidate

    @property
    def movie_id(self) -> int:
        return self.candidate.movie_id


def differs(primary: Candidate, other: Candidate) -> bool:
    """Another genre mix, or a much shorter film."""
    mine, theirs = set(primary.features.genres), set(other.features.genres)
    if mine and theirs and len(mine & theirs) / len(mine | theirs) < MOSTLY_OTHER_GENRES:
        return True
    runtime, other_runtime = primary.features.runtime, other.features.runtime
    return bool(runtime and other_runtime and other_runtime <= runtime - MUCH_SHORTER_MINUTES)


def assemble(ranking: Ranking, source: Source) -> list[Pick]:
    """Primary, backup and wildcard (fewer when the catalog runs out), with reasons.

    Always the same queries whatever the person's history: the wildcard's fallback is
    read even when a collaborative wildcard is found, and reasons come in one query.
    """
    profile = ranking.profile
    lately = Freshness.of(ranking.candidates, profile.recent, keep=SLATE_SIZE)
    pool = lately.unshown(ranking.candidates) + lately.back(ranking.candidates)
    picks: list[Pick] = []
    if pool:
        primary = pool[0]
        # Never two films of one series (or franchise) in a slate.
        rest = [c for c in pool[1:] if not ranking.same_franchise(primary.movie_id, c.movie_id)]
        picks.append(Pick(RecommendationType.PRIMARY, primary))
        backup = next((c for c in rest if differs(primary, c)), rest[0] if rest else None)
        if backup is not None:
            picks.append(Pick(RecommendationType.BACKUP, backup))
    taken = {pick.movie_id for pick in picks}
    # Someone new has no usual genres yet: the wildcard then leaves the other two's.
    usual = set(ranking.usual_genres) or {
        genre for pick in picks for genre in pick.candidate.features.genres
    }
    outside = [
        c
        for c in ranking.candidates
        if c.movie_id not in taken
        and c.features.genres
        and not set(c.features.genres) & usual
        and unlike(c, picks, ranking)
    ]
    fallback = [
        c for c in fallback_wildcards(ranking, source, usual, taken) if unlike(c, picks, ranking)
    ]
    lately = Freshness.of([*outside, *fallback], profile.recent, keep=1)
    wildcard = best_wildcard(lately.unshown(outside), lately.unshown(fallback)) or best_wildcard(
        lately.back(outside), lately.back(fallback)
    )
    if wildcard is not None:
        picks.append(Pick(RecommendationType.WILDCARD, wildcard))
    explain(ranking, [pick.candidate for pick in picks], source)
    if wildcard is not None:
        others = {genre for pick in picks[:-1] for genre in pick.candidate.features.genres}
        liked = set(ranking.affinity)
        genre = fresh_genre(wildcard, ranking.tried_genres, liked, others)
        wildcard.reason = wildcard_reason(
            wildcard.features,
            genre,
            tried=genre in ranking.tried_genres,
            liked=genre in liked,
            # How many other picks lack it (none when the wildcard had no genre they lack).
            other_picks=len(picks) - 1 if genre not in others else 0,
            # The signal that brought it, when the person's taste or watchlist did, and
            # that they started it: without it, a film they walked out of reads as new.
            signal=wildcard.reason
            if wildcard.from_taste or wildcard.wanted or wildcard.movie_id in profile.started
            else "",
        )
    return picks


def unlike(candidate: Candidate, picks: list[Pick], ranking: Ranking) -> bool:
    """Something different from every other pick: a genre none of them has, and none of
    them in its franchise (its sequels, prequels, remakes, spin-offs and the like)."""
    theirs = {genre for pick in picks for genre in pick.candidate.features.genres}
    return bool(set(candidate.features.genres) - theirs) and not any(
        ranking.same_franchise(candidate.movie_id, pick.movie_id) for pick in picks
    )


@dataclass
class Freshness:
    """Which candidates were shown lately (`shown`), and which of those may not come back
    yet (`avoid`): the films of the newest slates, as many slates as leave at least `keep`
    candidates. So every candidate is offered once before any is offered again, and
    then those shown longest ago come back first."""

    shown: set[int]
    avoid: set[int]

    @classmethod
    def of(cls, candidates: list[Candidate], recent: list[set[int]], keep: int) -> "Freshness":
        ids = {c.movie_id for c in candidates}
        avoid: set[int] = set()
        for films in recent:
            if len(ids - avoid - films) < keep:
                break
            avoid |= films
        return cls(set().union(*recent), avoid)

    def unshown(self, candidates: list[Candidate]) -> list[Candidate]:
        return [c for c in candidates if c.movie_id not in self.shown]

    def back(self, candidates: list[Candidate]) -> list[Candidate]:
        """Those shown lately that may be offered again."""
        may_come_back = self.shown - self.avoid
        return [c for c in candidates if c.movie_id in may_come_back]


def best_wildcard(outside: list[Candidate], fallback: list[Candidate]) -> Candidate | None:
    """The film outside the usual genres that people with similar taste loved most; when
    none is collaborative, the best fallback (the best prior), then the best ranked."""
    loved = max(
        (c for c in outside if c.collaborative > 0),
        key=lambda c: (0.6 * c.collaborative + 0.4 * c.features.prior, -c.movie_id),
        default=None,
    )
    return loved or next(iter(fallback), None) or next(iter(outside), None)


def fallback_wildcards(ranking: Ranking, source: Source, usual, taken) -> list[Candidate]:
    """The best-rated films outside the usual genres, for when nobody with similar taste
    loved any: two queries, run every time so that a slate's cost does not vary. Films
    shown lately are among them, to come back once the others run out: enough more are
    read that they cannot crowd out the others. A later film of a series gives its place
    to where the person should start it, as in the ranking, as far as the links read
    for the ranking tell (they are not read again for these films)."""
    never_offered = ranking.profile.never_offered
    exclude = never_offered | taken
    shown = ranking.profile.shown_lately
    ids = source.outside_genres(sorted(usual), exclude, engine.WILDCARD_POOL + len(shown))
    wanted = ranking.profile.watchlist
    starts = {
        movie: start
        for movie in set(ids) - set(wanted)
        if (start := where_to_start(movie, ranking.before, never_offered)) is not None
    }
    features = source.features({*ids, *starts.values()})
    is_new = ranking.profile.is_new
    found = [
        score(
            Candidate(movie_id, features[movie_id], wanted=wanted.get(movie_id)),
            ranking.affinity,
            is_new=is_new,
        )
        for movie_id in ids
        if movie_id in features
    ]
    return [
        candidate
        for candidate in in_series_order(found, starts, features, ranking.affinity, is_new=is_new)
        if candidate.movie_id not in exclude
        and candidate.features.genres
        # A stand-in was not chosen for its genres.
        and not set(candidate.features.genres) & set(usual)
        and not ranking.turned_away_from(candidate.movie_id)
    ]


def fresh_genre(candidate: Candidate, tried: set[str], liked: set[str], others: set[str]) -> str:
    """The candidate's genre to name: one the other picks do not have, and of those one
    the person has not tried, else one they have not liked (`liked`: a genre of their
    taste, as `Ranking.affinity` has it), if it has one. Naming a genre of the very film
    the reason cites as loved would read as a contradiction."""
    genres = sorted(candidate.features.genres)
    new = [genre for genre in genres if genre not in others] or genres
    untried = next((genre for genre in new if genre not in tried), None)
    return untried or next((genre for genre in new if genre not in liked), new[0])
