"""A person's own data out of Marquee, and back in: feedback, viewing history, ratings.

Two formats hold the same rows with the same columns:

- JSON: one document, {"format": "marquee-user-export", "version": 1, "exported_at",
  "username", "feedback": [...], "history": [...], "ratings": [...]};
- CSV: a .zip of feedback.csv, history.csv and ratings.csv (one file per kind, since their
  columns differ), which any spreadsheet opens.

Every row carries what is needed to rebuild it in another Marquee, even an empty one:
the media item (id, title, type, duration) and the film it is (title, year, TMDB and
IMDb ids), matched there by TMDB id, then IMDb id, then title and year, and created if
missing. Importing is all or nothing, and importing the same export twice changes
nothing the second time. Files saved with a UTF-8 byte-order mark are read as well.
"""

import csv
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.importers.matching import Identity, MatchConflict, MovieIndex
from catalog.models import Movie, RaterKind, Rating
from feedback.models import Media, UserFeedback, ViewingHistory

FORMAT, VERSION = "marquee-user-export", 1
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
    },
    "ratings": {
        **MOVIE_COLUMNS,
        "source": str,
        "value": float,
        "scale_min": float,
        "scale_max": float,
        "rated_at": datetime,
    },
}


class ExportFormatError(Exception):
    """Not a Marquee export, or a row that cannot be imported; one line."""


# --- out ---------------------------------------------------------------------------------


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
    """Every row of the person's data, as plain values: three queries in all."""
    feedback = UserFeedback.objects.for_user(user).order_by("timestamp", "feedback_id")
    history = ViewingHistory.objects.for_user(user).order_by("started_at", "id")
    ratings = (
        Rating.objects.filter(user=user, rater_kind=RaterKind.USER)
        .select_related("movie")
        .order_by("rated_at", "id")
    )
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
    }


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def export_json(user) -> bytes:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "username": user.get_username(),
        **{
            kind: [
                {
                    name: value.isoformat() if isinstance(value, datetime) else value
                    for name, value in row.items()
                }
                for row in rows
            ]
            for kind, rows in export_rows(user).items()
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def export_csv_zip(user) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, rows in export_rows(user).items():
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(COLUMNS[kind])
            writer.writerows([as_text(row[name]) for name in COLUMNS[kind]] for row in rows)
            archive.writestr(f"{kind}.csv", text.getvalue())
    return buffer.getvalue()


# --- in ----------------------------------------------------------------------------------


def typed(value, kind, where: str):
    """A JSON value or a CSV cell as the column's type; "" and null are None."""
    if value is None or value == "":
        return None
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            if value in ("true", "false"):
                return value == "true"
            raise ValueError
        if kind is datetime:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError
            return moment
        if kind is int and isinstance(value, bool | float):
            raise ValueError
        return kind(value)
    except (TypeError, ValueError):
        raise ExportFormatError(f"{where}: {value!r} is not a {kind.__name__}") from None


def read_rows(kind: str, rows, source: str) -> list[dict]:
    columns = COLUMNS[kind]
    result = []
    for number, row in enumerate(rows, start=1):
        where = f"{source} row {number}"
        if not isinstance(row, dict) or set(row) != set(columns):
            raise ExportFormatError(f"{where}: expected the columns {', '.join(columns)}")
        result.append({name: typed(row[name], columns[name], where) for name in columns})
    return result


def text(data: bytes) -> str:
    # Some Windows editors start a UTF-8 file with a byte-order mark; it is not content.
    return data.decode("utf-8-sig")


def read_export(data: bytes) -> dict[str, list[dict]]:
    """The rows of an export, from the bytes of its .json or .zip."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if names != {f"{kind}.csv" for kind in COLUMNS}:
                    raise ExportFormatError(
                        "not a Marquee export: the zip should hold feedback.csv, "
                        "history.csv and ratings.csv"
                    )
                return {
                    kind: read_rows(
                        kind,
                        csv.DictReader(io.StringIO(text(archive.read(f"{kind}.csv")))),
                        f"{kind}.csv",
                    )
                    for kind in COLUMNS
                }
        except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise ExportFormatError(f"not a Marquee export: {exc}") from None
    try:
        document = json.loads(text(data))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExportFormatError("not a Marquee export: neither a .zip nor JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportFormatError(f"not a Marquee export: 'format' should be '{FORMAT}'")
    if document.get("version") != VERSION:
        raise ExportFormatError(f"an export of version {document.get('version')!r}, not {VERSION}")
    return {kind: read_rows(kind, document.get(kind) or [], kind) for kind in COLUMNS}


@dataclass
class ImportCounts:
    """Per kind of row, how many the import created, changed, or found already as they are."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in ("movies", "media", "feedback", "history", "ratings")
        ]


class Importer:
    """Writes the rows of an export as one person's; see user_export_import."""

    def __init__(self, user):
        self.user, self.counts = user, ImportCounts()
        self.index = MovieIndex.load()
        self.media: dict[str, Media] = {}
        self.viewings: dict[tuple[str, datetime], list[ViewingHistory]] = {}

    def movie(self, row: dict, where: str) -> Movie | None:
        if not row["movie_title"]:
            return None
        identity = Identity(
            tmdb_id=row["movie_tmdb_id"],
            imdb_id=row["movie_imdb_id"],
            titles=(row["movie_title"],),
            year=row["movie_year"],
        )
        try:
            pk = self.index.match(identity)
        except MatchConflict as exc:
            raise ExportFormatError(f"{where}: {exc}") from None
        if pk is not None:
            self.counts.unchanged["movies"] += 1
            return Movie(pk=pk)
        movie = Movie(
            title=row["movie_title"],
            year=row["movie_year"],
            tmdb_id=row["movie_tmdb_id"],
            imdb_id=row["movie_imdb_id"],
        )
        save(movie, where)
        self.counts.created["movies"] += 1
        self.index.add(movie.pk, identity)
        return movie

    def media_item(self, row: dict, where: str) -> Media:
        media_id = row["media_id"]
        if media_id in self.media:
            return self.media[media_id]
        media = Media.objects.filter(media_id=media_id).first()
        # A media item is shared by everyone who watched it: one already here is kept.
        if media is not None:
            self.counts.unchanged["media"] += 1
        else:
            media = Media(
                media_id=media_id,
                title=row["media_title"] or "",
                media_type=row["media_type"] or "",
                duration=row["media_duration"],
                movie=self.movie(row, where),
            )
            save(media, where)
            self.counts.created["media"] += 1
        self.media[media_id] = media
        return media

    def feedback(self, row: dict, where: str) -> None:
        media = self.media_item(row, where)
        values = {name: row[name] for name in ("watched_completion", "would_watch_again")}
        values.update(rating=row["rating"], timestamp=row["timestamp"] or timezone.now())
        current = UserFeedback.objects.filter(user=self.user, media=media).first()
        new = UserFeedback(user=self.user, media=media)
        self.write("feedback", current, new, values, where)

    def viewing(self, row: dict, where: str) -> None:
        media = self.media_item(row, where)
        started_at = row["started_at"] or timezone.now()
        values = {"minutes_watched": row["minutes_watched"], "completed": bool(row["completed"])}
        unclaimed = self.unclaimed_viewings(media, started_at)
        current = unclaimed.pop(0) if unclaimed else None
        new = ViewingHistory(user=self.user, media=media, started_at=started_at)
        self.write("history", current, new, values, where)

    def unclaimed_viewings(self, media: Media, started_at: datetime) -> list[ViewingHistory]:
        """The person's viewings of media started then that no earlier row has matched.

        Nothing forbids two viewings with the same media and start, so they are matched
        in order: the n-th such row of the export is the n-th such viewing here, oldest
        first. Every row is kept, and a second import finds each one its own viewing.
        """
        key = (media.pk, started_at)
        if key not in self.viewings:
            self.viewings[key] = list(
                ViewingHistory.objects.filter(
                    user=self.user, media=media, started_at=started_at
                ).order_by("id")
            )
        return self.viewings[key]

    def rating(self, row: dict, where: str) -> None:
        movie = self.movie(row, where)
        if movie is None:
            raise ExportFormatError(f"{where}: a rating names its film")
        values = {name: row[name] for name in ("value", "scale_min", "scale_max", "rated_at")}
        identity = {"user": self.user, "movie_id": movie.pk, "source": row["source"]}
        current = Rating.objects.filter(rater_kind=RaterKind.USER, **identity).first()
        new = Rating(rater_kind=RaterKind.USER, **identity)
        self.write("ratings", current, new, values, where)

    def write(self, kind: str, current, new, values: dict, where: str) -> None:
        """Give the person's row its values: current if there is one, else new; counted."""
        if current is None:
            instance, counts = new, self.counts.created
        elif all(getattr(current, name) == value for name, value in values.items()):
            self.counts.unchanged[kind] += 1
            return
        else:
            instance, counts = current, self.counts.updated
        for name, value in values.items():
            setattr(instance, name, value)
        save(instance, where)
        counts[kind] += 1


def save(instance, where: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise ExportFormatError(f"{where}: {name}: {messages[0]}") from None
    instance.save()


@transaction.atomic
def user_export_import(*, user, rows: dict[str, list[dict]]) -> ImportCounts:
    """Make an export's rows the person's: all of them, or (on an error) none."""
    importer = Importer(user)
    for kind, write in (
        ("feedback", importer.feedback),
        ("history", importer.viewing),
        ("ratings", importer.rating),
    ):
        for number, row in enumerate(rows[kind], start=1):
            write(row, f"{kind} row {number}")
    return importer.counts
