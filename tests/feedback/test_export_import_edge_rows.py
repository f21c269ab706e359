"""Rows of an export that once ended the import in a traceback, or in a difference between
the two databases, now refused on one line or read alike: an item numbered as a film this
import just gave its own item, a row naming no item, an offset no zone has, JSON past
what Python reads."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_json
from feedback.models import UserFeedback
from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    MediaFactory,
    MovieFactory,
    RecommendationLogFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

KINDS = ("feedback", "history", "ratings", "watchlist", "recommendations", "reviews")
MORE_KINDS = ("settings", "lists", "list_entries")


def export(**rows) -> dict:
    document = {"format": "marquee-user-export", "version": 6, "username": "src"}
    document["exported_at"] = "2026-11-24T11:20:49+00:00"
    return document | {kind: rows.get(kind, []) for kind in KINDS + MORE_KINDS}


def feedback_row(media_id, *, film: dict | None = None, timestamp="2024-02-02T10:00:00+00:00"):
    film = film or {}
    return {
        "media_id": media_id,
        "media_title": film.get("movie_title") or "Home video",
        "media_type": "movie" if film else "other",
        "media_duration": None,
        "movie_title": film.get("movie_title"),
        "movie_year": film.get("movie_year"),
        "movie_tmdb_id": film.get("movie_tmdb_id"),
        "movie_imdb_id": None,
        "watched_completion": True,
        "would_watch_again": None,
        "rating": 4,
        "timestamp": timestamp,
    }


def imported(tmp_path, data: bytes):
    path = tmp_path / "export.json"
    path.write_bytes(data)
    call_command(
        "import_user_export", str(path), "--user", "back", "--create-user", stdout=io.StringIO()
    )


def refusal(tmp_path, data: bytes) -> str:
    with pytest.raises(CommandError) as refused:
        imported(tmp_path, data)
    message = str(refused.value)
    assert "\n" not in message
    assert not get_user_model().objects.exists()
    return message


def test_an_item_numbered_as_a_film_given_its_own_item_here_is_refused(tmp_path):
    """Both Marquees number their films from 1: the other's item of a film deleted there
    may have the id this import has just given Heat's own item."""
    heat = MovieFactory(title="Heat", year=1995, tmdb_id=949)
    film = {"movie_title": "Heat", "movie_year": 1995, "movie_tmdb_id": 949}
    document = export(
        feedback=[
            feedback_row("marquee:movie:999999", film=film),
            feedback_row(f"marquee:movie:{heat.pk}"),
        ]
    )

    message = refusal(tmp_path, json.dumps(document).encode())

    assert message == (
        f"export.json: feedback row 2: media_id 'marquee:movie:{heat.pk}' is “Heat” here, "
        "an item of another Marquee's film"
    )


@pytest.mark.parametrize("media_id", ["", None])
def test_a_row_naming_no_item_is_refused(tmp_path, media_id):
    document = export(feedback=[feedback_row(media_id)])

    assert refusal(tmp_path, json.dumps(document).encode()) == (
        "export.json: feedback row 1: media_id is empty: each row names its media item"
    )


def test_an_offset_no_zone_has_is_read_as_its_moment_on_both_databases(tmp_path):
    """Python reads offsets up to a day; PostgreSQL refused one past 15:59 with a traceback
    where SQLite took it. The moment is what is kept."""
    document = export(feedback=[feedback_row("plex:1", timestamp="2024-06-01T00:00:00+20:00")])

    imported(tmp_path, json.dumps(document).encode())

    stored = UserFeedback.objects.get().timestamp
    assert stored.isoformat() == "2024-05-31T04:00:00+00:00"


@pytest.mark.parametrize(
    "text",
    ['{"format": ' + "1" * 5000 + "}", "[" * 100_000 + "]" * 100_000],
    ids=["integer-of-5000-digits", "nested-100000-deep"],
)
def test_json_past_what_python_reads_is_refused_as_no_export(tmp_path, text):
    assert refusal(tmp_path, text.encode()).startswith("export.json: not a Marquee export")


# A file edited by hand, a date left empty: the import dates a new row now, and a second
# import found the same row "updated" to its own now, or a viewing again.

DATES = {
    "feedback": "timestamp",
    "watchlist": "added_at",
    "recommendations": "shown_at",
    "lists": "updated_at",
    "list_entries": "added_at",
}


def test_a_date_left_empty_is_dated_once_and_a_second_import_changes_nothing(user):
    film = MovieFactory(title="Heat", year=1995, tmdb_id=949)
    UserFeedbackFactory(user=user, media=MediaFactory(movie=film))
    WatchlistEntryFactory(user=user)
    RecommendationLogFactory(user=user)
    FilmListEntryFactory(film_list=FilmListFactory(user=user, name="Best of"))
    rows = read_export(export_json(user))
    for kind, column in DATES.items():
        assert rows[kind], kind
        for row in rows[kind]:
            row[column] = None
    back = UserFactory()

    user_export_import(user=back, rows=rows)
    again = user_export_import(user=back, rows=rows)

    assert not +again.created, again.created
    assert not +again.updated, again.updated


def test_a_viewing_without_its_start_is_refused(user):
    ViewingHistoryFactory(user=user)
    rows = read_export(export_json(user))
    rows["history"][0]["started_at"] = None

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows)

    assert str(refused.value) == (
        "history row 1: started_at is empty: a viewing is found again by when it started"
    )
