"""The lists of a Letterboxd export read: each CSV file under `lists/` one list, or one
line saying why the file is refused. Nothing here touches the database;
feedback/letterboxd_list_import.py writes what is read.

Letterboxd writes each list as a file of two parts (versions 5 to 7 alike):

    Letterboxd list export v7
    Date,Name,Tags,URL,Description
    2023-01-05,Best of 2023,,https://boxd.it/abcd,"My favourites, in order"

    Position,Name,Year,URL,Description
    1,Past Lives,2023,https://boxd.it/xyz1,the note for this film

A format line, the list (its header and its one row), then its films. The list's Name
and Description are read, and its Date (the day it was made on Letterboxd) when there,
and each film's Name, Year, Description (its note) and Position when there: an unranked
list leaves it empty or out, and is in the file's order, as is a list where some film
has none. A Date that is no day, or one before 1888 or after tomorrow, refuses the file
as the other files' dates refuse their line.
A file of another shape is refused whole, as `file:line: reason: the file was not read`;
a film's line that cannot be read is refused alone, as the other files' lines are.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from catalog.importers.report import quoted
from feedback.letterboxd_csv import FilmLine, cells_read, date_read, records_of, year_read

FOLDER = "lists/"
FORMAT_LINE = re.compile(r"Letterboxd list export v\d+")
LIST_COLUMNS = ["Name", "Description"]
# Letterboxd writes it; a file cut down by hand without it is read, its list dated by
# the import.
LIST_OPTIONAL_COLUMNS = ["Date"]
ENTRY_COLUMNS = ["Name", "Year"]
ENTRY_OPTIONAL_COLUMNS = ["Position", "Description"]
NOT_READ = "the file was not read"


def not_read(refusal: str) -> str:
    """`file:line: reason: the file was not read`, the reason's own full stop left out
    (the lists' rules say "Give the list a name.")."""
    return f"{refusal.rstrip('.')}: {NOT_READ}"


@dataclass(frozen=True)
class ListEntry(FilmLine):
    """A film of a list, named as Letterboxd names it, with the list's note on it."""

    note: str = ""
    position: int | None = None


@dataclass
class LetterboxdList:
    file: str
    number: int  # the list's own line, where a name refused is reported
    name: str
    description: str
    made_on: date | None = None  # the file's Date
    entries: list[ListEntry] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.number}"


class FileRefused(Exception):
    """The list file is not read; `file:line: reason`."""


def is_list_file(name: str, folder: str) -> bool:
    """Whether a file of the ZIP is one of its lists: a CSV right under `lists/`."""
    inside = name.removeprefix(folder + FOLDER)
    return inside != name and "/" not in inside and inside.lower().endswith(".csv")


def list_read(name: str, text: str, rejected: list[str]) -> LetterboxdList | None:
    """The file's list and its readable films, the others' lines in `rejected`; None,
    with its reason there, for a file of another shape."""
    records = records_of(csv.reader(io.StringIO(text, newline=""), strict=True))
    try:
        film_list = list_head(name, records)
    except FileRefused as refused:
        rejected.append(not_read(str(refused)))
        return None
    entries = []
    for number, cells in records:
        try:
            entries.append(entry_read(name, number, cells, film_list.positions))
        except ValueError as exc:
            rejected.append(f"{name}:{number}: {exc}")
    ranked = entries and all(entry.position is not None for entry in entries)
    if ranked:
        entries.sort(key=lambda entry: (entry.position, entry.number))
    return LetterboxdList(
        file=name,
        number=film_list.number,
        name=film_list.name,
        description=film_list.description,
        made_on=film_list.made_on,
        entries=entries,
    )


@dataclass
class ListHead:
    number: int
    name: str
    description: str
    made_on: date | None
    positions: dict[str, int]  # the films' columns read, by where they are


def list_head(name: str, records) -> ListHead:
    """The format line, the list's header and row, and the films' header (none for a
    list without films); FileRefused for a file whose shape is another."""
    number, cells = next(records, (1, []))
    if (
        isinstance(cells, csv.Error)
        or len(cells) != 1
        or not FORMAT_LINE.fullmatch(cells[0].strip())
    ):
        raise FileRefused(f"{name}:{number}: not a Letterboxd list (“Letterboxd list export”)")
    number, cells = next(records, (number + 1, None))
    positions = header_read(name, number, cells, LIST_COLUMNS, optional=LIST_OPTIONAL_COLUMNS)
    number, cells = next(records, (number + 1, None))
    if cells is None:
        raise FileRefused(f"{name}:{number}: no list under its header")
    row = row_read(name, number, cells, positions)
    made_on = None
    if "Date" in row:
        try:
            made_on = date_read(row["Date"], "Date")
        except ValueError as exc:
            raise FileRefused(f"{name}:{number}: {exc}") from None
    head = ListHead(number, row["Name"], row["Description"], made_on, {})
    films_at, cells = next(records, (number + 1, None))
    if cells is not None:  # else a list without films
        head.positions = header_read(
            name, films_at, cells, ENTRY_COLUMNS, optional=ENTRY_OPTIONAL_COLUMNS
        )
    return head


def header_read(
    name: str, number: int, cells, required: list[str], optional: list[str] = ()
) -> dict[str, int]:
    """The line as a header with the `required` columns: where each column read is."""
    if cells is None:
        raise FileRefused(f"{name}:{number}: no header ({', '.join(required)})")
    if isinstance(cells, csv.Error):
        raise FileRefused(f"{name}:{number}: not CSV ({cells})")
    cells = [cell.strip() for cell in cells]
    if missing := [column for column in required if column not in cells]:
        raise FileRefused(f"{name}:{number}: no column {', '.join(missing)}")
    read = [*required, *(column for column in optional if column in cells)]
    return {column: cells.index(column) for column in read}


def row_read(name: str, number: int, cells, positions: dict[str, int]) -> dict[str, str]:
    """The list's row; FileRefused for one that cannot be read."""
    try:
        return cells_read(cells, positions)
    except ValueError as exc:
        raise FileRefused(f"{name}:{number}: {exc}") from None


def entry_read(name: str, number: int, cells, positions: dict[str, int]) -> ListEntry:
    """A film's line; ValueError with the reason for one that cannot be read."""
    row = cells_read(cells, positions)
    film_name = row["Name"].strip()
    if not film_name:
        raise ValueError("no film name")
    return ListEntry(
        file=name,
        number=number,
        name=film_name,
        year=year_read(row["Year"]),
        note=row.get("Description", "").strip(),
        position=position_read(row.get("Position", "")),
    )


def position_read(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        raise ValueError(f"Position {quoted(raw)} is not a number")
    return int(raw)
