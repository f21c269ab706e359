"""A person's own data out of Marquee: feedback, viewing history, ratings, watchlist, the
recommendations Marquee showed them, the reviews they wrote, their settings (the time
zone their pages use), their lists of films with the films on each, in order, and the
films they turned down ("Not interested").

Two formats hold the same rows with the same columns:

- JSON: one document, {"format": "marquee-user-export", "version": 8, "exported_at",
  "username", "feedback": [...], "history": [...], "ratings": [...], "watchlist": [...],
  "recommendations": [...], "reviews": [...], "settings": [...], "lists": [...],
  "list_entries": [...], "not_interested": [...]};
- CSV: a .zip of feedback.csv, history.csv, ratings.csv, watchlist.csv,
  recommendations.csv, reviews.csv, settings.csv, lists.csv, list_entries.csv and
  not_interested.csv (one file per kind, since their columns differ), which any
  spreadsheet opens, Excel included (BYTE_ORDER_MARK), without running a text as a
  formula (csv_cell).

The settings are one row, so that they travel as the other kinds do, in both formats.
A list's films are rows of their own, each naming its list (list_name, unique per
person in any case) and its position, list by list and in order: flat, as every other
kind, so that the JSON and the CSV hold the same rows.

Version 1 was the same without the watchlist, version 2 without the recommendations,
version 3 without the reviews, version 4 without the settings, version 5 without the
lists, version 6 without the films turned down, version 7 without a viewing's import key
(the Letterboxd or Trakt line it came from, LATER_COLUMNS); their exports still import
(KINDS_OF_VERSION), leaving what they do not hold as it is. The version goes up with
each new kind of row or column so that a Marquee that does not know it refuses a new
export in so many words, rather than import it without them, saying nothing.

Every row carries what is needed to rebuild it in another Marquee, even an empty one:
the media item (id, title, type, duration) and the film it is (title, year, TMDB and
IMDb ids), matched there by TMDB id, then IMDb id, then title and year, and created if
missing. Reading an export back in is feedback/export_reading.py, writing its rows
feedback/export_import.py.
"""

import csv
import io
import json
import uuid
import zipfile
from datetime import datetime

from django.utils import timezone

from catalog.models import Movie, RaterKind, Rating, Review
from feedback.models import (
    FilmList,
    FilmListEntry,
    Media,
    NotInterested,
    UserFeedback,
    ViewingHistory,
    WatchlistEntry,
)
from feedback.time_zones import time_zone_of
from recommendations.models import RecommendationLog

FORMAT, VERSION = "marquee-user-export", 8
MOVIE_COLUMNS = {"movie_title": str, "movie_year": int, "movie_tmdb_id": int, "movie_imdb_id": str}
MEDIA_COLUMNS = {"media_id": str, "media_title": str, "media_type": str, "media_duration": int}
COLUMNS = {
    "feedback": {
        **MEDIA_COLUMNS,
        **MOVIE_COLUMNS,
        "watched_completion": bool,
        "would_watch_again": bool,
        "rating": int,
        "timestamp": datetime,
    },
    "history": {
        **MEDIA_COLUMNS,
        **MOVIE_COLUMNS,
        "started_at": datetime,
        "minutes_watched": int,
        "completed": bool,
        "import_key": str,
    },
    "ratings": {
        **MOVIE_COLUMNS,
        "source": str,
        "value": float,
        "scale_min": float,
        "scale_max": float,
        "rated_at": datetime,
    },
    "watchlist": {
        **MOVIE_COLUMNS,
        "added_at": datetime,
    },
    # A pick of a slate: shown_at is the log's timestamp; the slate id and the type (its
    # slot: primary, backup, wildcard) find it again, as no slate holds a slot twice.
    "recommendations": {
        **MEDIA_COLUMNS,
        **MOVIE_COLUMNS,
        "shown_at": datetime,
        "slate_id": uuid.UUID,
        "recommendation_type": str,
        "score": float,
        "reason": str,
        "engine_version": str,
        "selected": bool,
    },
    # A review the person wrote; one per film, so the film finds it again.
    "reviews": {
        **MOVIE_COLUMNS,
        "text": str,
        "contains_spoilers": bool,
        "posted_at": datetime,
        "edited_at": datetime,
    },
    # The person's settings, one row: their time zone, "" for the site's.
    "settings": {
        "time_zone": str,
    },
    "lists": {
        "name": str,
        "description": str,
        "created_at": datetime,
        "updated_at": datetime,
    },
    "list_entries": {
        "list_name": str,
        "position": int,
        **MOVIE_COLUMNS,
        "note": str,
        "added_at": datetime,
    },
    "not_interested": {
        **MOVIE_COLUMNS,
        "turned_down_at": datetime,
    },
}
# A CSV export's files, one per kind of row, in the zip's order: what export_csv_zip
# writes, and what export_user and the import say it holds.
CSV_FILES = {kind: f"{kind}.csv" for kind in COLUMNS}
# The kinds of rows each version of the format holds: the first so many of COLUMNS, which
# lists them in the order they came. The watchlist came with version 2, the
# recommendations with version 3, the reviews with version 4, the settings with 5, the
# lists (and their films) with 6, the films turned down with 7.
KINDS_OF_VERSION = {
    version: tuple(COLUMNS)[:count]
    for version, count in {1: 3, 2: 4, 3: 5, 4: 6, 5: 7, 6: 9, 7: 10, 8: 10}.items()
}
# The columns that came after their kind, with the version that brought each: an older
# export's rows are without them.
LATER_COLUMNS = {"history": {"import_key": 8}}


def columns_of(kind: str, version: int) -> dict:
    """The columns of a kind's rows in an export of that version."""
    later = LATER_COLUMNS.get(kind, {})
    return {
        name: column
        for name, column in COLUMNS[kind].items()
        if later.get(name, version) <= version
    }


def movie_columns(movie: Movie | None) -> dict:
    if movie is None:
        return dict.fromkeys(MOVIE_COLUMNS)
    return {
        "movie_title": movie.title,
        "movie_year": movie.year,
        "movie_tmdb_id": movie.tmdb_id,
        "movie_imdb_id": movie.imdb_id,
    }


def media_columns(media: Media) -> dict:
    return {
        "media_id": media.media_id,
        "media_title": media.title,
        "media_type": media.media_type,
        "media_duration": media.duration,
    }


def export_rows(user) -> dict[str, list[dict]]:
    """Every row of the person's data, as plain values: ten queries in all."""
    feedback = UserFeedback.objects.for_user(user).order_by("timestamp", "feedback_id")
    history = ViewingHistory.objects.for_user(user).order_by("started_at", "id")
    ratings = (
        Rating.objects.filter(user=user, rater_kind=RaterKind.USER)
        .select_related("movie")
        .order_by("rated_at", "id")
    )
    watchlist = WatchlistEntry.objects.for_user(user).order_by("added_at", "id")
    recommendations = RecommendationLog.objects.for_export(user)
    reviews = Review.objects.for_export(user)
    lists = FilmList.objects.filter(user=user).order_by("created_at", "id")
    list_entries = (
        FilmListEntry.objects.filter(film_list__user=user)
        .select_related("film_list", "movie")
        .order_by("film_list__created_at", "film_list_id", "position")
    )
    not_interested = NotInterested.objects.for_user(user).order_by("turned_down_at", "id")
    return {
        "feedback": [
            {
                **media_columns(row.media),
                **movie_columns(row.media.movie),
                "watched_completion": row.watched_completion,
                "would_watch_again": row.would_watch_again,
                "rating": row.rating,
                "timestamp": row.timestamp,
            }
            for row in feedback
        ],
        "history": [
            {
                **media_columns(row.media),
                **movie_columns(row.media.movie),
                "started_at": row.started_at,
                "minutes_watched": row.minutes_watched,
                "completed": row.completed,
                "import_key": row.import_key,
            }
            for row in history
        ],
        "ratings": [
            {
                **movie_columns(row.movie),
                "source": row.source,
                "value": row.value,
                "scale_min": row.scale_min,
                "scale_max": row.scale_max,
                "rated_at": row.rated_at,
            }
            for row in ratings
        ],
        "watchlist": [{**movie_columns(row.movie), "added_at": row.added_at} for row in watchlist],
        "recommendations": [
            {
                **media_columns(row.media),
                **movie_columns(row.media.movie),
                "shown_at": row.timestamp,
                "slate_id": row.slate_id,
                "recommendation_type": row.recommendation_type,
                "score": row.score,
                "reason": row.reason,
                "engine_version": row.engine_version,
                "selected": row.selected,
            }
            for row in recommendations
        ],
        "reviews": [
            {
                **movie_columns(row.movie),
                "text": row.text,
                "contains_spoilers": row.contains_spoilers,
                "posted_at": row.posted_at,
                "edited_at": row.edited_at,
            }
            for row in reviews
        ],
        "settings": [{"time_zone": time_zone_of(user)}],
        "lists": [
            {
                "name": row.name,
                "description": row.description,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
            }
            for row in lists
        ],
        "list_entries": [
            {
                "list_name": row.film_list.name,
                "position": row.position,
                **movie_columns(row.movie),
                "note": row.note,
                "added_at": row.added_at,
            }
            for row in list_entries
        ],
        "not_interested": [
            {**movie_columns(row.movie), "turned_down_at": row.turned_down_at}
            for row in not_interested
        ],
    }


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(as_json(value))


def as_json(value):
    """A value as JSON holds it: a time in ISO 8601 with its zone, a slate id as text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


# OWASP's defence against CSV injection: a spreadsheet runs a cell that starts with one of
# these as a formula (=HYPERLINK(...), =cmd|...), so such a text cell gets a quote in front,
# which spreadsheets show as "this is text". A text that starts with a quote itself gets one
# too: the import then takes exactly one leading quote off every text cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def csv_cell(value, kind) -> str:
    """A value as its CSV cell; a text column's cell never starts a formula."""
    text = as_text(value)
    if kind is str and text.startswith((*FORMULA_STARTS, TEXT_MARK)):
        return TEXT_MARK + text
    return text


def csv_text(cell: str) -> str:
    """A text column's cell of an export read back: what csv_cell was given."""
    return cell.removeprefix(TEXT_MARK)


def export_json(user) -> bytes:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "username": user.get_username(),
        **{
            kind: [{name: as_json(value) for name, value in row.items()} for row in rows]
            for kind, rows in export_rows(user).items()
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


# Excel reads a CSV file without a byte-order mark in the machine's code page, so that
# "Amélie" opens as "AmÃ©lie"; with one it reads UTF-8. Every other spreadsheet, Python's
# "utf-8-sig" and Marquee's own import (export_reading.text) take the mark as no content.
BYTE_ORDER_MARK = "\ufeff"


def export_csv_zip(user) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, rows in export_rows(user).items():
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(COLUMNS[kind])
            columns = COLUMNS[kind]
            writer.writerows(
                [csv_cell(row[name], columns[name]) for name in columns] for row in rows
            )
            archive.writestr(CSV_FILES[kind], BYTE_ORDER_MARK + text.getvalue())
    return buffer.getvalue()
