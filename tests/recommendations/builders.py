"""Small catalogs with a taste structure, built from the project's factories."""

import datetime as dt

from django.utils import timezone

from catalog.models import RatingSource
from feedback.services import feedback_record
from recommendations.services import similarities_rebuild, slate_for_user
from tests.factories import (
    GenreFactory,
    MediaFactory,
    MovieFactory,
    RatingFactory,
)


def genre(name: str):
    return GenreFactory(name=name, slug=name.lower().replace(" ", "-"))


def film(title: str, *genres: str, runtime: int = 110, popularity: float = 10.0):
    return MovieFactory(
        title=title,
        genres=[genre(name) for name in genres],
        runtime_minutes=runtime,
        popularity=popularity,
    )


def rated(rater: str, movie, value: float = 5.0, days_ago: int = 30):
    """An imported MovieLens rater's rating, on 0.5-5."""
    return RatingFactory(
        external=True,
        external_rater_id=rater,
        movie=movie,
        value=value,
        rated_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def days_ago(days: float):
    return timezone.now() - dt.timedelta(days=days)


def imdb(user, movie, value, *, rated_at):
    """A member's IMDb rating, on 1-10, as an import of their IMDb ratings makes it."""
    return RatingFactory(
        user=user,
        movie=movie,
        source=RatingSource.IMDB,
        value=value,
        scale_min=1,
        scale_max=10,
        rated_at=rated_at,
    )


def fans(prefix: str, count: int, *movies, value: float = 5.0):
    """`count` raters who all gave `value` to every one of `movies`."""
    for n in range(count):
        for movie in movies:
            rated(f"{prefix}-{n}", movie, value)


def feedback(user, movie, **fields):
    """A Marquee user's feedback on the film, through a media item of its own, written as
    the site writes it: its stars also make the person's Marquee rating of the film.
    Fields left out take UserFeedbackFactory's values."""
    fields = {"watched_completion": True, "would_watch_again": True, "rating": 4, **fields}
    return feedback_record(user=user, media=MediaFactory(movie=movie), **fields)


def learn():
    return similarities_rebuild()


def crime_fan_of(user) -> dict:
    """`user` loved Heat, whose fans loved Ronin above all; Tootsie is a comedy nobody
    they resemble loved, and only moderately rated."""
    heat, ronin, thief = film("Heat", "Crime"), film("Ronin", "Crime"), film("Thief", "Crime")
    tootsie = film("Tootsie", "Comedy", popularity=20)
    fans("crime", 8, heat, ronin)
    fans("some crime", 3, heat, thief)
    fans("comedy", 4, tootsie)
    learn()
    feedback(user, heat, rating=5)
    return {"heat": heat, "ronin": ronin, "thief": thief, "tootsie": tootsie}


# A slate's queries (test_engine.py counts them) and a logged one's more: the media
# lookup and the insert, in a savepoint here.
SLATE_QUERIES = 18
LOG_QUERIES = 4


def assert_slates_cost_the_same(people, *, log: bool, django_assert_num_queries):
    """Each person's slate costs SLATE_QUERIES (and LOG_QUERIES logged), once a first
    slate made their picks' items and gave them recent slates."""
    for person in people:
        slate_for_user(person)
    for person in people:
        with django_assert_num_queries(SLATE_QUERIES + (LOG_QUERIES if log else 0)):
            picks = slate_for_user(person, log=log).picks
            assert [pick.reason for pick in picks]
