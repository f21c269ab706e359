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
from tests.factories import MovieFactory, NotInterestedFactory, WatchlistEntryFactory

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
