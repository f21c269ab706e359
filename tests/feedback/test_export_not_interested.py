"""The films turned down in an export (version 7), brought back: matched by film, the later
of "not interested" and the watchlist kept where a film has both, and an older export,
which holds none, leaving the person's as they are."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_csv_zip, export_json
from feedback.models import NotInterested, WatchlistEntry
from tests.factories import (
    MovieFactory,
    NotInterestedFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def wishes(user) -> tuple[set, set]:
    turned_down = NotInterested.objects.filter(user=user).values_list("movie__title", flat=True)
    listed = WatchlistEntry.objects.filter(user=user).values_list("movie__title", flat=True)
    return set(turned_down), set(listed)


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_a_film_turned_down_comes_back_into_another_account(user, other_user, build):
    moment = (timezone.now() - DAY).replace(microsecond=123456)
    NotInterestedFactory(user=user, movie__title="Cats", turned_down_at=moment)

    counts = user_export_import(user=other_user, rows=read_export(build(user)))

    assert NotInterested.objects.get(user=other_user).turned_down_at == moment
    assert "not_interested: 1 created, 0 updated, 0 unchanged" in counts.lines()


def test_a_film_turned_down_after_it_went_on_the_watchlist_here_leaves_it(user, other_user):
    now = timezone.now()
    cats = MovieFactory(title="Cats")
    NotInterestedFactory(user=other_user, movie=cats, turned_down_at=now - DAY)
    WatchlistEntryFactory(user=user, movie=cats, added_at=now - 2 * DAY)

    counts = user_export_import(user=user, rows=read_export(export_json(other_user)))

    assert wishes(user) == ({"Cats"}, set())
    assert (
        "watchlist: 0 created, 0 updated, 0 unchanged, 1 deleted: a later wish says otherwise"
        in counts.lines()
    )


def test_a_film_put_on_the_watchlist_here_since_it_was_turned_down_stays_on_it(user, other_user):
    now = timezone.now()
    cats = MovieFactory(title="Cats")
    NotInterestedFactory(user=other_user, movie=cats, turned_down_at=now - 2 * DAY)
    WatchlistEntryFactory(user=user, movie=cats, added_at=now - DAY)

    counts = user_export_import(user=user, rows=read_export(export_json(other_user)))

    assert wishes(user) == (set(), {"Cats"})
    assert counts.outwished["not_interested"] == 1
    # Brought back again: the same, and nothing else.
    again = user_export_import(user=user, rows=read_export(export_json(other_user)))
    assert wishes(user) == (set(), {"Cats"})
    assert again.outwished["not_interested"] == 1


def test_an_export_of_version_6_leaves_the_films_turned_down_as_they_are(user):
    NotInterestedFactory(user=user, movie__title="Cats")
    document = json.loads(export_json(user))
    del document["not_interested"]

    rows = read_export(json.dumps(document | {"version": 6}).encode())
    counts = user_export_import(user=user, rows=rows)

    assert rows["not_interested"] == []
    assert not counts.created["not_interested"]
    assert wishes(user) == ({"Cats"}, set())


def test_a_film_turned_down_names_its_film(user):
    document = json.loads(export_json(user))
    document["not_interested"] = [
        {
            "movie_title": None,
            "movie_year": None,
            "movie_tmdb_id": None,
            "movie_imdb_id": None,
            "turned_down_at": timezone.now().isoformat(),
        }
    ]

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=user, rows=read_export(json.dumps(document).encode()))

    assert str(refused.value) == "not_interested row 1: a film turned down names its film"


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
@pytest.mark.parametrize(
    ("turned_down_days_ago", "listed_days_ago", "kept", "not_written"),
    [(2, 1, (set(), {"Cats"}), "not_interested"), (1, 2, ({"Cats"}, set()), "watchlist")],
)
def test_a_file_with_both_wishes_for_a_film_writes_the_later_and_imports_again_unchanged(
    user, other_user, build, turned_down_days_ago, listed_days_ago, kept, not_written
):
    """The admin let a person have both rows: the file's earlier one is not written. It
    used to be written and deleted again (wishes_settled), at every import of the file."""
    now = timezone.now()
    cats = MovieFactory(title="Cats")
    turned_down_at = now - turned_down_days_ago * DAY
    NotInterested.objects.create(user=user, movie=cats, turned_down_at=turned_down_at)
    WatchlistEntry.objects.create(user=user, movie=cats, added_at=now - listed_days_ago * DAY)
    rows = read_export(build(user))
    written = "watchlist" if not_written == "not_interested" else "not_interested"

    counts = user_export_import(user=other_user, rows=rows)

    assert wishes(other_user) == kept
    assert (counts.created[written], counts.created[not_written]) == (1, 0)
    assert counts.outwished_in_file[not_written] == 1
    assert not counts.outwished[not_written]
    assert (
        f"{not_written}: 0 created, 0 updated, 0 unchanged, "
        "1 not written: a later wish in the file says otherwise"
    ) in counts.lines()

    again = user_export_import(user=other_user, rows=rows)

    assert wishes(other_user) == kept
    assert (again.created[written], again.created[not_written]) == (0, 0)
    assert (again.outwished[written], again.outwished[not_written]) == (0, 0)
    assert again.unchanged[written] == 1


def test_a_film_watched_since_the_file_s_entry_stays_turned_down(user, other_user):
    """The file's later wish is an entry not put back, as the film was watched since: it
    settles nothing, and the file's turn-down is written."""
    now = timezone.now()
    cats = MovieFactory(title="Cats")
    NotInterested.objects.create(user=user, movie=cats, turned_down_at=now - 3 * DAY)
    WatchlistEntry.objects.create(user=user, movie=cats, added_at=now - 2 * DAY)
    ViewingHistoryFactory(user=other_user, media__movie=cats, started_at=now - DAY)

    counts = user_export_import(user=other_user, rows=read_export(export_json(user)))

    assert wishes(other_user) == ({"Cats"}, set())
    assert counts.watched_since["watchlist"] == 1
    assert counts.created["not_interested"] == 1
    assert not counts.outwished_in_file["not_interested"]
