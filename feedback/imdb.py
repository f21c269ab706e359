"""IMDb's exports read: the rows of a ratings and a watchlist export that matter, or one
sentence saying why a file is refused whole. Nothing here touches the database;
feedback/imdb_import.py writes what is read.

IMDb gives each list as its own CSV file (Your Ratings → Export, Watchlist → Export),
UTF-8, sometimes with a byte-order mark. The two are told apart by their first line, not
by their names or the order they come in, and their columns are read by name: IMDb has
added columns before (Original Title), and may again. A row that cannot be read (a bad
date, a rating outside 1-10, a missing column) is rejected as `file:line: reason`, and
the rest is read; a row for a TV series, an episode, a game or a podcast is skipped and
counted, as Marquee's catalog holds films only. A watchlist row says too what the person
rated of the films on the list (Your Rating, Date Rated), read as the ratings row would
be; blank where they did not rate the film.
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from catalog.importers.reading import text_problem
from catalog.importers.report import quoted
from catalog.models.movies import IMDB_ID_PATTERN
from feedback.letterboxd import Line
from feedback.letterboxd_csv import date_read, year_read

# The columns read; IMDb's exports have more (its own rating, runtime, genres...).
FILM = ["Const", "Title", "Title Type", "Year"]
RATINGS_COLUMNS = [*FILM, "Your Rating", "Date Rated"]
WATCHLIST_COLUMNS = [*FILM, "Position", "Created"]
# Read where given: the older ratings export lacks Original Title, and the watchlist's
# Your Rating and Date Rated are blank for a film not rated.
OPTIONAL_COLUMNS = ["Original Title", "Your Rating", "Date Rated"]
# The rows are handed to the Letterboxd import's rules (feedback/letterboxd_import.py)
# under the names of the Letterboxd files that say the same.
RATINGS, WATCHLIST = "ratings.csv", "watchlist.csv"
KIND_NAMES = {RATINGS: "ratings", WATCHLIST: "watchlist"}
# IMDb's Title Type, lower-cased without spaces: the older exports wrote "tvMovie", the
# newer "TV Movie". Everything else (series, episodes, games, podcasts) is not a film.
FILM_TYPES = {"movie", "tvmovie", "short", "tvshort", "video"}
IMDB_RATING = re.compile(r"^[0-9]{1,2}$")
IMDB_ID = re.compile(IMDB_ID_PATTERN)

NOT_AN_EXPORT = "it is not an IMDb ratings or watchlist export"


class ImdbFormatError(Exception):
    """A file is refused whole, and with it the import; one sentence."""


@dataclass(frozen=True)
class ImdbLine(Line):
    """A Letterboxd line with what IMDb says besides: its id, the original title, and, for
    a watchlist row of a film the person rated, the day they rated it (the rating is
    `rating`, the day listed `date`)."""

    imdb_id: str = ""
    original_title: str = ""
    rated_on: date | None = None

    @property
    def film(self) -> tuple[str, str, str, int | None]:
        # Two rows name the same film when their ids are the same, whatever their titles.
        return self.imdb_id, self.name, self.original_title, self.year


@dataclass
class ImdbExport:
    lines: dict[str, list[ImdbLine]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    not_films: int = 0  # rows skipped: a series, an episode, a game...


def imdb_read(files: Sequence[tuple[str, bytes]]) -> ImdbExport:
    """The rows of each file (name, bytes) by kind, and the rejected ones; ImdbFormatError
    for a file that is not an IMDb ratings or watchlist export, or two of one kind."""
    export = ImdbExport()
    for given_name, data in files:
        name = PurePath(given_name).name or "export.csv"  # an upload may come unnamed
        header, rows = csv_rows(name, data)
        kind = kind_of(name, header)
        if kind in export.lines:
            raise ImdbFormatError(
                f"Both files are IMDb {KIND_NAMES[kind]} exports: give one ratings "
                "export and one watchlist export."
            )
        export.lines[kind] = file_lines(name, kind, header, rows, export)
    return export


def csv_rows(name: str, data: bytes):
    """The file's first line, and a reader of the rest."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImdbFormatError(f"{name} is not UTF-8 text: {NOT_AN_EXPORT}.") from None
    if not text.strip():
        raise ImdbFormatError(f"{name} is empty: {NOT_AN_EXPORT}.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
    except csv.Error:
        raise ImdbFormatError(
            f"{name} is not an IMDb ratings or watchlist export: its first line is not CSV."
        ) from None
    return header, reader


def kind_of(name: str, header: list[str]) -> str:
    # The watchlist's header holds the ratings' columns too (a listed film may be rated).
    for kind, columns in ((WATCHLIST, WATCHLIST_COLUMNS), (RATINGS, RATINGS_COLUMNS)):
        if all(column in header for column in columns):
            return kind
    raise ImdbFormatError(
        f"{name} is not an IMDb ratings or watchlist export: its first line lacks their columns."
    )


def file_lines(name: str, kind: str, header: list[str], reader, export: ImdbExport):
    """The file's readable rows; the others go to `export.rejected`, or are counted in
    `export.not_films`."""
    lines = []
    while True:
        number = reader.line_num + 1  # where the record starts: a quoted cell may span lines
        try:
            cells = next(reader)
        except StopIteration:
            return lines
        except csv.Error as exc:
            export.rejected.append(f"{name}:{number}: not CSV ({exc})")
            continue
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, as editors leave at the end
        try:
            line = line_read(name, kind, number, dict(zip(header, cells, strict=False)))
        except ValueError as exc:
            export.rejected.append(f"{name}:{number}: {exc}")
            continue
        if line is None:
            export.not_films += 1
        else:
            lines.append(line)


def line_read(name: str, kind: str, number: int, row: dict[str, str]) -> ImdbLine | None:
    """One row as an ImdbLine, or None for a title that is not a film; ValueError with
    the reason for a row that cannot be read."""
    columns = RATINGS_COLUMNS if kind == RATINGS else WATCHLIST_COLUMNS
    if absent := [column for column in columns if column not in row]:
        raise ValueError(f"no {', '.join(absent)}: the line is missing columns")
    # Only the columns read: a stray byte in a director's name does not cost the rating.
    for column in dict.fromkeys([*columns, *OPTIONAL_COLUMNS]):
        if problem := text_problem(row.get(column, "")):
            raise ValueError(f"{column} {problem}")
    title_type = row["Title Type"].strip()
    if not title_type:
        raise ValueError("no Title Type")
    if title_type.lower().replace(" ", "") not in FILM_TYPES:
        return None
    imdb_id = row["Const"].strip()
    if not IMDB_ID.match(imdb_id):
        raise ValueError(f"Const {quoted(imdb_id)} is not an IMDb id (tt and 7 to 10 digits)")
    title = row["Title"].strip()
    if not title:
        raise ValueError("no title")
    year = year_read(row["Year"])
    rated_on = None
    if kind == RATINGS:
        rating, day = rating_read(row["Your Rating"]), date_read(row["Date Rated"], "Date Rated")
    else:
        day = date_read(row["Created"], "Created")
        rating, rated_on = listed_rating(row)
    return ImdbLine(
        file=name,
        number=number,
        name=title,
        year=year,
        date=day,
        rating=rating,
        imdb_id=imdb_id,
        original_title=row.get("Original Title", "").strip(),
        rated_on=rated_on,
    )


def listed_rating(row: dict[str, str]) -> tuple[Decimal | None, date | None]:
    """A watchlist row's rating and the day it was given; none for a film not rated."""
    if not row.get("Your Rating", "").strip():
        return None, None
    return rating_read(row["Your Rating"]), date_read(row.get("Date Rated", ""), "Date Rated")


def rating_read(raw: str, column: str = "Your Rating") -> Decimal:
    """IMDb's 1 to 10, as the stars out of 5 it means (7 is 3.5): the import rounds half
    stars up, as it does Letterboxd's. Trakt's ratings are the same scale (feedback/trakt.py),
    named by its own `column`."""
    raw = raw.strip()
    if not IMDB_RATING.match(raw) or not 1 <= int(raw) <= 10:
        raise ValueError(f"{column} {quoted(raw)} is not a whole number from 1 to 10")
    return Decimal(int(raw)) / 2
