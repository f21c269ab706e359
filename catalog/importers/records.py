"""Typed reads of one JSON record; a wrong value raises BadRecord with the reason."""

import math
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from catalog.bounds import INTEGER_MAX
from catalog.importers.reading import (
    Unreadable,
    bar_over_lines,
    json_records,
    move_to,
    text_problem,
)
from catalog.importers.report import ImportFormatError, ImportReport, quoted


class BadRecord(Exception):
    """The reason a record is rejected."""


def integer(
    record: dict, name: str, *, required: bool = False, minimum: int = 1, maximum=INTEGER_MAX
) -> int | None:
    value = record.get(name)
    # Tweet ids travel as strings ("id_str"): JavaScript rounds them. The length test
    # keeps int() from its own limit (thousands of digits), which raises.
    digits = value.strip() if isinstance(value, str) else ""
    if digits.isdigit() and digits.isascii() and len(digits) <= len(str(maximum)):
        value = int(digits)
    if value is None or value == "":
        if required:
            raise BadRecord(f"'{name}' is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise BadRecord(
            f"'{name}' should be a whole number from {minimum} to {maximum}, not {quoted(value)}"
        )
    return value


def number(record: dict, name: str, *, low: float, high: float | None = None) -> float | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRecord(f"'{name}' should be a number, not {value!r}")
    # json.loads reads 1e400 as infinity, and takes the tokens Infinity and NaN: no
    # measure, and an infinite popularity stopped build_similarities every night.
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        raise BadRecord(f"'{name}' should be a finite number, not {quoted(value)}")
    if not low <= number <= (high if high is not None else math.inf):
        limits = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise BadRecord(f"'{name}' should be {limits}, not {value!r}")
    return number


def text(record: dict, name: str, *, required: bool = False) -> str:
    value = record.get(name)
    if value is None or (value == "" and not required):
        if required:
            raise BadRecord(f"'{name}' is missing")
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"'{name}' should be a string, not {value!r}")
    # The line was text; its escapes can still say what is not ("\u0000", "\ud800").
    if problem := text_problem(value):
        raise BadRecord(f"'{name}' {problem}")
    if required and not value.strip():
        raise BadRecord(f"'{name}' is empty")
    return value.strip()


def day(record: dict, name: str) -> date | None:
    value = text(record, name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRecord(f"'{name}' should be a YYYY-MM-DD date, not {value!r}") from None


def moment(record: dict, name: str) -> datetime | None:
    value = text(record, name)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            # Twitter API v1.1: "Wed Oct 10 20:19:24 +0000 2018".
            parsed = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            parsed = None
    # A naive time would be read in whatever TIME_ZONE the server has: ambiguous.
    if parsed is None or parsed.tzinfo is None:
        raise BadRecord(f"'{name}' should be an ISO 8601 time with a time zone, not {value!r}")
    return parsed


def json_objects(
    path: Path, *, report: ImportReport, kind: str, progress, looks_right, expected: str
) -> Iterator[tuple[int, dict]]:
    """(line, object) from a JSON file, the lines that are no object rejected on the way.

    `looks_right(first record)` tells a file of the wrong kind (a tweet file given to the
    TMDB import) from a file with a bad line: the first is refused whole.
    """
    path = Path(path)
    with bar_over_lines(path, progress, unit=kind) as bar:
        first = True
        for line, value in json_records(path):
            if first and not (isinstance(value, dict) and looks_right(value)):
                raise ImportFormatError(
                    f"{path.name} does not look like {expected} (line {line}: {summary(value)})"
                )
            first = False
            move_to(bar, line)
            if isinstance(value, Unreadable):
                report.reject(kind, path.name, line, value.reason)
            elif not isinstance(value, dict):
                report.reject(kind, path.name, line, "not a JSON object")
            else:
                yield line, value
        # The rest of the file, past the last record: blank lines, or a pretty-printed
        # document's other lines.
        move_to(bar, bar.total or 0)


def summary(value) -> str:
    if isinstance(value, Unreadable):
        return value.reason
    if isinstance(value, dict):
        # Keys are shown as they are; one that is no text, escaped (it is an error's text).
        keys = ", ".join(sorted(key if not text_problem(key) else repr(key) for key in value)[:6])
        return f"an object with {keys or 'no keys'}"
    return f"a JSON {type(value).__name__}"
