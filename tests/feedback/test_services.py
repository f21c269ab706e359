"""The writes of feedback and history, called the way views and commands call them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import RaterKind, Rating, RatingSource
from feedback.models import Media, MediaType, UserFeedback, ViewingHistory
from feedback.services import (
    QuickViewing,
    feedback_delete,
    feedback_record,
    media_for_movie,
    movie_media,
    viewing_delete,
    viewing_record,
    viewing_record_once,
    viewing_update,
)
from tests.at_once import at_once
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)
from tests.rating_stats import stats_kept

pytestmark = pytest.mark.django_db


def marquee_rating(user, movie):
    return Rating.objects.filter(
        user=user, movie=movie, source=RatingSource.MARQUEE, rater_kind=RaterKind.USER
    ).first()


# media_for_movie


def test_media_for_movie_creates_one_item_and_then_reuses_it():
    movie = MovieFactory(title="Stalker", runtime_minutes=162)

    first = media_for_movie(movie=movie)
    second = media_for_movie(movie=movie)

    assert first == second
    assert first.media_id == f"marquee:movie:{movie.pk}"
    assert (first.title, first.media_type, first.duration) == ("Stalker", MediaType.MOVIE, 162)
    assert Media.objects.filter(movie=movie).count() == 1


def test_media_for_movie_prefers_an_item_from_a_media_server():
    server_item = MediaFactory(media_id="plex:77")

    assert media_for_movie(movie=server_item.movie) == server_item
    assert Media.objects.count() == 1


def test_movie_media_writes_nothing_until_feedback_is_saved(user):
    movie = MovieFactory(title="Stalker")

    media = movie_media(movie=movie)

    assert not media.stored
    assert media.media_id == f"marquee:movie:{movie.pk}"
    assert not Media.objects.exists()
    feedback_record(user=user, media=media, rating=5)
    assert Media.objects.get().movie == movie


@pytest.mark.parametrize("holder", ["another film", "no film"])
def test_an_item_of_another_film_under_the_film_s_id_is_left_to_it(user, holder):
    movie = MovieFactory(title="The Silence of the Lambs")
    # Brought by an import from another Marquee, where that pk was Whiplash; or the item
    # of a film deleted since.
    other = MovieFactory(title="Whiplash") if holder == "another film" else None
    taken = MediaFactory(media_id=f"marquee:movie:{movie.pk}", movie=other)
    MediaFactory(media_id=f"marquee:movie:{movie.pk}:2", movie=None)
    UserFeedbackFactory(user=user, media=taken, rating=3)

    media = movie_media(movie=movie)
    feedback_record(user=user, media=media, rating=5)
    viewing_record_once(user=user, media=movie_media(movie=movie))

    assert media.media_id == f"marquee:movie:{movie.pk}:3"
    assert UserFeedback.objects.get(user=user, media__movie=movie).rating == 5
    assert ViewingHistory.objects.get(user=user).media == Media.objects.get(movie=movie)
    assert UserFeedback.objects.get(media=taken).rating == 3


def test_an_id_taken_by_another_film_after_the_form_opened_is_not_used(user):
    movie = MovieFactory()
    media = movie_media(movie=movie)  # the form opens
    # Before it is sent, an import brings another Marquee's item of that id.
    MediaFactory(media_id=media.media_id, movie=MovieFactory())

    feedback_record(user=user, media=media, rating=5)

    stored = UserFeedback.objects.get(user=user)
    assert (stored.media.movie, stored.media.media_id) == (movie, f"{media.media_id}:2")
    assert marquee_rating(user, movie).value == 5


def test_a_refused_viewing_leaves_no_media_item(user):
    media = movie_media(movie=MovieFactory())

    with pytest.raises(ValidationError):
        viewing_record(user=user, media=media, minutes_watched=-5)

    assert not Media.objects.exists()


# feedback_record and feedback_delete


def test_feedback_record_creates_feedback_and_the_marquee_rating(user):
    media = MediaFactory()

    feedback = feedback_record(
        user=user, media=media, watched_completion=True, would_watch_again=False, rating=5
    )

    stored = UserFeedback.objects.get(user=user, media=media)
    assert stored == feedback
    assert (stored.watched_completion, stored.would_watch_again, stored.rating) == (
        True,
        False,
        5,
    )
    rating = marquee_rating(user, media.movie)
    assert (rating.value, rating.scale_min, rating.scale_max) == (5, 1, 5)


def test_feedback_record_changes_only_the_fields_it_is_given(user):
    feedback = UserFeedbackFactory(user=user, watched_completion=True, would_watch_again=True)

    feedback_record(user=user, media=feedback.media, rating=2)

    feedback.refresh_from_db()
    assert (feedback.watched_completion, feedback.would_watch_again, feedback.rating) == (
        True,
        True,
        2,
    )
    assert UserFeedback.objects.count() == 1
    assert marquee_rating(user, feedback.media.movie).value == 2


def test_feedback_record_dates_a_change_anew_and_the_marquee_rating_follows(user):
    media = MediaFactory()
    feedback_record(user=user, media=media, rating=4)
    long_ago = timezone.now() - dt.timedelta(days=400)
    UserFeedback.objects.filter(user=user, media=media).update(timestamp=long_ago)
    before = timezone.now()

    feedback = feedback_record(user=user, media=media, rating=2)

    # What the person says now is dated now, not when they first said something: their
    # latest statement is what the engine and the Marquee rating follow.
    assert UserFeedback.objects.get(pk=feedback.pk).timestamp >= before
    assert marquee_rating(user, media.movie).rated_at == feedback.timestamp


def test_feedback_record_without_a_rating_removes_the_marquee_rating(user):
    media = MediaFactory()
    feedback_record(user=user, media=media, rating=4)

    feedback_record(user=user, media=media, rating=None, would_watch_again=True)

    assert marquee_rating(user, media.movie) is None
    assert UserFeedback.objects.get(user=user).rating is None


def test_feedback_record_of_an_item_without_a_movie_rates_nothing(user):
    media = MediaFactory(movie=None, media_type=MediaType.EPISODE)

    feedback_record(user=user, media=media, rating=3)

    assert UserFeedback.objects.get(user=user).rating == 3
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "answers",
    [
        {"rating": 7},
        {"rating": 0},
        {"watched_completion": None, "would_watch_again": None, "rating": None},
    ],
)
def test_feedback_record_refuses_what_the_model_refuses(user, answers):
    media = MediaFactory()

    with pytest.raises(ValidationError):
        feedback_record(user=user, media=media, **answers)

    assert not UserFeedback.objects.exists()
    assert not Rating.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_first_feedback_sent_twice_at_once_is_saved_once(user):
    """A double click on an item the person has given no feedback on: no row to lock yet,
    so the second waits on the person, then changes the feedback the first saved. (An
    item from a media server: Marquee's own is created by the first click, and the second
    waits on that insert already. On SQLite the second waits at BEGIN, its transaction
    IMMEDIATE.)"""
    media = MediaFactory()
    movie = media.movie

    errors = at_once(
        lambda: feedback_record(user=user, media=media, rating=4),
        lambda: feedback_record(user=user, media=media, rating=5),
    )

    assert errors == []
    feedback = UserFeedback.objects.get(user=user, media=media)
    assert marquee_rating(user, movie).value == feedback.rating
    assert stats_kept()[movie.pk][0] == 1


def test_feedback_delete_removes_the_feedback_and_its_marquee_rating(user, other_user):
    media = MediaFactory()
    mine = feedback_record(user=user, media=media, rating=4)
    feedback_record(user=other_user, media=media, rating=1)

    feedback_delete(feedback=mine)

    assert not UserFeedback.objects.filter(user=user).exists()
    assert marquee_rating(user, media.movie) is None
    assert marquee_rating(other_user, media.movie).value == 1


# viewing_record, viewing_update and viewing_delete


def test_viewing_record_adds_a_finished_viewing_by_default(user):
    media = MediaFactory()
    before = timezone.now()

    viewing = viewing_record(user=user, media=media)

    stored = ViewingHistory.objects.get(pk=viewing.pk)
    assert (stored.user, stored.media, stored.completed, stored.minutes_watched) == (
        user,
        media,
        True,
        None,
    )
    assert stored.started_at >= before


def test_viewing_record_keeps_minutes_and_an_unfinished_viewing(user):
    started = timezone.now() - dt.timedelta(days=2)

    viewing = viewing_record(
        user=user, media=MediaFactory(), started_at=started, minutes_watched=40, completed=False
    )

    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched, viewing.completed) == (
        started,
        40,
        False,
    )


def test_viewing_record_refuses_negative_minutes(user):
    with pytest.raises(ValidationError) as excinfo:
        viewing_record(user=user, media=MediaFactory(), minutes_watched=-5)
    assert "minutes_watched" in excinfo.value.message_dict
    assert not ViewingHistory.objects.exists()


def test_viewing_record_once_returns_the_viewing_just_recorded(user):
    media = MediaFactory()

    first, first_outcome = viewing_record_once(user=user, media=media)
    again, again_outcome = viewing_record_once(user=user, media=media)
    corrected, corrected_outcome = viewing_record_once(user=user, media=media, completed=False)

    assert (first_outcome, again_outcome, corrected_outcome) == (
        QuickViewing.ADDED,
        QuickViewing.UNCHANGED,
        QuickViewing.CORRECTED,
    )
    assert again == first == corrected
    assert list(ViewingHistory.objects.values_list("completed", flat=True)) == [False]


def test_viewing_record_once_of_a_day_past_is_guarded_around_that_start(user):
    """A viewing said to start last week is the same one as another within five minutes
    of that start, whatever the clock says now; one a day later is another viewing."""
    media = MediaFactory()
    last_week = timezone.now() - dt.timedelta(days=7)

    first, first_outcome = viewing_record_once(user=user, media=media, started_at=last_week)
    nearby, nearby_outcome = viewing_record_once(
        user=user, media=media, started_at=last_week - dt.timedelta(minutes=4), completed=False
    )
    next_day, next_day_outcome = viewing_record_once(
        user=user, media=media, started_at=last_week + dt.timedelta(days=1)
    )

    assert (first_outcome, nearby_outcome, next_day_outcome) == (
        QuickViewing.ADDED,
        QuickViewing.CORRECTED,
        QuickViewing.ADDED,
    )
    assert nearby == first
    assert (nearby.started_at, nearby.completed) == (last_week, False)
    assert ViewingHistory.objects.filter(user=user).count() == 2
    assert next_day.started_at == last_week + dt.timedelta(days=1)


def test_viewing_record_once_refuses_a_start_in_the_future(user):
    with pytest.raises(ValidationError) as excinfo:
        viewing_record_once(
            user=user, media=MediaFactory(), started_at=timezone.now() + dt.timedelta(days=3)
        )

    assert excinfo.value.message_dict["started_at"] == ["This date is in the future."]
    assert not ViewingHistory.objects.exists()


def test_viewing_record_once_saves_marquee_s_own_item_for_a_film(user):
    movie = MovieFactory()

    viewing, outcome = viewing_record_once(user=user, media=movie_media(movie=movie))

    assert outcome == QuickViewing.ADDED
    assert viewing.media == Media.objects.get(movie=movie)


@pytest.mark.django_db(transaction=True)
def test_two_quick_viewings_at_once_record_one(user):
    """The second request waits for the first to commit, then finds its viewing."""
    media = MediaFactory()
    outcomes = []

    errors = at_once(
        lambda: outcomes.append(viewing_record_once(user=user, media=media)[1]),
        lambda: outcomes.append(viewing_record_once(user=user, media=media)[1]),
    )

    assert errors == []
    assert sorted(outcomes) == sorted([QuickViewing.ADDED, QuickViewing.UNCHANGED])
    assert ViewingHistory.objects.count() == 1


def test_viewing_update_changes_the_viewing(user):
    viewing = ViewingHistoryFactory(user=user, minutes_watched=95, completed=True)
    started = timezone.now() - dt.timedelta(days=10)

    viewing_update(viewing=viewing, started_at=started, minutes_watched=30, completed=False)

    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched, viewing.completed) == (
        started,
        30,
        False,
    )


@pytest.mark.parametrize(
    "said_since",
    [{"watched_completion": None}, {"watched_completion": False}],
    ids=["finished no longer said", "did not finish"],
)
def test_correcting_the_minutes_of_a_finished_viewing_leaves_later_feedback_alone(user, said_since):
    """The form sends "finished" again with the minutes: that is no new word that the
    person finished the film, so what they said of it since the viewing stands."""
    started = timezone.now() - dt.timedelta(days=10)
    viewing = ViewingHistoryFactory(user=user, started_at=started, completed=True)
    feedback_record(user=user, media=viewing.media, rating=3, **said_since)
    said = UserFeedback.objects.get(user=user, media=viewing.media)

    viewing_update(viewing=viewing, minutes_watched=40, completed=True)

    now = UserFeedback.objects.get(pk=said.pk)
    assert (now.watched_completion, now.timestamp) == (said.watched_completion, said.timestamp)


def test_viewing_update_refuses_negative_minutes_and_saves_nothing(user):
    viewing = ViewingHistoryFactory(user=user, minutes_watched=95)

    with pytest.raises(ValidationError):
        viewing_update(
            viewing=viewing, started_at=viewing.started_at, minutes_watched=-1, completed=True
        )

    viewing.refresh_from_db()
    assert viewing.minutes_watched == 95


def test_viewing_delete_removes_only_that_viewing(user):
    gone, kept = ViewingHistoryFactory.create_batch(2, user=user)

    viewing_delete(viewing=gone)

    assert list(ViewingHistory.objects.all()) == [kept]
