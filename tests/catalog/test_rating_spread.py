"""The film page's spread of ratings: how many of each source's raters gave each value,
as Letterboxd's film pages draw it, on the source's own scale."""

import re

import pytest

from catalog.models import RatingSource
from catalog.rating_spread import spreads_of
from tests.factories import MovieFactory, RatingFactory

pytestmark = pytest.mark.django_db


def movielens(movie, *values):
    for value in values:
        RatingFactory(movie=movie, external=True, value=value)


def marquee(movie, *values):
    for value in values:
        RatingFactory(movie=movie, value=value)


@pytest.fixture
def movie():
    movie = MovieFactory()
    movielens(movie, 0.5, 3.5, 3.5, 5)
    marquee(movie, 4, 4, 2)
    RatingFactory(movie=movie, aggregate=True)  # TMDB's average of 1,200 votes
    return movie


def counts(spread) -> dict[str, int]:
    return {step.value: step.count for step in spread.steps}


def test_each_source_s_raters_by_value_on_its_own_scale(movie):
    by_label = {spread.label: spread for spread in spreads_of(movie)}

    # An aggregate has no raters to spread: TMDB is not there.
    assert set(by_label) == {"MovieLens", "Marquee"}
    movielens_spread = by_label["MovieLens"]
    assert list(counts(movielens_spread)) == [
        "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"
    ]  # fmt: skip
    assert counts(movielens_spread) == {
        "0.5": 1, "1": 0, "1.5": 0, "2": 0, "2.5": 0, "3": 0, "3.5": 2, "4": 0, "4.5": 0, "5": 1
    }  # fmt: skip
    assert counts(by_label["Marquee"]) == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 0}
    assert (movielens_spread.ratings, by_label["Marquee"].ratings) == (4, 3)


def test_the_most_given_value_fills_the_height(movie):
    (movielens_spread,) = [s for s in spreads_of(movie) if s.label == "MovieLens"]

    shares = {step.value: step.share for step in movielens_spread.steps}
    assert shares["3.5"] == 100
    assert shares["0.5"] == shares["5"] == 50
    assert shares["1"] == 0


def test_the_source_with_more_raters_comes_first():
    movie = MovieFactory()
    marquee(movie, 3, 3, 3)
    movielens(movie, 4)

    assert [spread.label for spread in spreads_of(movie)] == ["Marquee", "MovieLens"]


def test_a_scale_of_many_values_shows_only_those_given():
    movie = MovieFactory()
    other = {"external": True, "source": RatingSource.OTHER, "scale_min": 0, "scale_max": 100}
    RatingFactory(movie=movie, value=73, **other)
    RatingFactory(movie=movie, value=12.5, **other)

    (spread,) = spreads_of(movie)

    assert counts(spread) == {"12.5": 1, "73": 1}


def test_the_film_page_draws_them_with_their_numbers_in_words(client, movie):
    html = client.get(movie.get_absolute_url()).content.decode()

    assert html.count('class="rating-spread"') == 2
    assert "MovieLens raters, from 0.5 to 5" in html
    assert re.search(r'style="--share: 100%".*?3\.5: 2 ratings', html, re.DOTALL)
    assert "2: 1 rating<" in html


def test_a_film_without_raters_shows_no_spread(client):
    movie = MovieFactory()
    RatingFactory(movie=movie, aggregate=True)

    html = client.get(movie.get_absolute_url()).content.decode()

    assert 'class="rating-spread"' not in html


def test_half_star_raters_who_gave_whole_stars_still_get_the_half_steps():
    movie = MovieFactory()
    movielens(movie, 3, 4)

    (spread,) = spreads_of(movie)

    assert len(spread.steps) == 10
    assert counts(spread)["3.5"] == 0
