"""What the engine learns from everyone's ratings, as plain numpy: no database here, so that
`build_similarities` (which stores the result) and the evaluation (which learns from a
training split in memory) run exactly the same code."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommendations import engine

# Items per block of the co-occurrence product: bounds memory on large catalogs.
BLOCK = 2048


@dataclass(frozen=True)
class Neighbours:
    """Each movie's top neighbours: parallel arrays of movie id, neighbour id and weight
    in (0, 1], sorted by movie, then weight descending, then neighbour id."""

    movie: np.ndarray
    neighbour: np.ndarray
    weight: np.ndarray

    def __len__(self):
        return len(self.movie)

    def matrix(self, ids: np.ndarray) -> sp.csr_matrix:
        """The neighbours as a movie x movie sparse matrix over `ids` (sorted movie ids)."""
        rows, row_known = positions(ids, self.movie)
        cols, col_known = positions(ids, self.neighbour)
        keep = row_known & col_known
        return sp.csr_matrix(
            (self.weight[keep], (rows[keep], cols[keep])), shape=(len(ids), len(ids))
        )


def positions(ids: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `values` sits in the sorted `ids`, and whether it is there at all."""
    if len(ids) == 0:
        return np.zeros(len(values), np.int64), np.zeros(len(values), bool)
    index = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
    return index, ids[index] == values


def distinct_pairs(raters: np.ndarray, movies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each (rater, movie) pair once, sorted. A person says they loved a film in more than
    one way (stars on feedback are also their Marquee rating; a film may have an item on
    two media servers), and both the neighbours and the priors count people, not rows."""
    pairs = np.unique(np.stack([raters, movies]).astype(np.int64).reshape(2, -1), axis=1)
    return pairs[0], pairs[1]


def item_neighbours(
    raters: np.ndarray,
    movies: np.ndarray,
    *,
    k: int = engine.NEIGHBOURS,
    alpha: float = engine.ALPHA,
    rater_damping: float = engine.RATER_DAMPING,
    min_support: int = engine.MIN_SUPPORT,
    min_positives: int = engine.MIN_POSITIVES,
) -> Neighbours:
    """Top-`k` neighbours of every movie from (rater, movie) pairs of positive ratings.

    weight(i, j) = sum over raters who loved both of n_u^-damping, divided by
    n_i^alpha * n_j^(1 - alpha), then scaled so that the largest weight is 1. A pair
    that fewer than `min_support` raters loved both of is chance, not similarity.
    """
    empty = Neighbours(np.array([], np.int64), np.array([], np.int64), np.array([], float))
    if len(movies) == 0:
        return empty
    raters, movies = distinct_pairs(raters, movies)
    rater_ids, rater_index = np.unique(raters, return_inverse=True)
    movie_ids, movie_index = np.unique(movies, return_inverse=True)
    liked = sp.csr_matrix(
        (np.ones(len(movies)), (rater_index, movie_index)),
        shape=(len(rater_ids), len(movie_ids)),
    )
    per_rater = np.asarray(liked.sum(axis=1)).ravel()
    per_movie = np.asarray(liked.sum(axis=0)).ravel()
    # Each side carries half the damping, so that a pair counts n_u^-damping.
    damped = (sp.diags(np.power(per_rater, -rater_damping / 2)) @ liked).tocsc()
    damped_t = damped.T.tocsr()
    plain, plain_t = liked.tocsc(), liked.T.tocsr()
    scale_i = np.power(per_movie, alpha)
    scale_j = np.power(per_movie, 1 - alpha)

    movie_out, neighbour_out, weight_out = [], [], []
    for start in range(0, len(movie_ids), BLOCK):
        stop = min(start + BLOCK, len(movie_ids))
        block = (damped_t[start:stop] @ damped).tocsr()
        block.sort_indices()
        if min_support > 1:
            support = (plain_t[start:stop] @ plain).tocsr()
            support.sort_indices()  # the same pattern as `block`: the same raters
        for row in range(stop - start):
            i = start + row
            if per_movie[i] < min_positives:
                continue
            lo, hi = block.indptr[row], block.indptr[row + 1]
            cols = block.indices[lo:hi]
            values = block.data[lo:hi] / (scale_i[i] * scale_j[cols])
            values[cols == i] = 0
            if min_support > 1:
                values[support.data[lo:hi] < min_support] = 0
            if len(values) > k:
                # Everything tied with the k-th best stays in, for a stable tie-break.
                kth = np.partition(values, len(values) - k)[len(values) - k]
                candidates = np.flatnonzero(values >= kth)
            else:
                candidates = np.arange(len(values))
            order = candidates[np.lexsort((cols[candidates], -values[candidates]))][:k]
            order = order[values[order] > 0]
            movie_out.append(np.full(len(order), movie_ids[i]))
            neighbour_out.append(movie_ids[cols[order]])
            weight_out.append(values[order])
    if not movie_out or not sum(len(w) for w in weight_out):
        return empty
    weight = np.concatenate(weight_out)
    return Neighbours(
        np.concatenate(movie_out).astype(np.int64),
        np.concatenate(neighbour_out).astype(np.int64),
        np.clip(weight / weight.max(), np.finfo(float).tiny, 1.0),
    )


@dataclass(frozen=True)
class Priors:
    """Per movie: damped average (0-1), votes counted, positives, popularity and score,
    and whether anything was known of it (else its prior is the neutral one)."""

    movie: np.ndarray
    rating_average: np.ndarray
    rating_count: np.ndarray
    positive_count: np.ndarray
    popularity: np.ndarray
    score: np.ndarray
    has_evidence: np.ndarray

    def by_movie(self) -> dict[int, tuple[float, float | None, float]]:
        """movie -> (score, rating average, popularity): a `Features`' prior fields. The
        average of a movie nobody rated is None: it is only the global mean."""
        averages = [
            average if count else None
            for average, count in zip(
                self.rating_average.tolist(), self.rating_count.tolist(), strict=True
            )
        ]
        parts = zip(self.score.tolist(), averages, self.popularity.tolist(), strict=True)
        return dict(zip(self.movie.tolist(), parts, strict=True))


def movie_priors(
    rating_movies: np.ndarray,
    rating_scores: np.ndarray,
    rating_weights: np.ndarray,
    positive_movies: np.ndarray,
    catalog_movies: np.ndarray,
    catalog_popularity: np.ndarray,
) -> Priors:
    """Damped average rating and popularity of every movie of the catalog.

    `rating_*` are every rating (individual and aggregate) as movie, score on 0-1 and
    weight (1, or an aggregate's capped vote count); `positive_movies` one entry per
    person who loved the film (see `distinct_pairs`); `catalog_*` every movie of the
    catalog and its own popularity figure (0 where it has none).

    A movie nobody rated or loved, with no popularity figure, gets the neutral prior: the
    global mean as its average and no popularity, what the damped average says of a film
    it knows nothing about. Left out, it vanished from the recommendations: the live
    engine offers a film with no prior only while its id is above every learnt one, as
    one added since the build (engine/sources.py).
    """
    ids = np.unique(np.concatenate([rating_movies, positive_movies, catalog_movies]))
    ids = ids.astype(np.int64)

    def per_movie(keys, weights):
        return np.bincount(np.searchsorted(ids, keys), weights=weights, minlength=len(ids))

    votes = per_movie(rating_movies, rating_weights.astype(float))
    total = per_movie(rating_movies, rating_scores * rating_weights)
    overall = total.sum() / votes.sum() if votes.sum() else 0.5
    average = (engine.DAMPING * overall + total) / (engine.DAMPING + votes)
    positives = per_movie(positive_movies, np.ones(len(positive_movies)))
    catalog = per_movie(catalog_movies, np.maximum(catalog_popularity.astype(float), 0))

    # Popularity on 0-1 on a log scale: how many loved it and what the catalog says, each
    # counting only where it says something at all (nothing, when there is not a single
    # rating or popular film: both are empty then, and an empty max() raises).
    parts = [
        np.log1p(values) / np.log1p(values.max())
        for values in (positives, catalog)
        if values.size and values.max() > 0
    ]
    popularity = np.mean(parts, axis=0) if parts else np.zeros(len(ids))
    has_evidence = (votes > 0) | (positives > 0) | (catalog > 0)
    score = 0.5 * average + 0.5 * popularity
    return Priors(
        movie=ids,
        rating_average=np.clip(average, 0, 1),
        rating_count=np.rint(votes).astype(np.int64),
        positive_count=positives.astype(np.int64),
        popularity=np.clip(popularity, 0, 1),
        score=np.clip(score, 0, 1),
        has_evidence=has_evidence,
    )
