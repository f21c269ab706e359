"""A film with no rating, nobody who loved it and no popularity figure (the admin's add
form leaves popularity at 0): every build gives it the neutral prior, so it stays on
offer after the build as it was before, and the page never says it is still to learn."""

import pytest
from django.urls import reverse

from recommendations.models import MoviePrior
from recommendations.services import rank_for_user
from tests.factories import UserFactory
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db

TONIGHT = reverse("recommendations:tonight")


@pytest.fixture
def added_by_staff(user):
    """The reviewer's catalog: rated films the person has seen, then "Year2100" added
    with nothing known of it, then "Popular Newcomer" (a higher id), seen too. The one
    film left for the person is Year2100, in a genre they like (the newcomer's)."""
    seen = [film("Heat", "Crime"), film("Ronin", "Crime"), film("Tootsie", "Comedy")]
    fans("fans", 4, *seen)
    learn()
    unknown = film("Year2100", "Drama", popularity=0)
    newcomer = film("Popular Newcomer", "Drama", popularity=5)
    for movie in seen:
        feedback(user, movie, rating=4)
    # Seen, and nothing said of it: nobody rated it.
    feedback(user, newcomer, rating=None, would_watch_again=None)
    return unknown, newcomer


def test_before_a_build_the_film_is_offered(added_by_staff, user):
    unknown, _ = added_by_staff

    assert [(pick.movie_id, pick.reason) for pick in rank_for_user(user)] == [
        (unknown.pk, "In Drama, a genre you like")
    ]


@pytest.mark.parametrize("builds", [1, 2])
def test_after_the_build_it_is_still_offered(added_by_staff, user, builds):
    unknown, _ = added_by_staff
    for _ in range(builds):
        learn()

    assert [(pick.movie_id, pick.reason) for pick in rank_for_user(user)] == [
        (unknown.pk, "In Drama, a genre you like")
    ]


def test_the_page_offers_it_rather_than_saying_it_is_still_to_learn(
    added_by_staff, user, user_client
):
    unknown, _ = added_by_staff
    learn()

    response = user_client.get(TONIGHT)

    assert [pick.media.movie for pick in response.context["tonight"]] == [unknown]
    assert response.context["nothing"] is None
    assert "after the engine last learnt" not in response.content.decode()


def test_its_prior_is_the_neutral_one_below_a_film_with_a_popularity(added_by_staff):
    unknown, newcomer = added_by_staff

    summary = learn()

    prior = MoviePrior.objects.get(movie=unknown)
    newcomer_prior = MoviePrior.objects.get(movie=newcomer)
    # Nobody rated either: the damped average is everyone's mean, a popularity decides.
    assert prior.rating_average == pytest.approx(newcomer_prior.rating_average)
    assert (prior.rating_count, prior.positive_count, prior.popularity) == (0, 0, 0)
    assert prior.score == pytest.approx(prior.rating_average / 2)
    assert prior.score < newcomer_prior.score
    assert (summary.priors, summary.neutral_priors) == (5, 1)
    newcomer_picks = [pick.movie_id for pick in rank_for_user(UserFactory())]
    assert newcomer_picks.index(newcomer.pk) < newcomer_picks.index(unknown.pk)
