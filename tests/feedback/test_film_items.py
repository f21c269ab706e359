"""Marquee's own items for many films at once (the logged slate): the rule film_item
follows for one film, in a fixed number of queries."""

import pytest

from catalog.models import Movie
from feedback.film_items import media_for_movies
from feedback.models import Media, MediaType
from feedback.services import movie_media
from tests.at_once import at_once
from tests.factories import MediaFactory, MovieFactory

pytestmark = pytest.mark.django_db


def test_media_for_movies_creates_the_missing_items_and_reuses_the_others(
    django_assert_num_queries,
):
    stalker = MovieFactory(title="Stalker", runtime_minutes=162)
    solaris, mirror = MovieFactory(), MovieFactory()
    server_item = MediaFactory(media_id="plex:7", movie=solaris)

    # The films' items and the ids they could take, the insert, the read back.
    with django_assert_num_queries(3):
        items = media_for_movies(movies=[stalker, solaris, mirror])

    assert items[solaris.pk] == server_item
    assert items[stalker.pk].media_id == f"marquee:movie:{stalker.pk}"
    assert items[mirror.pk].media_id == f"marquee:movie:{mirror.pk}"
    made = Media.objects.get(movie=stalker)
    assert (made.title, made.media_type, made.duration) == ("Stalker", MediaType.MOVIE, 162)
    with django_assert_num_queries(1):
        assert media_for_movies(movies=[stalker, solaris, mirror]) == items
    assert Media.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("other", ["the same films", "another film"])
def test_items_made_at_once_end_one_per_film(other):
    """Two slates logged at once, or an import that stores another film's item under the
    id a slate chose before its insert: the insert skips the id, the read back finds who
    holds it, and a film it does not belong to chooses again."""
    films = MovieFactory.create_batch(3)
    importer = MovieFactory()

    def first():
        if other == "the same films":
            media_for_movies(movies=films)
        else:
            MediaFactory(media_id=f"marquee:movie:{films[0].pk}", movie=importer)

    # The slate after the other write, before it commits (at_once holds it open 0.5 s).
    # PostgreSQL: the slate's read does not see the write, and its insert waits for it.
    # SQLite: the slate's IMMEDIATE transaction waits at BEGIN, then reads the write.
    errors = at_once(first, lambda: media_for_movies(movies=films), stagger=0.1)

    assert errors == []
    for movie in films:
        assert Media.objects.filter(movie=movie).count() == 1
        assert movie_media(movie=movie).stored
    expected = ":2" if other == "another film" else ""
    assert Media.objects.get(movie=films[0]).media_id == f"marquee:movie:{films[0].pk}{expected}"


def test_media_for_movies_takes_thousands_of_films_at_once():
    """A condition per film, ORed, is deeper than SQLite takes past some 450 films: the
    films are asked for in batches, and every one gets its item."""
    films = Movie.objects.bulk_create(MovieFactory.build_batch(1_200))

    items = media_for_movies(movies=films)

    assert sorted(items) == sorted(film.pk for film in films)
    assert Media.objects.filter(movie__in=films).count() == 1_200
    assert {items[film.pk].media_id for film in films[:2]} == {
        f"marquee:movie:{film.pk}" for film in films[:2]
    }
