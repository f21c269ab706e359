"""An older export brought back does not put back on the watchlist a film watched since.

The rule is the pages' (feedback.watchlist): a finished viewing, feedback that does not
say "did not finish", or a review, at or after the time the film went on the list takes
it off; a viewing not finished, or "did not finish", leaves it on.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.reviews import review_save
from feedback import services
from feedback.export_import import user_export_import
from feedback.export_reading import read_export
from feedback.exports import export_json
from feedback.models import WatchlistEntry
from tests.factories import (
    MediaFactory,
    MovieFactory,
    ReviewFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def listed(user) -> list[str]:
    entries = WatchlistEntry.objects.filter(user=user).order_by("movie__title")
    return list(entries.values_list("movie__title", flat=True))


@pytest.fixture
def old_export(user):
    """An export taken while three films were on the person's watchlist, a day ago."""
    added = timezone.now() - dt.timedelta(days=1)
    films = [MovieFactory(title=title) for title in ("Finished", "Rated", "Stopped")]
    for film in films:
        WatchlistEntryFactory(user=user, movie=film, added_at=added)
    return read_export(export_json(user)), films


def test_films_watched_since_the_export_stay_off_the_watchlist(user, old_export):
    rows, (finished, rated, stopped) = old_export
    # Since the export, as on the pages: one watched to the end, one rated, one given up
    # half way (that one stays on the list).
    services.viewing_record(user=user, media=MediaFactory(movie=finished))
    services.feedback_record(user=user, media=MediaFactory(movie=rated), rating=4)
    services.viewing_record(user=user, media=MediaFactory(movie=stopped), completed=False)
    assert listed(user) == ["Stopped"]

    counts = user_export_import(user=user, rows=rows)

    assert listed(user) == ["Stopped"]
    assert (counts.created["watchlist"], counts.unchanged["watchlist"]) == (0, 1)
    assert counts.watched_since["watchlist"] == 2
    again = user_export_import(user=user, rows=rows)
    assert listed(user) == ["Stopped"]
    assert again.watched_since["watchlist"] == 2


def test_a_film_reviewed_since_the_export_stays_off_the_watchlist(user, old_export):
    rows, (_, rated, _) = old_export
    review_save(user=user, movie=rated, text="Saw it last night.", contains_spoilers=False)
    assert listed(user) == ["Finished", "Stopped"]

    counts = user_export_import(user=user, rows=rows)

    assert listed(user) == ["Finished", "Stopped"]
    assert counts.watched_since["watchlist"] == 1


def test_a_review_the_file_holds_from_after_an_entry_keeps_it_off(user):
    """Written around the rule (as staff in the admin could): the file says both."""
    now = timezone.now()
    film = MovieFactory(title="Reviewed")
    WatchlistEntryFactory(user=user, movie=film, added_at=now - dt.timedelta(days=2))
    ReviewFactory(member=True, user=user, movie=film, posted_at=now - dt.timedelta(days=1))
    rows = read_export(export_json(user))

    into = UserFactory()
    user_export_import(user=into, rows=rows)

    assert listed(into) == []


def test_did_not_finish_since_the_export_puts_the_film_back(user, old_export):
    rows, (_, rated, _) = old_export
    WatchlistEntry.objects.filter(user=user, movie=rated).delete()  # removed by hand
    services.feedback_record(
        user=user, media=MediaFactory(movie=rated), rating=2, watched_completion=False
    )

    user_export_import(user=user, rows=rows)

    assert listed(user) == ["Finished", "Rated", "Stopped"]


def test_a_viewing_from_before_the_film_went_on_the_list_does_not_count(user):
    now = timezone.now()
    film = MovieFactory(title="Again")
    # Seen three days ago, put on the list two days ago to see again.
    ViewingHistoryFactory(
        user=user, media=MediaFactory(movie=film), started_at=now - dt.timedelta(days=3)
    )
    WatchlistEntryFactory(user=user, movie=film, added_at=now - dt.timedelta(days=2))
    rows = read_export(export_json(user))
    WatchlistEntry.objects.all().delete()

    counts = user_export_import(user=user, rows=rows)

    assert listed(user) == ["Again"]
    assert counts.created["watchlist"] == 1


def test_an_entry_added_again_since_keeps_its_own_date(user, old_export):
    rows, (finished, _, _) = old_export
    services.viewing_record(user=user, media=MediaFactory(movie=finished))
    again = WatchlistEntryFactory(user=user, movie=finished, added_at=timezone.now())

    user_export_import(user=user, rows=rows)

    assert WatchlistEntry.objects.get(user=user, movie=finished).added_at == again.added_at


def test_the_file_s_own_later_viewing_and_feedback_count_whatever_the_order(user):
    """The watchlist is written after the viewings and feedback; those of the same file
    dated after an entry count as the account's own would, as if written in time order."""
    now = timezone.now()
    seen, rated = MovieFactory(title="Seen"), MovieFactory(title="Rated")
    for film in (seen, rated):
        WatchlistEntryFactory(user=user, movie=film, added_at=now - dt.timedelta(days=2))
    # Written around the rule (as staff in the admin could): the file says both.
    ViewingHistoryFactory(
        user=user, media=MediaFactory(movie=seen), started_at=now - dt.timedelta(days=1)
    )
    UserFeedbackFactory(
        user=user,
        media=MediaFactory(movie=rated),
        watched_completion=None,
        timestamp=now - dt.timedelta(days=1),
    )
    rows = read_export(export_json(user))

    into = UserFactory()
    user_export_import(user=into, rows=rows)

    assert listed(into) == []


def test_the_command_says_which_entries_it_did_not_put_back(user, old_export, tmp_path):
    _, (finished, _, _) = old_export
    path = tmp_path / "export.json"
    path.write_bytes(export_json(user))
    services.viewing_record(user=user, media=MediaFactory(movie=finished))

    call_command("import_user_export", str(path), user=user.username, stdout=(out := io.StringIO()))

    assert (
        "watchlist: 0 created, 0 updated, 2 unchanged, 1 not put back: watched since"
        in out.getvalue()
    )
