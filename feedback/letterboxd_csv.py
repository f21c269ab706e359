"""What reading a Letterboxd CSV file takes, whichever file (feedback/letterboxd.py's
five, feedback/letterboxd_lists.py's lists): its lines that are not blank, where each
starts, the columns read of each, the film it names, and its days."""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from catalog.bounds import BEFORE_FIRST_FILM_MESSAGE, FIRST_FILM, IN_THE_FUTURE_MESSAGE
from catalog.importers.reading import text_problem
from catalog.importers.report import quoted

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FilmLine:
    """A line naming a film as Letterboxd names it, by its title and year."""

    file: str
    number: int
    name: str
    year: int | None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.number}"

    @property
    def film(self) -> tuple[str, int | None]:
        return self.name, self.year


def records_of(reader) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Each line that is not blank (as editors leave at the end), by where it starts, or
    the error of one that is not CSV, after which the reader goes on."""
    while True:
        number = reader.line_num + 1  # where the record starts: a review spans lines
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield number, exc
            continue
        if any(cell.strip() for cell in cells):
            yield number, cells


def cells_read(cells: list[str] | csv.Error, positions: dict[str, int]) -> dict[str, str]:
    """The line's columns read, by name; ValueError with the reason for a line that is
    not CSV, lacks one of them, or holds text no column can."""
    if isinstance(cells, csv.Error):
        raise ValueError(f"not CSV ({cells})")
    if len(cells) <= max(positions.values()):
        absent = [column for column, at in positions.items() if at >= len(cells)]
        raise ValueError(f"no {', '.join(absent)}: the line is missing columns")
    row = {column: cells[at] for column, at in positions.items()}
    for column, value in row.items():
        if problem := text_problem(value):
            raise ValueError(f"{column} {problem}")
    return row


def year_read(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise ValueError(f"Year {quoted(raw)} is not a year")
    return int(raw)


def date_read(raw: str, column: str) -> date:
    """A day as YYYY-MM-DD, from the first film's year to tomorrow (a day ahead of UTC)."""
    raw = raw.strip()
    try:
        if not ISO_DATE.match(raw):
            raise ValueError
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{column} {quoted(raw)} is not a date (YYYY-MM-DD)") from None
    if day < FIRST_FILM.date():
        raise ValueError(f"{column} {raw}: {BEFORE_FIRST_FILM_MESSAGE}")
    if day > timezone.now().date() + timedelta(days=1):
        raise ValueError(f"{column} {raw}: {IN_THE_FUTURE_MESSAGE}")
    return day
