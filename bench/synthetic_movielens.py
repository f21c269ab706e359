"""Write a MovieLens-format directory (movies.csv, links.csv, ratings.csv, tags.csv) whose
ratings carry a taste structure that a recommender can learn, deterministically by seed.

    python bench/synthetic_movielens.py OUT_DIR [--users 600] [--movies 9000]
        [--ratings 100000] [--seed 1]

Why synthetic: the machine has no network, so the public MovieLens files cannot be fetched,
and shipping them is not allowed. The generator imitates what matters to an evaluation:

- every movie has a genre mix (MovieLens' genres, at roughly MovieLens' frequencies) and a
  latent vector built from its genres plus a part of its own;
- every user has a taste made of one to three favourite genres plus a part of their own;
- which films a person rates depends on popularity (heavily skewed, as in real data) and on
  taste (people watch what they expect to like), and only films released by then;
- the rating itself depends on the film's quality, the person's leniency and the match,
  with noise, on MovieLens' half-star 0.5-5 scale;
- each person rates at least 20 films (MovieLens' own rule) within an activity window, so
  timestamps order each person's ratings as leave-last-out evaluation needs.

The strength of taste against popularity (`taste`) was set once so that plain popularity
scores about what it scores on the public ML-100k data set under the project's
leave-last-out protocol (see docs/benchmarks.md); it is not tuned per recommender.
"""

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# MovieLens' genres and roughly how often each appears on a film of ML-latest-small.
GENRE_FREQUENCIES = {
    "Drama": 0.45,
    "Comedy": 0.39,
    "Thriller": 0.20,
    "Action": 0.19,
    "Romance": 0.16,
    "Adventure": 0.13,
    "Crime": 0.13,
    "Sci-Fi": 0.10,
    "Horror": 0.10,
    "Fantasy": 0.08,
    "Children": 0.07,
    "Animation": 0.07,
    "Mystery": 0.06,
    "Documentary": 0.05,
    "War": 0.04,
    "Musical": 0.04,
    "Western": 0.02,
    "IMAX": 0.02,
    "Film-Noir": 0.01,
}
GENRES = list(GENRE_FREQUENCIES)

FIRST_YEAR, LAST_YEAR = 1920, 2018
# 1996-01-01 and 2018-09-01, MovieLens' own span, as Unix timestamps.
FIRST_RATING_TIME, LAST_RATING_TIME = 820_454_400, 1_535_760_000
MIN_RATINGS_PER_USER = 20

ADJECTIVES = [
    "Silent",
    "Crimson",
    "Last",
    "Hidden",
    "Broken",
    "Golden",
    "Distant",
    "Wild",
    "Quiet",
    "Burning",
    "Lonely",
    "Electric",
    "Frozen",
    "Secret",
    "Northern",
    "Midnight",
    "Bitter",
    "Gentle",
    "Savage",
    "Hollow",
    "Endless",
    "Iron",
    "Paper",
    "Glass",
]
NOUNS = [
    "River",
    "Empire",
    "Summer",
    "Witness",
    "Garden",
    "Harbor",
    "Storm",
    "Mirror",
    "Kingdom",
    "Station",
    "Promise",
    "Letter",
    "Frontier",
    "Shadow",
    "Orchard",
    "Circus",
    "Voyage",
    "Signal",
    "Lantern",
    "Canyon",
    "Island",
    "Machine",
    "Heart",
    "Road",
]
TAG_WORDS = {
    "Drama": ["moving", "slow burn", "great acting"],
    "Comedy": ["funny", "witty", "feel-good"],
    "Thriller": ["tense", "twist ending"],
    "Action": ["explosions", "car chase"],
    "Romance": ["romantic", "love story"],
    "Sci-Fi": ["space", "dystopia", "time travel"],
    "Horror": ["scary", "gore"],
    "Animation": ["pixar", "beautiful animation"],
    "Documentary": ["informative", "true story"],
}


@dataclass(frozen=True)
class Shape:
    users: int = 600
    movies: int = 9000
    ratings: int = 100_000
    seed: int = 1
    factors: int = 24
    # How much taste, against popularity, decides which films a person rates.
    taste: float = 1.6
    # How much the match between person and film moves the rating itself.
    rating_match: float = 0.55


def generate(out_dir: Path, shape: Shape = Shape()) -> dict:
    """Write the four files into `out_dir` (created if needed); returns counts."""
    if shape.users < 1 or shape.movies < MIN_RATINGS_PER_USER:
        raise ValueError("need at least one user and 20 movies")
    if shape.ratings < shape.users * MIN_RATINGS_PER_USER:
        raise ValueError("need at least 20 ratings per user")
    if shape.ratings > shape.users * shape.movies // 2:
        raise ValueError("too many ratings for so few users and movies")
    rng = np.random.default_rng(shape.seed)
    out_dir.mkdir(parents=True, exist_ok=True)

    movies = make_movies(rng, shape)
    users = make_users(rng, shape)
    rows = make_ratings(rng, shape, movies, users)

    write_movies(out_dir / "movies.csv", movies)
    write_links(out_dir / "links.csv", movies)
    write_ratings(out_dir / "ratings.csv", rows)
    tags = write_tags(out_dir / "tags.csv", rng, rows, movies)
    return {"movies": shape.movies, "users": shape.users, "ratings": len(rows[0]), "tags": tags}


def make_movies(rng, shape: Shape) -> dict:
    n, d = shape.movies, shape.factors
    frequencies = np.array(list(GENRE_FREQUENCIES.values()))
    # One to three genres each, drawn by frequency; at least one always.
    counts = rng.choice([1, 2, 3], size=n, p=[0.45, 0.35, 0.20])
    genre_sets = []
    for count in counts:
        chosen = rng.choice(
            len(GENRES), size=count, replace=False, p=frequencies / frequencies.sum()
        )
        genre_sets.append(sorted(int(g) for g in chosen))
    genre_vectors = rng.normal(size=(len(GENRES), d))
    own = rng.normal(size=(n, d))
    factors = np.stack([genre_vectors[g].mean(axis=0) for g in genre_sets]) * 0.8 + own * 0.6
    factors /= np.linalg.norm(factors, axis=1, keepdims=True)
    # Recent years hold more films, as in MovieLens.
    years = (LAST_YEAR - np.floor(rng.exponential(18, size=n))).clip(FIRST_YEAR, LAST_YEAR)
    return {
        "genres": genre_sets,
        "genre_vectors": genre_vectors,
        "factors": factors,
        "log_popularity": rng.normal(scale=1.4, size=n),
        "quality": rng.normal(scale=0.45, size=n),
        "years": years.astype(int),
        "titles": [
            f"{ADJECTIVES[i % len(ADJECTIVES)]} {NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]}"
            + (f" {i // (len(ADJECTIVES) * len(NOUNS)) + 1}" if i >= 576 else "")
            for i in rng.permutation(n)
        ],
    }


def make_users(rng, shape: Shape) -> dict:
    n, d = shape.users, shape.factors
    frequencies = np.array(list(GENRE_FREQUENCIES.values()))
    own = rng.normal(size=(n, d))
    favourite_counts = rng.choice([1, 2, 3], size=n, p=[0.3, 0.45, 0.25])
    # Filled in by make_ratings from the movies' genre vectors.
    favourites = [
        rng.choice(len(GENRES), size=c, replace=False, p=frequencies / frequencies.sum())
        for c in favourite_counts
    ]
    # Activity: a long tail of heavy raters above MovieLens' minimum of 20.
    raw = rng.lognormal(mean=0, sigma=1.0, size=n)
    extra = shape.ratings - n * MIN_RATINGS_PER_USER
    counts = MIN_RATINGS_PER_USER + np.floor(raw / raw.sum() * extra).astype(int)
    counts[np.argsort(-raw)[: shape.ratings - counts.sum()]] += 1
    counts = np.minimum(counts, shape.movies // 2)
    start = rng.uniform(FIRST_RATING_TIME, LAST_RATING_TIME - 86_400, size=n)
    # Most people rate in a burst of days, some over years.
    span = np.minimum(rng.exponential(200 * 86_400, size=n), LAST_RATING_TIME - start)
    return {
        "own": own,
        "favourites": favourites,
        "counts": counts,
        "start": start,
        "span": span,
        "leniency": rng.normal(scale=0.35, size=n),
    }


def make_ratings(rng, shape: Shape, movies: dict, users: dict):
    """Which films each person rates (Gumbel top-k over popularity + taste), and how."""
    genre_vectors, factors = movies["genre_vectors"], movies["factors"]
    tastes = (
        np.stack([genre_vectors[f].sum(axis=0) for f in users["favourites"]]) * 0.7
        + users["own"] * 0.5
    )
    tastes /= np.linalg.norm(tastes, axis=1, keepdims=True)
    scale = np.sqrt(shape.factors) / 3  # unit vectors: bring the dot product to ~unit spread
    user_ids, movie_ids, values, times = [], [], [], []
    release_time = (
        FIRST_RATING_TIME + (movies["years"] - 1996) * 365.25 * 86_400
    )  # 1 January of the release year
    for u in range(shape.users):
        match = (factors @ tastes[u]) * scale * 3
        logits = movies["log_popularity"] + shape.taste * match
        end = users["start"][u] + users["span"][u]
        logits = np.where(release_time <= end, logits, -np.inf)
        n = min(int(users["counts"][u]), int(np.isfinite(logits).sum()))
        keys = logits + rng.gumbel(size=logits.shape)
        chosen = np.argpartition(-keys, n - 1)[:n]
        chosen.sort()
        stars = (
            2.5
            + movies["quality"][chosen]
            + users["leniency"][u]
            + shape.rating_match * match[chosen]
            + rng.normal(scale=0.7, size=n)
        )
        stars = np.clip(np.round(stars * 2) / 2, 0.5, 5.0)
        earliest = np.maximum(users["start"][u], release_time[chosen])
        moments = earliest + rng.uniform(size=n) * np.maximum(end - earliest, 60)
        user_ids.append(np.full(n, u + 1))
        movie_ids.append(chosen + 1)
        values.append(stars)
        times.append(moments.astype(np.int64))
    return (
        np.concatenate(user_ids),
        np.concatenate(movie_ids),
        np.concatenate(values),
        np.concatenate(times),
    )


def write_movies(path: Path, movies: dict) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movieId", "title", "genres"])
        for i, (title, year, genres) in enumerate(
            zip(movies["titles"], movies["years"], movies["genres"], strict=True)
        ):
            writer.writerow([i + 1, f"{title} ({year})", "|".join(GENRES[g] for g in genres)])


def write_links(path: Path, movies: dict) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movieId", "imdbId", "tmdbId"])
        for i in range(len(movies["titles"])):
            # Ids in ranges no real film uses, so a synthetic film never collides with one.
            writer.writerow([i + 1, f"{9_100_000 + i:07d}", 5_000_000 + i])


def write_ratings(path: Path, rows) -> None:
    users, movies, values, times = rows
    order = np.lexsort((movies, users))  # MovieLens sorts by user, then movie
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write("userId,movieId,rating,timestamp\n")
        handle.writelines(f"{users[i]},{movies[i]},{values[i]:.1f},{times[i]}\n" for i in order)


def write_tags(path: Path, rng, rows, movies: dict) -> int:
    users, movie_ids, _, times = rows
    tagged = np.flatnonzero(rng.uniform(size=len(users)) < 0.03)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["userId", "movieId", "tag", "timestamp"])
        for i in tagged:
            genre = GENRES[movies["genres"][movie_ids[i] - 1][0]]
            words = TAG_WORDS.get(genre)
            if words:
                tag = words[int(rng.integers(len(words)))]
                writer.writerow([users[i], movie_ids[i], tag, times[i] + 30])
                written += 1
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--users", type=int, default=Shape.users)
    parser.add_argument("--movies", type=int, default=Shape.movies)
    parser.add_argument("--ratings", type=int, default=Shape.ratings)
    parser.add_argument("--seed", type=int, default=Shape.seed)
    parser.add_argument("--taste", type=float, default=Shape.taste)
    args = parser.parse_args(argv)
    shape = Shape(
        users=args.users,
        movies=args.movies,
        ratings=args.ratings,
        seed=args.seed,
        taste=args.taste,
    )
    counts = generate(args.out_dir, shape)
    print(", ".join(f"{value} {name}" for name, value in counts.items()), "in", args.out_dir)


if __name__ == "__main__":
    main()
