"""What the engine learns a member liked (data.positive_pairs, which build_similarities
learns from) and what the evaluation counts as their positives (Events.positive) follow
the member's own profile (engine/profile.py, Opinion): their latest statement of a film,
a feedback or a rating from any source merged by date. What they only did (finished it,
watched it twice) is learnt from by nobody. An imported rater's every rating is all they
said of the film."""

import numpy as np
import pytest

from catalog.models import Rating, RatingSource
from feedback.models import UserFeedback
from feedback.services import feedback_record
from recommendations.engine import data
from recommendations.engine.evaluation import held_out
from recommendations.engine.sources import profile_for_user
from tests.factories import MediaFactory, UserFactory, ViewingHistoryFactory
from tests.recommendations.builders import days_ago, film, imdb, rated

pytestmark = pytest.mark.django_db


def learnt() -> set[int]:
    """The films learnt as liked, by build_similarities and by the evaluation, which must
    agree: both are returned only when they do."""
    _, movies = data.positive_pairs()
    events = data.load_events()
    by_learning = set(movies.tolist())
    by_evaluation = set(events.movie[events.positive].tolist())
    assert by_learning == by_evaluation
    return by_learning


def say(user, movie, **fields):
    """Feedback on a media item of its own (its stars make the Marquee rating too)."""
    return feedback_record(user=user, media=MediaFactory(movie=movie), **fields)


def back_date(user, movie, days):
    """Everything the person said of the film so far, said `days` ago: their feedback and
    the Marquee rating dated by it."""
    UserFeedback.objects.filter(user=user, media__movie=movie).update(timestamp=days_ago(days))
    Rating.objects.filter(user=user, movie=movie, source=RatingSource.MARQUEE).update(
        rated_at=days_ago(days)
    )


def five_stars(user, movie, where, *, days=0):
    """5 stars said `days` ago: on feedback (which dates back all said of the film so far
    with it), or as 10/10 on IMDb."""
    if where == "feedback":
        say(user, movie, rating=5)
        if days:
            back_date(user, movie, days)
    else:
        imdb(user, movie, 10, rated_at=days_ago(days))


def never_again(user, movie):
    return say(user, movie, watched_completion=True, would_watch_again=False)


@pytest.mark.parametrize("where", ["feedback", "imdb"])
def test_would_not_watch_again_then_5_stars_is_learnt(user, where):
    movie = film("Second thoughts")
    never_again(user, movie)
    back_date(user, movie, 3)
    five_stars(user, movie, where)

    assert learnt() == {movie.pk}
    assert profile_for_user(user).opinions[movie.pk].liked


@pytest.mark.parametrize("where", ["feedback", "imdb"])
def test_5_stars_then_would_not_watch_again_is_not_learnt(user, where):
    movie = film("Soured on")
    five_stars(user, movie, where, days=3)
    never_again(user, movie)

    assert learnt() == set()
    assert not profile_for_user(user).opinions[movie.pk].liked


@pytest.mark.parametrize("where", ["feedback", "imdb"])
def test_rated_5_then_1_star_is_not_learnt(user, where):
    movie = film("Aged badly")
    five_stars(user, movie, where, days=3)
    say(user, movie, rating=1)

    assert learnt() == set()
    assert profile_for_user(user).opinions[movie.pk].disliked


@pytest.mark.parametrize("where", ["feedback", "imdb"])
def test_1_star_then_rated_5_is_learnt(user, where):
    movie = film("Grew on me")
    say(user, movie, rating=1)
    back_date(user, movie, 3)
    five_stars(user, movie, where)

    assert learnt() == {movie.pk}


def test_1_star_with_would_watch_again_is_not_learnt(user):
    """The profile's rule: stars that low outweigh a "Yes" kept on the same feedback."""
    low, fine = film("Low"), film("Fine")
    say(user, low, rating=1, would_watch_again=True)
    say(user, fine, rating=3, would_watch_again=True)

    assert learnt() == {fine.pk}


def test_what_the_person_only_did_is_not_learnt(user):
    """Finished, or watched to the end twice, with nothing said: the profile leans on it
    where they said nothing (a film watched twice pulls its neighbours), but the learning
    does not, as before: what people did without saying is too weak a like to say what
    goes with what for everyone."""
    finished, twice = film("Finished"), film("Twice")
    say(user, finished, watched_completion=True)
    for _ in range(2):
        ViewingHistoryFactory(user=user, media=MediaFactory(movie=twice))

    assert learnt() == set()
    assert profile_for_user(user).opinions[twice.pk].liked


def test_an_imported_rater_is_learnt_from_each_rating_as_before(user):
    loved, middling = film("Loved"), film("Middling")
    rated("ml-1", loved, 5.0)
    rated("ml-1", middling, 3.0)
    rated("ml-2", loved, 4.0)
    # A member who said 5 and then 1 of the film changes nothing of anyone else's love.
    say(user, loved, rating=5)
    back_date(user, loved, 40)
    say(user, loved, rating=1)

    raters, movies = data.positive_pairs()

    assert sorted(movies.tolist()) == [loved.pk, loved.pk]
    assert len(set(raters.tolist())) == 2
    assert learnt() == {loved.pk}


def test_the_evaluation_hides_the_film_last_said_to_be_liked(user):
    """ "Would not watch again" last month, 5 stars today: that film is the member's
    latest positive, the one the evaluation hides."""
    films = [film(f"Liked {n}") for n in range(5)]
    for n, movie in enumerate(films):
        say(user, movie, rating=5)
        back_date(user, movie, 10 + n)
    changed_mind = film("Changed mind")
    never_again(user, changed_mind)
    back_date(user, changed_mind, 30)
    say(user, changed_mind, rating=5)

    events = data.load_events()

    assert held_out(events, min_positives=6) == {
        int(events.rater[events.is_feedback][0]): changed_mind.pk
    }


def test_the_positives_cost_three_queries_however_many_rows(django_assert_num_queries):
    movies = [film(f"F{n}") for n in range(4)]
    for n in range(3):
        person = UserFactory()
        for movie in movies:
            say(person, movie, rating=5 - n)
            rated(f"ml-{n}", movie, 4.5)
            imdb(person, movie, 8, rated_at=days_ago(n + 1))

    # Imported ratings, then members' feedback and their ratings, for either.
    with django_assert_num_queries(3):
        _, learnt_movies = data.positive_pairs()
    with django_assert_num_queries(3):
        events = data.load_events()

    assert np.unique(learnt_movies).tolist() == sorted(movie.pk for movie in movies)
    assert np.unique(events.movie[events.positive]).tolist() == sorted(m.pk for m in movies)
