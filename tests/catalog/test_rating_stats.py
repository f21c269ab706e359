"""MovieRatingStats: each film's votes and score, kept right by every single write."""

import contextlib
import io
import threading

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import OperationalError, connection, transaction

from catalog.models import Movie, MovieRatingStats, Rating, RatingSource
from catalog.rating_stats import add_to_rating_stats, refresh_rating_stats
from feedback.services import feedback_delete, feedback_record
from tests.at_once import at_once
from tests.conftest import assert_refused_by_database
from tests.factories import MediaFactory, MovieFactory, RatingFactory, UserFactory
from tests.rating_stats import assert_stats_match_the_ratings, stats_kept

pytestmark = pytest.mark.django_db


def test_a_rating_saved_counts_at_once_and_an_aggregate_counts_for_its_votes():
    movie = MovieFactory()
    RatingFactory(movie=movie, value=5)  # 1 on 0-1
    RatingFactory(movie=movie, aggregate=True, value=5, scale_min=0, scale_max=10, vote_count=3)

    assert stats_kept() == {movie.pk: (4, 1 + 3 * 0.5)}
    listed = Movie.objects.with_rating_stats().get()
    assert (listed.rating_count, listed.rating_average) == (4, pytest.approx(2.5 / 4))


def test_a_change_a_move_and_a_delete_each_leave_the_stats_right():
    first, second = MovieFactory(), MovieFactory()
    rating = RatingFactory(movie=first, value=2)
    RatingFactory(movie=first, value=4)

    rating.value = 5
    rating.save()
    assert_stats_match_the_ratings()

    fetched = Rating.objects.get(pk=rating.pk)
    fetched.movie = second  # the admin can move a rating to another film
    fetched.save()
    assert stats_kept() == {first.pk: (1, 0.75), second.pk: (1, 1.0)}

    fetched.delete()
    assert second.pk not in stats_kept()
    assert_stats_match_the_ratings()


def test_the_admin_s_bulk_delete_refreshes_the_films():
    movies = MovieFactory.create_batch(2)
    for movie in movies:
        RatingFactory.create_batch(2, movie=movie)

    model_admin = admin.site._registry[Rating]
    model_admin.delete_queryset(None, Rating.objects.filter(movie=movies[0]))

    assert set(stats_kept()) == {movies[1].pk}
    assert_stats_match_the_ratings()


def checked_and_saved(rating: Rating) -> None:
    rating.full_clean()
    rating.save()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rated_before", [0, 1], ids=["its first ratings", "more ratings"])
def test_two_people_rating_a_film_at_once_both_count(rated_before):
    """The second waits for the first to commit, then sums both ratings. Each rating is
    checked before it is saved, as a form's is: on SQLite that read would begin a
    snapshot the other's commit makes stale, were the transactions not IMMEDIATE."""
    movie = MovieFactory()
    RatingFactory.create_batch(rated_before, movie=movie, value=3)
    first, second = UserFactory.create_batch(2)

    errors = at_once(
        lambda: checked_and_saved(RatingFactory.build(movie=movie, user=first, value=5)),
        lambda: checked_and_saved(RatingFactory.build(movie=movie, user=second, value=1)),
    )

    assert errors == []
    assert Rating.objects.count() == rated_before + 2
    assert stats_kept()[movie.pk][0] == rated_before + 2
    assert_stats_match_the_ratings()


@contextlib.contextmanager
def someone_rating(movie, *, once: threading.Event | None = None):
    """Someone rating the film in a thread of their own, once `once` is set if given, their
    transaction kept open until the block ends. Yields an Event set when they have rated."""
    someone = UserFactory()
    rating, done = threading.Event(), threading.Event()

    def someone_rating_the_film():
        try:
            if once is not None:
                once.wait(timeout=10)
            with transaction.atomic():
                RatingFactory(movie=movie, user=someone)
                rating.set()
                done.wait(timeout=10)
        finally:
            connection.close()

    other = threading.Thread(target=someone_rating_the_film)
    other.start()
    try:
        yield rating
    finally:
        done.set()
        other.join()


@pytest.mark.django_db(transaction=True)
def test_the_admin_s_bulk_delete_is_undone_whole_when_the_stats_cannot_follow(monkeypatch):
    """The ratings go only with their films' stats: a refresh that fails (here, it waits
    too long for the film, which someone else is rating) deletes nothing."""
    movie = MovieFactory()
    RatingFactory.create_batch(2, movie=movie)
    if connection.vendor == "sqlite":
        someone_rating_as_the_refresh_begins(movie, monkeypatch)
        return
    with someone_rating(movie) as rating:
        assert rating.wait(timeout=10)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
            with pytest.raises(OperationalError):
                admin.site._registry[Rating].delete_queryset(
                    None, Rating.objects.filter(movie=movie)
                )
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")

    assert Rating.objects.filter(movie=movie).count() == 3  # theirs too
    assert_stats_match_the_ratings()


def someone_rating_as_the_refresh_begins(movie, monkeypatch):
    """SQLite has no row locks: the one transaction takes the write lock at its BEGIN
    IMMEDIATE, before the delete, so no other writer can hold the refresh up. Someone who
    rates the film as the refresh begins waits for the delete and its refresh to commit,
    and their rating counts after it. Were the delete committed on its own, they would
    write in between and the refresh would wait for them, and fail."""
    refreshing = threading.Event()

    def refresh_once_someone_rates(films):
        refreshing.set()
        rating.wait(timeout=0.5)  # in vain while the delete holds the write lock
        refresh_rating_stats(films)

    monkeypatch.setattr("catalog.admin.refresh_rating_stats", refresh_once_someone_rates)
    waits = connection.settings_dict["OPTIONS"]["timeout"]
    with someone_rating(movie, once=refreshing) as rating:
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 200")
            admin.site._registry[Rating].delete_queryset(None, Rating.objects.filter(movie=movie))
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(waits * 1000)}")

    assert rating.is_set()
    assert Rating.objects.filter(movie=movie).count() == 1  # theirs
    assert_stats_match_the_ratings()


def test_a_person_deleted_takes_their_votes_from_the_films():
    movie = MovieFactory()
    leaving, staying = UserFactory(), UserFactory()
    RatingFactory(movie=movie, user=leaving, value=1)
    RatingFactory(movie=movie, user=staying, value=5)

    leaving.delete()

    assert stats_kept() == {movie.pk: (1, 1.0)}


def test_a_film_deleted_takes_its_stats_row():
    movie = MovieFactory()
    RatingFactory(movie=movie)

    movie.delete()

    assert not MovieRatingStats.objects.exists()


def test_a_person_s_stars_count_and_uncount(user):
    movie = MovieFactory()
    media = MediaFactory(movie=movie)

    feedback = feedback_record(user=user, media=media, rating=4, would_watch_again=True)
    assert stats_kept() == {movie.pk: (1, 0.75)}
    feedback_record(user=user, media=media, rating=None)  # the stars taken back
    assert stats_kept() == {}
    feedback = feedback_record(user=user, media=media, rating=2)
    feedback_delete(feedback=feedback)
    assert stats_kept() == {}
    assert not Rating.objects.filter(source=RatingSource.MARQUEE).exists()


def test_a_full_refresh_puts_right_what_was_written_around_it():
    movies = MovieFactory.create_batch(3)
    for number, movie in enumerate(movies):
        RatingFactory.create_batch(number + 1, movie=movie, value=number + 1)
    MovieRatingStats.objects.filter(movie=movies[0]).update(votes=40)  # damaged by hand
    MovieRatingStats.objects.filter(movie=movies[1]).delete()

    refresh_rating_stats()

    assert_stats_match_the_ratings()


def test_added_changes_stay_within_their_votes():
    movie = MovieFactory()
    RatingFactory(movie=movie, value=5)  # votes 1, score 1.0

    add_to_rating_stats({movie.pk: (0, 1e-12)})  # a rounding error upwards
    assert stats_kept() == {movie.pk: (1, 1.0)}
    add_to_rating_stats({movie.pk: (0, -3.0)})
    assert stats_kept() == {movie.pk: (1, 0.0)}
    add_to_rating_stats({movie.pk: (2, 1.5)})
    assert stats_kept() == {movie.pk: (3, 1.5)}


def test_a_new_vote_added_with_a_change_may_go_past_its_own_vote():
    # One batch: a new rating of 5 stars (1.0), and an older rating raised (+0.5). The
    # change, 1.5 for one vote, is right for the film, though no single vote could be.
    movie = MovieFactory()
    RatingFactory(movie=movie, value=1)  # votes 1, score 0.0
    add_to_rating_stats({movie.pk: (1, 1.5)})
    assert stats_kept() == {movie.pk: (2, 1.5)}
    add_to_rating_stats({movie.pk: (1, -1.0)})  # the opposite way: a vote of 0, and -1.0
    assert stats_kept() == {movie.pk: (3, 0.5)}


@pytest.mark.parametrize(
    ("votes", "score"), [(0, 0.0), (2, -0.5), (2, 2.5)], ids=["no votes", "below 0", "above votes"]
)
def test_the_database_refuses_stats_out_of_range(votes, score):
    assert_refused_by_database(
        MovieRatingStats._meta.db_table, movie_id=MovieFactory().pk, votes=votes, score=score
    )


def test_the_command_computes_every_film_again():
    movie = MovieFactory()
    RatingFactory.create_batch(3, movie=movie)
    MovieRatingStats.objects.update(votes=99)  # as if ratings were written around Marquee
    out = io.StringIO()

    call_command("refresh_rating_stats", stdout=out)

    assert out.getvalue() == "Rating stats computed for 1 film.\n"
    assert_stats_match_the_ratings()
