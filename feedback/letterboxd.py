"""A Letterboxd export read: the lines of its five files that matter and its lists
(feedback/letterboxd_lists.py), or one sentence saying why the file is refused whole.
Nothing here touches the database; feedback/letterboxd_import.py writes what is read.

Letterboxd (Settings → Data → Export your data) gives a ZIP of CSV files at its top level.
Browsers and systems often unzip the download, and the person zips the folder again: a
ZIP whose files all sit in one folder is read as if they were at its top. watched.csv,
ratings.csv, diary.csv, reviews.csv and watchlist.csv are read, and each list under
lists/; the others (profile, comments, likes, deleted) are not. A line that cannot be
read (a bad date, a rating outside 0.5-5, a missing column, text that is not CSV) is
rejected as `file:line: reason`, and the rest is read.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from catalog.importers.report import quoted
from feedback.letterboxd_csv import FilmLine, cells_read, date_read, records_of, year_read
from feedback.letterboxd_lists import LetterboxdList, is_list_file, list_read
from feedback.service_zips import ServiceZip

FILM = ["Date", "Name", "Year"]
# The columns each file must have: those read (docs/imports.md), in any order. Others
# (Tags, Rewatch, a file's own link) are ignored, and need not be there: a file a person
# cut down to what Marquee reads is read.
COLUMNS = {
    "diary.csv": [*FILM, "Rating", "Watched Date"],
    "ratings.csv": [*FILM, "Rating"],
    "reviews.csv": [*FILM, "Rating", "Review"],
    "watched.csv": FILM,
    "watchlist.csv": FILM,
}
# Read when there: a diary entry's own link, which tells two entries of a film and day
# apart, and finds the entry's viewing again wherever it was moved (feedback.import_keys).
# Without it, such lines are one entry (LetterboxdImport.viewings_planned).
OPTIONAL_COLUMNS = {"diary.csv": ["Letterboxd URI"]}
# Letterboxd's exports are a few megabytes, years of diary included: a ZIP whose files
# expand past this is not an export but a mistake or a zip bomb, and is not read further.
MAX_UNZIPPED = 50 * 1024**2
HALF_STARS = {Decimal(halves) / 2 for halves in range(1, 11)}

NO_FILES_MESSAGE = (
    "This ZIP holds none of diary.csv, ratings.csv, reviews.csv, watched.csv and "
    "watchlist.csv: it is not a Letterboxd export."
)


class LetterboxdFormatError(Exception):
    """The file is refused whole; one sentence."""


@dataclass(frozen=True)
class Line(FilmLine):
    """One line of a file: a film, named as Letterboxd names it, and what it says of it."""

    date: date
    rating: Decimal | None = None
    watched_on: date | None = None
    review: str = ""
    # The line's Letterboxd URI: a diary entry's own link, which no other entry has.
    uri: str = ""


@dataclass
class LetterboxdExport:
    lines: dict[str, list[Line]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    lists: list[LetterboxdList] = field(default_factory=list)


def letterboxd_read(data: bytes) -> LetterboxdExport:
    """The export's lines by file, and its rejected ones; LetterboxdFormatError for a file
    that is not a Letterboxd export at all."""
    export = LetterboxdExport()
    with ServiceZip(
        data, service="Letterboxd", limit=MAX_UNZIPPED, refused=LetterboxdFormatError
    ) as archive:
        names, folder = set(archive.files()), archive.folder()
        present = [name for name in COLUMNS if folder + name in names]
        if not present:
            raise LetterboxdFormatError(NO_FILES_MESSAGE)
        for name in present:
            export.lines[name] = file_lines(name, text_of(archive, folder, name), export.rejected)
        for path in archive.files():  # the ZIP's order, which is Letterboxd's
            if is_list_file(path, folder):
                name = path.removeprefix(folder)
                text = text_of(archive, folder, name)
                if film_list := list_read(name, text, export.rejected):
                    export.lists.append(film_list)
    return export


def text_of(archive: ServiceZip, folder: str, name: str) -> str:
    try:
        return archive.read(folder + name).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LetterboxdFormatError(f"{name} is not UTF-8 text.") from None


def file_lines(name: str, text: str, rejected: list[str]) -> list[Line]:
    """The file's readable lines; the others go to `rejected`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return []
    missing = [column for column in COLUMNS[name] if column not in header]
    if missing:
        rejected.append(f"{name}:1: no column {', '.join(missing)}: the file was not read")
        return []
    read = [*COLUMNS[name], *(c for c in OPTIONAL_COLUMNS.get(name, []) if c in header)]
    positions = {column: header.index(column) for column in read}
    lines = []
    for number, cells in records_of(reader):
        try:
            lines.append(line_read(name, number, cells, positions))
        except ValueError as exc:
            rejected.append(f"{name}:{number}: {exc}")
    return lines


def line_read(name: str, number: int, cells: list[str], positions: dict[str, int]) -> Line:
    """One line as a Line; ValueError with the reason for one that cannot be."""
    row = cells_read(cells, positions)
    film_name = row["Name"].strip()
    if not film_name:
        raise ValueError("no film name")
    rating = rating_read(row.get("Rating", ""), required=name == "ratings.csv")
    watched_on = None
    if name == "diary.csv":
        watched_on = date_read(row["Watched Date"], "Watched Date")
    return Line(
        file=name,
        number=number,
        name=film_name,
        year=year_read(row["Year"]),
        date=date_read(row["Date"], "Date"),
        rating=rating,
        watched_on=watched_on,
        review=row.get("Review", ""),
        uri=row.get("Letterboxd URI", "").strip(),
    )


def rating_read(raw: str, *, required: bool) -> Decimal | None:
    """Letterboxd's stars: 0.5 to 5 in half steps; blank (not rated) where allowed."""
    raw = raw.strip()
    if not raw and not required:
        return None
    try:
        stars = Decimal(raw)
    except InvalidOperation:
        stars = None
    if stars is None or not stars.is_finite() or stars not in HALF_STARS:
        raise ValueError(f"Rating {quoted(raw)} is not between 0.5 and 5 in half stars")
    return stars
