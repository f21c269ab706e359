"""Reference recommenders on a MovieLens-format directory, under the same leave-last-out
protocol as `manage.py evaluate_recommendations`, to put the engine's figures in context.

    .venv/bin/python bench/recommendations_references.py DIR [DIR ...]

For each directory (ratings.csv on 0.5-5): the latest positive (rating >= 4) of every
rater with at least 5 positives is hidden; each method ranks the rater's unseen films
from the rest; hit rate at 3 and 10, NDCG at 10 and coverage at 10 are printed, and their
mean over the directories. Methods, all learnt from the positives only:

- popularity: films by number of ratings;
- item-to-item cosine: plain cosine over the positives, top 50 neighbours;
- EASE (Steck 2019, lambda 300): a closed-form item-item model, the strongest simple
  baseline of the literature, dense (items x items), so only for small catalogs.

This is a measuring stick, not part of the product: the engine's own figures come from
the command, which runs the engine's code on the database.
"""

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp


def load(directory: Path):
    data = np.loadtxt(directory / "ratings.csv", delimiter=",", skiprows=1)
    raters = np.unique(data[:, 0], return_inverse=True)[1]
    movie_ids, movies = np.unique(data[:, 1], return_inverse=True)
    positive = (data[:, 2] - 0.5) / 4.5 >= 0.75
    order = np.lexsort((movies, data[:, 3], raters))
    per_rater = np.bincount(raters[positive])
    held = {}
    for index in order:
        if positive[index] and per_rater[raters[index]] >= 5:
            held[raters[index]] = index
    hidden = np.zeros(len(data), bool)
    hidden[list(held.values())] = True
    return raters, movies, positive, hidden, len(movie_ids)


def catalog_size(directory: Path) -> int:
    """Films in movies.csv: coverage is a share of the whole catalog, as in the command."""
    with (directory / "movies.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def evaluate(scores, seen, targets, catalog):
    scores = np.where(seen, -np.inf, scores)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :10]
    hit = top == targets[:, None]
    return np.array(
        [
            hit[:, :3].any(1).mean(),
            hit.any(1).mean(),
            (hit / np.log2(np.arange(2, 12))).sum(1).mean(),
            len(np.unique(top)),
        ]
    )


def top_k(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    rows, cols, values = [], [], []
    for row in range(matrix.shape[0]):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        keep = np.argsort(-matrix.data[lo:hi], kind="stable")[:k]
        rows.append(np.full(len(keep), row))
        cols.append(matrix.indices[lo:hi][keep])
        values.append(matrix.data[lo:hi][keep])
    return sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape
    )


def methods(directory: Path) -> dict[str, np.ndarray]:
    raters, movies, positive, hidden, catalog = load(directory)
    train = ~hidden
    users, targets = raters[hidden], movies[hidden]
    shape = (raters.max() + 1, catalog)
    seen = sp.csr_matrix((np.ones(train.sum()), (raters[train], movies[train])), shape=shape)
    seen = seen.toarray()[users] > 0
    liked = train & positive
    x = sp.csr_matrix((np.ones(liked.sum()), (raters[liked], movies[liked])), shape=shape)
    results = {}
    counts = np.bincount(movies[train], minlength=catalog).astype(float)
    results["popularity"] = evaluate(np.tile(counts, (len(users), 1)), seen, targets, catalog)
    norms = np.sqrt(np.asarray(x.sum(axis=0)).ravel()) + 1e-9
    cosine = (x.T @ x).tocsr()
    cosine.setdiag(0)
    cosine = sp.diags(1 / norms) @ cosine @ sp.diags(1 / norms)
    neighbours = top_k(cosine.tocsr(), 50)
    results["item cosine"] = evaluate((x[users] @ neighbours).toarray(), seen, targets, catalog)
    if catalog <= 20_000:
        dense = x.toarray()
        gram = dense.T @ dense
        gram[np.diag_indices(catalog)] += 300
        inverse = np.linalg.inv(gram)
        weights = inverse / -np.diag(inverse)
        weights[np.diag_indices(catalog)] = 0
        results["EASE"] = evaluate(dense[users] @ weights, seen, targets, catalog)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", nargs="+", type=Path)
    args = parser.parse_args()
    table: dict[str, list[np.ndarray]] = {}
    for directory in args.directories:
        for name, figures in methods(directory).items():
            figures[3] /= catalog_size(directory)
            table.setdefault(name, []).append(figures)
            print(f"{directory.name:<20} {name:<12} " + format_row(figures))
    print(f"\nMean over {len(args.directories)} data sets:")
    for name, rows in table.items():
        print(f"{'':<20} {name:<12} " + format_row(np.mean(rows, axis=0)))


def format_row(figures) -> str:
    hr3, hr10, ndcg, coverage = figures
    return f"HR@3 {hr3:6.1%}  HR@10 {hr10:6.1%}  NDCG@10 {ndcg:.4f}  coverage@10 {coverage:5.1%}"


if __name__ == "__main__":
    sys.exit(main())
