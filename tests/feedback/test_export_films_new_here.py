"""The films and items an export names that this Marquee lacks are made before its rows
are written, all at once (feedback/export_films.py), and as writing the rows one by one
made them: a title without an id is one film however many rows name it, in its exact
letter case; and an id of Marquee's own that an earlier row's item holds is not the new
film's own item, while a later row naming the new film's own item is refused."""

import json

import pytest

from catalog.models import Movie, Rating, Review
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.models import Media, UserFeedback
from tests.factories import MovieFactory, UserFactory
from tests.feedback.test_export_import_edge_rows import export, feedback_row

pytestmark = pytest.mark.django_db

FRESH = {"movie_title": "Fresh", "movie_year": 1994, "movie_tmdb_id": None}


def rows_of(document: dict) -> dict[str, list[dict]]:
    return read_export(json.dumps(document).encode())


def film_columns(title: str) -> dict:
    return {
        "movie_title": title,
        "movie_year": 1994,
        "movie_tmdb_id": None,
        "movie_imdb_id": None,
    }


def test_a_title_without_an_id_is_one_film_whatever_the_rows_that_name_it():
    rating = film_columns("Fresh") | {
        "source": "imdb",
        "value": 8,
        "scale_min": 1,
        "scale_max": 10,
        "rated_at": "2024-02-02T10:00:00+00:00",
    }
    review = film_columns("Fresh") | {
        "text": "Tense.",
        "contains_spoilers": False,
        "posted_at": "2024-02-03T10:00:00+00:00",
        "edited_at": None,
    }
    document = export(
        feedback=[feedback_row("plex:1", film=FRESH), feedback_row("plex:2", film=FRESH)],
        ratings=[rating, rating | film_columns("FRESH")],
        reviews=[review],
    )
    person = UserFactory()

    counts = user_export_import(user=person, rows=rows_of(document))

    assert sorted(Movie.objects.values_list("title", flat=True)) == ["FRESH", "Fresh"]
    fresh = Movie.objects.get(title="Fresh")
    assert set(Media.objects.values_list("movie", flat=True)) == {fresh.pk}
    assert Review.objects.get(user=person).movie == fresh
    assert Rating.objects.filter(user=person, source="imdb").count() == 2
    assert (counts.created["movies"], counts.created["media"]) == (2, 2)


def test_a_title_without_an_id_that_two_films_here_have_is_refused_naming_the_row():
    MovieFactory(title="Fresh", year=1994)
    MovieFactory(title="Fresh", year=1994)
    document = export(feedback=[feedback_row("plex:1", film=FRESH)])

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows_of(document))

    assert str(refused.value) == ("feedback row 1: several films in the catalog are “Fresh” (1994)")


def next_film_pk() -> int:
    """The pk the next film made here gets: both databases count on from the last."""
    gone = MovieFactory()
    pk = gone.pk
    gone.delete()
    return pk + 1


def test_a_new_film_s_own_item_leaves_its_id_to_an_earlier_row_s_item():
    taken = f"marquee:movie:{next_film_pk()}"  # another Marquee's item of a deleted film
    document = export(
        feedback=[feedback_row(taken), feedback_row("marquee:movie:999999", film=FRESH)]
    )
    person = UserFactory()

    counts = user_export_import(user=person, rows=rows_of(document))

    fresh = Movie.objects.get(title="Fresh")
    assert f"marquee:movie:{fresh.pk}" == taken
    items = UserFeedback.objects.filter(user=person).values_list("media", "media__movie")
    assert sorted(items) == [(taken, None), (f"{taken}:2", fresh.pk)]
    assert counts.created["media"] == 2


def test_a_later_row_naming_a_new_film_s_own_item_is_refused():
    taken = f"marquee:movie:{next_film_pk()}"
    document = export(
        feedback=[feedback_row("marquee:movie:999999", film=FRESH), feedback_row(taken)]
    )

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows_of(document))

    assert str(refused.value) == (
        f"feedback row 2: media_id '{taken}' is “Fresh” here, an item of another Marquee's film"
    )
    assert not Movie.objects.exists()
