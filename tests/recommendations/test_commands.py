"""build_similarities, recommend and evaluate_recommendations, run as commands."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Rating, RatingSource
from recommendations.engine import data as engine_data
from recommendations.models import MoviePrior, MovieSimilarity, RecommendationLog
from tests.factories import RatingFactory, UserFactory
from tests.recommendations.builders import fans, feedback, film, rated

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def pairs():
    return set(MovieSimilarity.objects.values_list("movie_id", "neighbour_id", "weight"))


def test_build_similarities_stores_neighbours_and_priors():
    a, b, c = film("A", "Drama"), film("B", "Drama"), film("C", "Comedy", popularity=0)
    fans("ab", 3, a, b)
    fans("c", 3, c)
    rated("ab-0", c, 1.0)  # a dislike is no similarity
    RatingFactory(aggregate=True, movie=c, value=9.0, vote_count=1000)

    output = run("build_similarities")

    assert pairs() == {(a.pk, b.pk, 1.0), (b.pk, a.pk, 1.0)}
    priors = {p.movie_id: p for p in MoviePrior.objects.all()}
    assert set(priors) == {a.pk, b.pk, c.pk}
    assert priors[a.pk].positive_count == 3
    assert priors[c.pk].rating_count == 3 + 1 + 25  # the aggregate counts as 25 at most
    assert priors[a.pk].rating_average > 0.9 * (10 * 0.83 + 3) / 13
    assert all(0 <= p.score <= 1 for p in priors.values())
    assert "Learnt from 9 positive ratings: 2 neighbours for 2 movies" in output


def test_build_similarities_says_nothing_at_verbosity_0_for_cron():
    a, b = film("A", "Drama"), film("B", "Drama")
    fans("ab", 3, a, b)

    assert run("build_similarities", verbosity=0) == ""
    assert pairs() == {(a.pk, b.pk, 1.0), (b.pk, a.pk, 1.0)}


def test_rebuilding_replaces_what_was_there():
    a, b, c = film("A", "Drama"), film("B", "Drama"), film("C", "Drama")
    fans("ab", 3, a, b)
    run("build_similarities")
    first = pairs()
    run("build_similarities")
    assert pairs() == first

    Rating.objects.filter(movie=b).delete()
    fans("ac", 3, a, c)
    run("build_similarities")

    assert {(m, n) for m, n, _ in pairs()} == {(a.pk, c.pk), (c.pk, a.pk)}
    # B keeps a prior from the catalog's popularity figure alone.
    assert MoviePrior.objects.filter(movie=b, rating_count=0, positive_count=0).exists()


def test_marquee_feedback_counts_as_a_rater_and_not_again_does_not():
    a, b, c = film("A", "Drama"), film("B", "Drama"), film("C", "Drama")
    for _ in range(3):
        person = UserFactory()
        feedback(person, a, rating=None, would_watch_again=True)
        feedback(person, b, rating=5)
        feedback(person, c, rating=5, watched_completion=True, would_watch_again=False)
    # The stars of C are also each person's Marquee rating of it, a positive rating of
    # its own: "not again" has to win over it.
    assert Rating.objects.filter(movie=c, source=RatingSource.MARQUEE, value=5).count() == 3

    run("build_similarities")

    assert {(m, n) for m, n, _ in pairs()} == {(a.pk, b.pk), (b.pk, a.pk)}
    assert MoviePrior.objects.get(movie=c).positive_count == 0


def test_a_person_who_loved_a_film_counts_once_in_its_prior():
    """Stars on feedback are also the person's Marquee rating, and the film may have an
    item on two media servers: three ways of saying one thing, one positive."""
    a, b = film("A", "Drama"), film("B", "Drama")
    person = UserFactory()
    feedback(person, a, rating=5)
    feedback(person, a, rating=None, would_watch_again=True)  # a second item of A
    feedback(person, b, rating=4)

    output = run("build_similarities")

    assert Rating.objects.filter(movie=a, source=RatingSource.MARQUEE).count() == 1
    assert MoviePrior.objects.get(movie=a).positive_count == 1
    assert "Learnt from 2 positive ratings" in output


def test_not_again_on_any_item_of_a_film_wins_over_the_loves_of_its_others():
    """A film on Plex and on Jellyfin: loved on one item, "finished, not again" on the
    other. The person's profile takes it as not liked; the learning does too."""
    a, b, c = film("A", "Drama"), film("B", "Drama"), film("C", "Drama")
    for _ in range(3):
        person = UserFactory()
        feedback(person, a, rating=5)
        feedback(person, b, rating=5)
        feedback(person, c, rating=5, would_watch_again=True)
        feedback(person, c, rating=None, watched_completion=True, would_watch_again=False)

    run("build_similarities")

    assert {(m, n) for m, n, _ in pairs()} == {(a.pk, b.pk), (b.pk, a.pk)}


def test_the_evaluation_and_the_learning_agree_on_what_is_positive():
    liked, never_again, twice = film("Liked"), film("Never again"), film("On two items")
    person = UserFactory()
    feedback(person, liked, rating=5)
    feedback(person, never_again, rating=5, watched_completion=True, would_watch_again=False)
    feedback(person, twice, rating=4, would_watch_again=True)
    feedback(person, twice, rating=None, watched_completion=True, would_watch_again=False)
    rated("ml-1", never_again, 5.0)  # someone else's love of it stays one

    _, learnt = engine_data.positive_pairs()
    events = engine_data.load_events()

    assert set(learnt.tolist()) == {liked.pk, never_again.pk}
    assert set(events.movie[events.positive].tolist()) == {liked.pk, never_again.pk}


@pytest.fixture
def taste():
    a = [film(f"A{n}", "Drama") for n in range(4)]
    p = film("Popular", "Comedy", popularity=90)
    fans("a", 5, *a)
    fans("p", 9, p)
    run("build_similarities")
    return a, p


def test_recommend_prints_and_logs_a_slate_as_json(taste, user):
    feedback(user, taste[0][0], rating=5)

    data = json.loads(run("recommend", user.username, "--json"))

    rows = list(RecommendationLog.objects.filter(user=user).order_by("log_id"))
    assert [pick["recommendation_type"] for pick in data["picks"]] == [
        row.recommendation_type for row in rows
    ]
    assert data["picks"][0]["reason"] == "People who loved A0 loved this"
    assert [pick["score"] for pick in data["picks"]] == [row.score for row in rows]
    assert [pick["log_id"] for pick in data["picks"]] == [row.pk for row in rows]
    assert data["slate_id"] == str(rows[0].slate_id)
    assert data["logged"] is True
    assert all(0 <= pick["score"] <= 1 and pick["reason"] for pick in data["picks"])


def test_recommend_dry_run_logs_nothing(taste, user):
    feedback(user, taste[0][0], rating=5)

    text = run("recommend", user.username, "--dry-run")
    data = json.loads(run("recommend", user.username, "--dry-run", "--json"))

    assert not RecommendationLog.objects.exists()
    assert "People who loved A0 loved this" in text
    assert "Not logged (dry run)." in text
    assert data["logged"] is False
    assert data["slate_id"] is None
    assert data["picks"][0]["log_id"] is None


def test_recommend_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("recommend", "nobody")


@pytest.fixture
def two_tastes():
    """Twelve raters who love dramas, twenty (more: popularity favours them) comedies.
    Each loves six of the ten films of their kind, the last one rated latest."""
    dramas = [film(f"Drama {n}", "Drama") for n in range(10)]
    comedies = [film(f"Comedy {n}", "Comedy") for n in range(10)]
    for group, films, count in (("d", dramas, 12), ("c", comedies, 20)):
        for rater in range(count):
            chosen = [films[(rater + step * 3) % 10] for step in range(6)]
            for days_ago, movie in zip(range(60, 0, -10), chosen, strict=True):
                rated(f"{group}{rater}", movie, 4.5, days_ago=days_ago)
    return dramas, comedies


def test_evaluation_reports_every_figure_and_beats_popularity(two_tastes):
    run("build_similarities")
    stored = pairs()

    data = json.loads(run("evaluate_recommendations", "--json"))

    assert data["raters"] == 32
    assert data["catalog"] == 20
    assert set(data["methods"]) == {"engine", "popularity", "damped average"}
    for figures in data["methods"].values():
        assert {"HR@3", "HR@10", "NDCG@10", "coverage@10"} <= set(figures)
        assert all(0 <= value <= 1 for value in figures.values())
    engine, popularity = data["methods"]["engine"], data["methods"]["popularity"]
    assert engine["HR@10"] > popularity["HR@10"]
    assert engine["HR@10"] >= 0.9
    assert data["picks_with_reason"] == data["picks"] > 0
    assert pairs() == stored  # learnt in memory: the stored table is untouched


def test_evaluation_prints_a_table_and_the_lift(two_tastes):
    output = run("evaluate_recommendations")

    lines = output.splitlines()
    assert lines[0].startswith("Leave-last-out on 32 raters, catalog of 20 films")
    assert [line.split()[0] for line in lines[3:6]] == ["engine", "popularity", "damped"]
    assert "× popularity at 10" in output


def test_evaluation_learns_from_marquee_feedback_too(two_tastes):
    dramas, _ = two_tastes
    person = UserFactory()
    for movie in dramas[:6]:
        feedback(person, movie, rating=5)

    data = json.loads(run("evaluate_recommendations", "--json"))

    assert data["raters"] == 33


def test_evaluation_holds_out_nothing_finished_and_not_wanted_again(two_tastes):
    """Four loved films and two 5-star "never again": four positives, too few."""
    dramas, _ = two_tastes
    person = UserFactory()
    for movie in dramas[:4]:
        feedback(person, movie, rating=5)
    for movie in dramas[4:6]:
        feedback(person, movie, rating=5, watched_completion=True, would_watch_again=False)

    data = json.loads(run("evaluate_recommendations", "--json"))

    assert data["raters"] == 32


def test_evaluation_without_enough_positives_says_so():
    fans("few", 2, film("A"), film("B"))

    with pytest.raises(CommandError, match="No rater has 5 positive ratings"):
        run("evaluate_recommendations")
    with pytest.raises(CommandError, match="at least 2"):
        run("evaluate_recommendations", "--min-positives", "1")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_build_also_vacuums_on_postgresql():
    from django.db import connection

    fans("ab", 3, film("A", "Drama"), film("B", "Drama"))

    output = run("build_similarities")

    assert MovieSimilarity.objects.count() == 2
    assert ("vacuum" in output) == (connection.vendor == "postgresql")


def test_build_similarities_on_an_empty_catalog_learns_nothing_and_says_so():
    """A new install."""
    output = run("build_similarities")

    assert not MovieSimilarity.objects.exists()
    assert not MoviePrior.objects.exists()
    assert output.startswith(
        "No positive ratings to learn neighbours from yet, and no films to learn a prior "
        "for (engine "
    )
    assert run("build_similarities", verbosity=0) == ""
    person = UserFactory()
    assert json.loads(run("recommend", person.username, "--json", "--dry-run"))["picks"] == []
    with pytest.raises(CommandError, match="No rater has 5 positive ratings"):
        run("evaluate_recommendations")


def test_build_similarities_gives_films_nothing_is_known_of_the_neutral_prior():
    """An install that imported movies.csv alone (it has no popularity): every film has
    a prior, so none looks like one added since the build (engine/sources.py)."""
    for n in range(2):
        film(f"Film {n}", popularity=0)

    output = run("build_similarities")

    assert not MovieSimilarity.objects.exists()
    assert MoviePrior.objects.filter(rating_count=0, positive_count=0, popularity=0).count() == 2
    assert output.startswith(
        "No positive ratings to learn neighbours from yet; priors for 2 movies (2 with no "
        "rating or popularity figure: the neutral prior) (engine "
    )
    person = UserFactory()
    picks = json.loads(run("recommend", person.username, "--json", "--dry-run"))["picks"]
    assert len(picks) == 2
    with pytest.raises(CommandError, match="No rater has 5 positive ratings"):
        run("evaluate_recommendations")


def test_build_similarities_with_films_but_no_ratings_learns_priors_from_popularity():
    """What an import of movies.csv alone leaves: films, some without a popularity."""
    known, unknown = film("Known", popularity=40.0), film("Unknown", popularity=0)

    output = run("build_similarities")

    assert not MovieSimilarity.objects.exists()
    priors = MoviePrior.objects.order_by("movie_id")
    assert list(priors.values_list("movie_id", "rating_count", "positive_count")) == [
        (known.pk, 0, 0),
        (unknown.pk, 0, 0),  # the neutral prior
    ]
    assert priors.get(movie=known).score > priors.get(movie=unknown).score
    assert output.startswith(
        "No positive ratings to learn neighbours from yet; priors for 2 movies (1 with no "
        "rating or popularity figure: the neutral prior) (engine "
    )


def test_recommend_and_evaluate_on_films_without_ratings():
    film("Known", "Drama", popularity=40.0)
    person = UserFactory()
    run("build_similarities")

    data = json.loads(run("recommend", person.username, "--json", "--dry-run"))

    assert [pick["title"] for pick in data["picks"]] == ["Known"]
    with pytest.raises(CommandError, match="No rater has 5 positive ratings"):
        run("evaluate_recommendations")
