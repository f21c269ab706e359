"""An export's media items in another Marquee: feedback stays on the film it was about.

Marquee's own item for a film is called after the film's pk (marquee:movie:<pk>), which
in another Marquee is another film, or no film yet.
"""

import json

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Movie, RaterKind, Rating, RatingSource
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_json
from feedback.models import Media, UserFeedback, ViewingHistory
from feedback.services import feedback_record, movie_media, viewing_record_once
from recommendations.models import RecommendationLog
from tests.factories import MediaFactory, MovieFactory, UserFactory

pytestmark = pytest.mark.django_db


def rated_and_exported(user, movie: Movie, stars: int) -> tuple[bytes, int]:
    """The person rated the film on its page, then downloaded their export; the film's
    pk in that Marquee."""
    feedback_record(user=user, media=movie_media(movie=movie), rating=stars)
    return export_json(user), movie.pk


def another_marquee() -> None:
    """What the export is imported into: no people, no media, no films of the first."""
    RecommendationLog.objects.all().delete()
    UserFeedback.objects.all().delete()
    ViewingHistory.objects.all().delete()
    Rating.objects.all().delete()
    Media.objects.all().delete()
    Movie.objects.all().delete()
    get_user_model().objects.all().delete()


def stars_of(user, movie: Movie) -> list[tuple[str, int]]:
    """The person's feedback and Marquee rating of the film."""
    feedback = UserFeedback.objects.filter(user=user, media__movie=movie)
    rating = Rating.objects.filter(
        user=user, movie=movie, source=RatingSource.MARQUEE, rater_kind=RaterKind.USER
    )
    return [
        *(("feedback", stars) for stars in feedback.values_list("rating", flat=True)),
        *(("rating", int(value)) for value in rating.values_list("value", flat=True)),
    ]


def test_a_film_made_after_the_import_under_an_imported_item_s_pk_gets_its_own_feedback(user):
    exported, whiplash_pk = rated_and_exported(user, MovieFactory(title="Whiplash"), 3)
    another_marquee()
    keen = UserFactory(username="keen")
    user_export_import(user=keen, rows=read_export(exported))
    whiplash = Movie.objects.get(title="Whiplash")
    # A later film import gives a film the pk Whiplash had in the first Marquee.
    silence = MovieFactory(pk=whiplash_pk, title="The Silence of the Lambs")
    someone = UserFactory()

    feedback_record(user=someone, media=movie_media(movie=silence), rating=5)
    viewing_record_once(user=someone, media=movie_media(movie=silence))

    assert stars_of(someone, silence) == [("feedback", 5), ("rating", 5)]
    assert ViewingHistory.objects.get(user=someone).media.movie == silence
    assert stars_of(keen, whiplash) == [("feedback", 3), ("rating", 3)]
    assert not UserFeedback.objects.filter(user=someone, media__movie=whiplash).exists()


def test_an_export_s_own_item_lands_on_its_film_not_on_the_item_of_the_same_id_here(user):
    exported, sherlock_pk = rated_and_exported(user, MovieFactory(title="Sherlock Jr."), 5)
    another_marquee()
    # Here that pk is another film, which someone rated already: its item has that id.
    schindler = MovieFactory(pk=sherlock_pk, title="Schindler's List")
    someone = UserFactory()
    feedback_record(user=someone, media=movie_media(movie=schindler), rating=4)
    fresh = UserFactory(username="fresh")

    counts = user_export_import(user=fresh, rows=read_export(exported))

    sherlock = Movie.objects.get(title="Sherlock Jr.")
    assert stars_of(fresh, sherlock) == [("feedback", 5), ("rating", 5)]
    assert stars_of(fresh, schindler) == []
    assert stars_of(someone, schindler) == [("feedback", 4), ("rating", 4)]
    assert (counts.created["movies"], counts.created["media"]) == (1, 1)


def test_an_export_s_own_item_of_a_film_here_is_that_film_s_own_item(user, other_user):
    movie = MovieFactory(title="Stalker")
    feedback_record(user=other_user, media=movie_media(movie=movie), rating=2)
    exported, _ = rated_and_exported(user, movie, 5)
    rows = read_export(exported)
    rows["feedback"][0]["media_id"] = "marquee:movie:999999"  # its pk in the other Marquee
    newcomer = UserFactory()

    counts = user_export_import(user=newcomer, rows=rows)
    again = user_export_import(user=newcomer, rows=rows)

    assert UserFeedback.objects.get(user=newcomer).media == movie_media(movie=movie)
    assert Media.objects.count() == 1
    assert (counts.created["media"], counts.unchanged["media"]) == (0, 1)
    assert not again.created
    assert not again.updated


def test_an_export_s_own_item_stays_apart_from_a_media_server_s_item_of_its_film(user):
    movie = MovieFactory(title="Stalker")
    feedback_record(user=user, media=movie_media(movie=movie), rating=2)
    feedback_record(user=user, media=MediaFactory(media_id="plex:stalker", movie=movie), rating=4)
    before = json.loads(export_json(user))
    another_marquee()
    restored = UserFactory()

    user_export_import(user=restored, rows=read_export(json.dumps(before).encode()))

    items = UserFeedback.objects.filter(user=restored).values_list("media__media_id", "rating")
    movie = Movie.objects.get()
    assert sorted(items) == [(f"marquee:movie:{movie.pk}", 2), ("plex:stalker", 4)]


def test_a_media_server_item_here_of_another_film_is_refused_naming_the_row(user):
    film = MediaFactory(media_id="plex:70", movie__title="Sherlock Jr.", movie__tmdb_id=992)
    feedback_record(user=user, media=film, rating=5)
    exported = export_json(user)
    another_marquee()
    MediaFactory(media_id="plex:70", movie__title="Schindler's List", movie__tmdb_id=424)

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=read_export(exported))

    assert str(refused.value) == (
        "feedback row 1: media_id 'plex:70' is “Schindler's List” here, not TMDB id 992"
    )
    assert not UserFeedback.objects.exists()
    assert not Movie.objects.filter(title="Sherlock Jr.").exists()


def test_a_media_server_item_here_of_no_film_or_of_the_same_film_takes_the_feedback(user):
    linked = MediaFactory(media_id="plex:1", movie__tmdb_id=1)
    feedback_record(user=user, media=linked, rating=5)
    feedback_record(user=user, media=MediaFactory(media_id="plex:2", movie=None), rating=4)
    rows = read_export(export_json(user))
    newcomer = UserFactory()

    counts = user_export_import(user=newcomer, rows=rows)

    assert counts.unchanged["media"] == 2
    assert sorted(UserFeedback.objects.filter(user=newcomer).values_list("media", "rating")) == [
        ("plex:1", 5),
        ("plex:2", 4),
    ]


def test_an_export_s_own_item_of_a_deleted_film_does_not_take_a_film_s_item_here(user):
    exported, pk = rated_and_exported(user, MovieFactory(title="Deleted there"), 4)
    rows = read_export(exported)
    for name in ("movie_title", "movie_year", "movie_tmdb_id", "movie_imdb_id"):
        rows["feedback"][0][name] = None  # the film was deleted there: its item unlinked
    another_marquee()
    MediaFactory(media_id=f"marquee:movie:{pk}", movie__title="Vertigo")

    with pytest.raises(ExportFormatError, match=r"feedback row 1: media_id .* is “Vertigo” here"):
        user_export_import(user=UserFactory(), rows=rows)

    assert not UserFeedback.objects.exists()
