"""What the engine learns, as plain functions: neighbours, priors, profiles, hold-outs."""

import numpy as np
import pytest

from recommendations import engine
from recommendations.engine import data
from recommendations.engine.evaluation import Scores, held_out
from recommendations.engine.learning import distinct_pairs, item_neighbours, movie_priors
from recommendations.engine.profile import Profile, genre_affinity, usual_genres


def neighbours_of(raters, movies, **options):
    found = item_neighbours(np.array(raters), np.array(movies), **options)
    return {
        (int(m), int(n)): w
        for m, n, w in zip(found.movie, found.neighbour, found.weight, strict=True)
    }


def test_weights_follow_the_damped_asymmetric_cosine():
    # r0 loves 1, 2, 3; r1 loves 1, 2; r2 loves 2, 3.
    raters = [0, 0, 0, 1, 1, 2, 2]
    movies = [1, 2, 3, 1, 2, 2, 3]

    weights = neighbours_of(raters, movies, alpha=0.75, rater_damping=1.0, min_positives=1)

    per_movie = {1: 2, 2: 3, 3: 2}
    together = {(1, 2): 1 / 3 + 1 / 2, (1, 3): 1 / 3, (2, 3): 1 / 3 + 1 / 2}
    expected = {}
    for (i, j), co in together.items():
        expected[(i, j)] = co / (per_movie[i] ** 0.75 * per_movie[j] ** 0.25)
        expected[(j, i)] = co / (per_movie[j] ** 0.75 * per_movie[i] ** 0.25)
    top = max(expected.values())
    assert weights.keys() == expected.keys()
    for pair, weight in expected.items():
        assert weights[pair] == pytest.approx(weight / top)
    assert max(weights.values()) == 1.0


def test_only_the_top_k_are_kept_ties_by_lowest_id_and_never_itself():
    # Movie 1 is loved with 2, 3 and 4 equally often.
    raters = [0, 0, 1, 1, 2, 2]
    movies = [1, 2, 1, 3, 1, 4]

    weights = neighbours_of(raters, movies, k=2, min_positives=1)

    assert [pair for pair in weights if pair[0] == 1] == [(1, 2), (1, 3)]
    assert not any(m == n for m, n in weights)


def test_rarely_loved_films_get_no_list_but_can_be_neighbours():
    raters = [0, 0, 1, 1, 2, 2, 3]
    movies = [1, 2, 1, 2, 1, 9, 1]

    weights = neighbours_of(raters, movies, min_positives=2)

    assert {m for m, _ in weights} == {1, 2}
    assert (1, 9) in weights


def test_a_pair_below_the_support_is_dropped():
    raters = [0, 0, 1, 1, 2, 2]
    movies = [1, 2, 1, 2, 1, 3]

    weights = neighbours_of(raters, movies, min_support=2, min_positives=1)

    assert set(weights) == {(1, 2), (2, 1)}


def test_no_ratings_learn_nothing():
    assert neighbours_of([], []) == {}


def test_the_prior_is_a_damped_average_and_a_popularity():
    priors = movie_priors(
        rating_movies=np.array([1, 2, 2, 2]),
        rating_scores=np.array([1.0, 0.5, 0.5, 0.5]),
        rating_weights=np.array([1.0, 1.0, 1.0, 1.0]),
        positive_movies=np.array([1]),
        catalog_movies=np.array([3]),
        catalog_popularity=np.array([50.0]),
    )

    overall = (1.0 + 1.5) / 4
    average = dict(zip(priors.movie.tolist(), priors.rating_average.tolist(), strict=True))
    assert average[1] == pytest.approx((engine.DAMPING * overall + 1) / (engine.DAMPING + 1))
    assert average[2] == pytest.approx((engine.DAMPING * overall + 1.5) / (engine.DAMPING + 3))
    assert average[3] == pytest.approx(overall)  # no rating: the global mean
    popularity = dict(zip(priors.movie.tolist(), priors.popularity.tolist(), strict=True))
    assert popularity[1] == pytest.approx(0.5)  # the most loved, no catalog figure
    assert popularity[3] == pytest.approx(0.5)  # the catalog's most popular, never loved
    assert popularity[2] == 0
    assert np.all((priors.score >= 0) & (priors.score <= 1))


def test_an_empty_catalog_gives_no_priors():
    empty = np.array([], np.int64)

    priors = movie_priors(empty, empty.astype(float), empty.astype(float), empty, empty, empty)

    assert len(priors.movie) == 0


def test_a_film_nothing_is_known_of_gets_the_neutral_prior():
    """No rating, nobody who loved it, no popularity figure: the global mean and no
    popularity, just below a film known by a popularity figure alone."""
    priors = movie_priors(
        rating_movies=np.array([1, 1]),
        rating_scores=np.array([1.0, 0.5]),
        rating_weights=np.array([1.0, 1.0]),
        positive_movies=np.array([1]),
        catalog_movies=np.array([1, 2, 3]),
        catalog_popularity=np.array([0.0, 5.0, 0.0]),
    )

    assert priors.movie.tolist() == [1, 2, 3]
    assert priors.has_evidence.tolist() == [True, True, False]
    neutral = {name: getattr(priors, name)[2] for name in ("rating_count", "positive_count")}
    assert neutral == {"rating_count": 0, "positive_count": 0}
    assert priors.rating_average[2] == pytest.approx(0.75)  # everyone's mean
    assert priors.popularity[2] == 0
    assert priors.score[2] == pytest.approx(0.75 / 2)
    assert priors.score[2] < priors.score[1]


def test_distinct_pairs_keeps_each_person_and_film_once():
    raters, movies = distinct_pairs(np.array([2, 1, 2, 1, 2]), np.array([5, 5, 5, 6, 5]))

    assert list(zip(raters.tolist(), movies.tolist(), strict=True)) == [(1, 5), (1, 6), (2, 5)]
    assert distinct_pairs(np.array([], np.int64), np.array([], np.int64))[0].size == 0


def test_without_ratings_the_prior_is_the_catalog_popularity_alone():
    empty = np.array([], np.int64)

    priors = movie_priors(
        empty,
        empty.astype(float),
        empty.astype(float),
        empty,
        np.array([1, 2]),
        np.array([9.0, 99.0]),
    )

    popularity = dict(zip(priors.movie.tolist(), priors.popularity.tolist(), strict=True))
    assert popularity[2] == pytest.approx(1.0)
    assert 0 < popularity[1] < 1
    assert priors.rating_count.tolist() == priors.positive_count.tolist() == [0, 0]


def events(rows, raters):
    """rows: (rater, movie, time, normalised score)."""
    rater, movie, time, score = (np.array(column) for column in zip(*rows, strict=True))
    count = len(rows)
    return data.Events(
        rater=rater,
        movie=movie,
        time=time.astype(float),
        normalized=score.astype(float),
        stars=np.full(count, np.nan),
        again=np.full(count, data.NOT_GIVEN, dtype=np.int8),
        finished=np.full(count, data.NOT_GIVEN, dtype=np.int8),
        is_feedback=np.zeros(count, dtype=bool),
        by_member=np.zeros(count, dtype=bool),
        raters=raters,
    )


def test_the_latest_positive_is_held_out_for_raters_with_enough():
    rows = [(0, movie, 100 - movie, 1.0) for movie in range(1, 6)]  # movie 1 is the latest
    rows += [(0, 9, 500, 0.5)]  # later, but not a positive
    rows += [(1, movie, 10, 1.0) for movie in range(1, 5)]  # only four positives

    assert held_out(events(rows, raters=2), min_positives=5) == {0: 1}
    assert held_out(events(rows, raters=2), min_positives=4) == {0: 1, 1: 4}


def test_hits_and_ndcg_count_the_position():
    scores = Scores()
    scores.add([5, 6, 7, 8], target=5)
    scores.add([5, 6, 7, 8], target=8)
    scores.add([5, 6, 7, 8], target=1)

    assert (scores.hits_at_3, scores.hits_at_10) == (1, 2)
    assert scores.ndcg_at_10 == pytest.approx(1 + 1 / np.log2(5))
    assert scores.shown == {5, 6, 7, 8}


def test_a_profile_weighs_each_kind_of_feedback():
    profile = Profile()
    profile.add_feedback(1, rating=5, would_watch_again=None, watched_completion=True)
    profile.add_feedback(2, rating=None, would_watch_again=True, watched_completion=None)
    profile.add_feedback(3, rating=None, would_watch_again=None, watched_completion=True)
    profile.add_feedback(4, rating=5, would_watch_again=False, watched_completion=True)
    profile.add_feedback(5, rating=2, would_watch_again=None, watched_completion=None)
    profile.add_viewings(6, completed=2)
    profile.add_viewings(7, completed=0)

    assert profile.strengths == {1: 1.0, 2: 0.9, 3: 0.4, 6: 0.8}
    # Only started, with nothing else said: not seen, so offered again.
    assert profile.seen == {1, 2, 3, 4, 5, 6}
    assert profile.started == {7}
    assert set(profile.loved) == {1, 2, 6}
    assert profile.opinions[4].never_again
    assert not profile.is_new


def test_genre_affinity_counts_likes_and_dislikes():
    profile = Profile()
    profile.add_rating(1, 1.0)
    profile.add_rating(2, 0.8)
    profile.add_rating(3, 0.1)
    genres = {1: ("Drama", "Crime"), 2: ("Drama",), 3: ("Crime", "Horror")}

    affinity = genre_affinity(profile, genres)

    assert affinity == {"Drama": 1.0, "Crime": pytest.approx(0.5 / 1.8)}
    assert usual_genres(affinity) == ["Drama", "Crime"]
