"""The watchlist's writes: putting films on it and off it, and films leaving it once the
person says they watched them (a viewing, feedback, a corrected viewing, a review)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.reviews import review_save
from feedback.models import WatchlistEntry
from feedback.services import (
    QuickViewing,
    feedback_record,
    movie_media,
    viewing_record,
    viewing_record_once,
    viewing_update,
)
from feedback.watchlist import watched_since, watchlist_add, watchlist_remove, watchlist_watched
from tests.at_once import at_once
from tests.factories import (
    MediaFactory,
    MovieFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def listed(user) -> list:
    return list(WatchlistEntry.objects.filter(user=user).values_list("movie__title", flat=True))


# watchlist_add and watchlist_remove


def test_watchlist_add_puts_the_film_on_once(user):
    movie = MovieFactory(title="Ugetsu")

    first, added = watchlist_add(user=user, movie=movie)
    again, added_again = watchlist_add(user=user, movie=movie)

    assert (added, added_again) == (True, False)
    assert first == again == WatchlistEntry.objects.get()
    assert listed(user) == ["Ugetsu"]


def test_watchlist_add_keeps_the_date_it_was_first_added(user):
    movie = MovieFactory()
    long_ago = timezone.now() - dt.timedelta(days=30)
    WatchlistEntryFactory(user=user, movie=movie, added_at=long_ago)

    entry, added = watchlist_add(user=user, movie=movie)

    assert not added
    assert entry.added_at == long_ago


def test_each_person_has_their_own_watchlist(user, other_user):
    movie = MovieFactory(title="Ugetsu")
    watchlist_add(user=user, movie=movie)

    _, added = watchlist_add(user=other_user, movie=movie)
    removed = watchlist_remove(user=other_user, movie=movie)

    assert (added, removed) == (True, True)
    assert listed(user) == ["Ugetsu"]
    assert listed(other_user) == []


def test_watchlist_remove_takes_the_film_off_and_says_whether_it_was_there(user):
    movie, other = MovieFactory.create_batch(2)
    WatchlistEntryFactory(user=user, movie=movie)
    WatchlistEntryFactory(user=user, movie=other)

    assert watchlist_remove(user=user, movie=movie) is True
    assert watchlist_remove(user=user, movie=movie) is False
    assert listed(user) == [other.title]


@pytest.mark.django_db(transaction=True)
def test_two_adds_at_once_make_one_entry_and_no_error(user):
    """The second request reads no entry, then its insert waits for the first's commit
    and is refused by the UNIQUE constraint: it answers with the first's entry. (SQLite:
    its IMMEDIATE transaction waits at BEGIN, then it reads the first's entry.)"""
    movie = MovieFactory()
    answers = []

    errors = at_once(
        lambda: answers.append(watchlist_add(user=user, movie=movie)),
        lambda: answers.append(watchlist_add(user=user, movie=movie)),
    )

    assert errors == []
    entry = WatchlistEntry.objects.get()
    assert sorted(added for _, added in answers) == [False, True]
    assert [answered for answered, _ in answers] == [entry, entry]


# Put on the list and watched at the same moment: "Add to watchlist" in one tab, "I
# watched this" (or feedback, or a review) in another.

WATCHINGS = {
    "viewing": lambda user, movie: viewing_record_once(user=user, media=movie_media(movie=movie)),
    "feedback": lambda user, movie: feedback_record(
        user=user, media=movie_media(movie=movie), rating=4
    ),
    "review": lambda user, movie: review_save(
        user=user, movie=movie, text="Seen it at last.", contains_spoilers=False
    ),
    "corrected-viewing": lambda user, movie: viewing_update(
        viewing=ViewingHistoryFactory(user=user, media=MediaFactory(movie=movie), completed=False),
        started_at=timezone.now(),
        completed=True,
    ),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("watching", WATCHINGS)
@pytest.mark.parametrize("added_first", [True, False], ids=["added-first", "watched-first"])
def test_a_film_added_and_watched_at_once_stays_on_only_if_added_after(user, watching, added_first):
    """The watching's clean-up used to run while the add was not committed yet, so did
    not see its entry, and the film stayed on though watched after it was added (on
    PostgreSQL; SQLite's IMMEDIATE transactions take turns). The writes take turns on the
    person's row now: added first, the film leaves the list; watched first, the entry
    comes after the watching, a wish to see it again, and stays."""
    movie = MovieFactory()

    def add():
        watchlist_add(user=user, movie=movie)

    def watch():
        WATCHINGS[watching](user, movie)

    errors = at_once(*((add, watch) if added_first else (watch, add)), stagger=0.1)

    assert errors == []
    entry = WatchlistEntry.objects.filter(user=user, movie=movie).first()
    if added_first:
        assert entry is None
    else:
        assert entry is not None
        assert not watched_since(user=user, movie_id=movie.pk, since=entry.added_at)


# Watching takes a film off the watchlist


def test_i_watched_this_takes_the_film_off_the_watchlist(user, other_user):
    movie, other = MovieFactory.create_batch(2)
    for person in (user, other_user):
        WatchlistEntryFactory(user=person, movie=movie)
    WatchlistEntryFactory(user=user, movie=other)

    _, outcome = viewing_record_once(user=user, media=movie_media(movie=movie))

    assert outcome == QuickViewing.ADDED
    assert listed(user) == [other.title]
    assert listed(other_user) == [movie.title]


def test_a_viewing_of_any_item_of_the_film_counts(user):
    plex = MediaFactory(media_id="plex:1")
    WatchlistEntryFactory(user=user, movie=plex.movie)

    viewing_record(user=user, media=plex, minutes_watched=20, completed=True)

    assert listed(user) == []


def test_a_viewing_stopped_part_way_leaves_the_film_on_the_watchlist(user):
    """Stopped half way: the film is still to be seen, as on Letterboxd and Trakt."""
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)

    viewing_record(user=user, media=movie_media(movie=movie), minutes_watched=45, completed=False)
    viewing_record_once(user=user, media=movie_media(movie=movie), completed=False)

    assert listed(user) == [movie.title]


def test_i_watched_this_corrected_to_finished_takes_the_film_off(user):
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)
    media = movie_media(movie=movie)

    viewing_record_once(user=user, media=media, minutes_watched=45, completed=False)
    assert listed(user) == [movie.title]
    _, outcome = viewing_record_once(user=user, media=media, minutes_watched=45, completed=True)

    assert outcome == QuickViewing.CORRECTED
    assert listed(user) == []


def test_a_viewing_corrected_to_finished_takes_the_film_off(user):
    media = MediaFactory()
    WatchlistEntryFactory(user=user, movie=media.movie, added_at=timezone.now())
    viewing = viewing_record(user=user, media=media, minutes_watched=45, completed=False)

    viewing_update(
        viewing=viewing, started_at=viewing.started_at, minutes_watched=45, completed=False
    )
    assert listed(user) == [media.movie.title]
    viewing_update(
        viewing=viewing, started_at=viewing.started_at, minutes_watched=90, completed=True
    )

    assert listed(user) == []


@pytest.mark.parametrize(
    ("answers", "still_listed"),
    [
        ({"watched_completion": True}, False),
        ({"rating": 4}, False),  # a rating alone: people rate what they saw
        ({"would_watch_again": False}, False),
        ({"watched_completion": False}, True),  # "did not finish": still to be seen
        ({"watched_completion": False, "rating": 2}, True),
    ],
)
def test_feedback_takes_the_film_off_unless_it_says_did_not_finish(user, answers, still_listed):
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)

    feedback_record(user=user, media=movie_media(movie=movie), **answers)

    assert listed(user) == ([movie.title] if still_listed else [])


def test_stars_added_to_feedback_that_said_did_not_finish_leave_the_film_on(user):
    """The rule reads the feedback as saved: the stars change it, not what it said."""
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)
    feedback_record(user=user, media=movie_media(movie=movie), watched_completion=False)

    feedback_record(user=user, media=movie_media(movie=movie), rating=3)
    assert listed(user) == [movie.title]
    feedback_record(user=user, media=movie_media(movie=movie), watched_completion=None)

    assert listed(user) == []


def test_watching_an_episode_leaves_the_watchlist_alone(user):
    WatchlistEntryFactory(user=user)

    viewing_record(user=user, media=MediaFactory(movie=None, media_type="episode"))

    assert len(listed(user)) == 1


def test_a_viewing_from_before_the_film_was_added_leaves_it_on(user):
    """Seen years ago and put on the watchlist to see again: telling of that old viewing
    now is no new watching."""
    media = MediaFactory()
    WatchlistEntryFactory(user=user, movie=media.movie, added_at=timezone.now())

    viewing_record(user=user, media=media, started_at=timezone.now() - dt.timedelta(days=900))

    assert listed(user) == [media.movie.title]


def test_a_viewing_corrected_to_after_the_film_was_added_takes_it_off(user):
    media = MediaFactory()
    now = timezone.now()
    viewing = ViewingHistoryFactory(user=user, media=media, started_at=now - dt.timedelta(days=9))
    WatchlistEntryFactory(user=user, movie=media.movie, added_at=now - dt.timedelta(days=5))

    viewing_update(
        viewing=viewing, started_at=viewing.started_at, minutes_watched=5, completed=True
    )
    assert listed(user) == [media.movie.title]  # still the viewing of before the wish
    viewing_update(
        viewing=viewing, started_at=now - dt.timedelta(days=1), minutes_watched=5, completed=True
    )
    assert listed(user) == []


def test_a_refused_viewing_leaves_the_film_on_the_watchlist(user):
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)

    with pytest.raises(ValidationError):
        viewing_record_once(user=user, media=movie_media(movie=movie), minutes_watched=-1)

    assert listed(user) == [movie.title]


# Reviewing a film is saying you saw it, as on Letterboxd and Trakt


def test_writing_a_review_takes_the_film_off_the_watchlist(user, other_user):
    movie, other = MovieFactory.create_batch(2)
    for person in (user, other_user):
        WatchlistEntryFactory(user=person, movie=movie)
    WatchlistEntryFactory(user=user, movie=other)

    review_save(user=user, movie=movie, text="Awful, never again.", contains_spoilers=False)

    assert listed(user) == [other.title]
    assert listed(other_user) == [movie.title]


def test_a_review_s_film_put_on_the_watchlist_since_stays_on_through_an_edit(user):
    """Reviewed, then put on the list to see again: editing the review is no new
    watching, as an old viewing told of now is none."""
    movie = MovieFactory()
    review_save(user=user, movie=movie, text="Saw it last night.", contains_spoilers=False)
    WatchlistEntryFactory(user=user, movie=movie, added_at=timezone.now())

    review_save(user=user, movie=movie, text="Better the second time?", contains_spoilers=True)

    assert listed(user) == [movie.title]


def test_a_restored_review_posted_before_the_film_was_added_leaves_it_on(user):
    movie = MovieFactory()
    now = timezone.now()
    WatchlistEntryFactory(user=user, movie=movie, added_at=now - dt.timedelta(days=5))

    def restored(days_ago: int):  # as an export's import writes it, with its date
        posted_at = now - dt.timedelta(days=days_ago)
        review_save(
            user=user, movie=movie, text="Seen.", contains_spoilers=False, posted_at=posted_at
        )

    restored(900)
    assert listed(user) == [movie.title]
    restored(1)
    assert listed(user) == []


def test_a_refused_review_leaves_the_film_on_the_watchlist(user):
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)

    with pytest.raises(ValidationError):
        review_save(user=user, movie=movie, text="   ", contains_spoilers=False)

    assert listed(user) == [movie.title]


def test_watchlist_watched_says_whether_it_took_a_film_off(user):
    entry = WatchlistEntryFactory(user=user)
    before = entry.added_at - dt.timedelta(seconds=1)

    assert watchlist_watched(user=user, movie_id=None, watched_at=timezone.now()) is False
    assert watchlist_watched(user=user, movie_id=entry.movie_id, watched_at=before) is False
    assert watchlist_watched(user=user, movie_id=entry.movie_id, watched_at=entry.added_at)
    assert listed(user) == []
