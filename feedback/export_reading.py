"""An export of feedback/exports.py read: its rows as typed values, or a one-line error.

The file is a .json document or a .zip of CSV files, of any version of the format that
KINDS_OF_VERSION names; files saved with a UTF-8 byte-order mark are read as well. Every
value is checked to be one both databases can hold; feedback/export_import.py writes
the rows.
"""

import csv
import io
import json
import math
import uuid
import zipfile
from datetime import UTC, datetime

from catalog.bounds import INTEGER_MAX
from catalog.importers.reading import text_problem
from catalog.importers.report import quoted
from catalog.importers.zips import UNREADABLE_MEMBER, why_unreadable
from feedback.exports import COLUMNS, CSV_FILES, FORMAT, KINDS_OF_VERSION, columns_of, csv_text


class ExportFormatError(Exception):
    """Not a Marquee export, or a row that cannot be imported; one line."""


# The JSON types each column's values are written as (feedback.exports): a value of
# another is refused, not converted, as "5" for a rating is no number to JSON.
JSON_TYPES = {int: (int,), float: (int, float), bool: (bool,), str: (str,)}


def typed(value, kind, where: str, name: str, *, from_json: bool = False):
    """A JSON value or a CSV cell as the column's type; "" and null are None.

    A value no column can hold on both databases is refused, as the other imports refuse
    it: a NUL or a byte that is not UTF-8 in a text, a number past PostgreSQL's integer,
    a float that is not a number (NaN, infinity).
    """
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool) and kind is not bool:
            # JSON's true is no number and no text, though True == 1 to Python.
            raise ValueError
        if from_json and not isinstance(value, JSON_TYPES.get(kind, (str,))):
            raise ValueError  # moments and slate ids are texts in JSON
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
            return storable(moment, where)
        if kind is int and isinstance(value, float):
            raise ValueError
        if kind is uuid.UUID and not isinstance(value, str):
            raise ValueError
        result = kind(value)
    except (TypeError, ValueError):
        raise ExportFormatError(f"{where}: {name} {value!r} is not a {kind.__name__}") from None
    if kind is str and (problem := text_problem(result)):
        raise ExportFormatError(f"{where}: {name} {problem}")
    if kind is int and not -INTEGER_MAX - 1 <= result <= INTEGER_MAX:
        raise ExportFormatError(f"{where}: {name} {quoted(value)} is past {INTEGER_MAX}")
    if kind is float and not math.isfinite(result):
        raise ExportFormatError(f"{where}: {name} {value!r} is not a number")
    return result


def storable(moment: datetime, where: str) -> datetime:
    """The moment in UTC, if a database can hold it: a moment of the year 1 or 9999 in
    another time zone can fall outside the years Python counts. In UTC, as it is held:
    Python reads offsets up to a day, PostgreSQL refuses one past 15:59 (+20:00 is in no
    zone, but SQLite takes it)."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ExportFormatError(f"{where}: {moment.isoformat()!r} is out of range") from None


def read_rows(
    kind: str, rows, source: str, versions: list[int], *, from_json: bool = False
) -> list[dict]:
    """The rows, each with the columns of one of the versions the file can be (a CSV
    export's files are the same in versions 7 and 8: its header tells them apart); a
    column its version did not have is None."""
    shapes = [columns_of(kind, version) for version in versions]
    newest = shapes[-1]
    result = []
    for number, row in enumerate(rows, start=1):
        where = f"{source} row {number}"
        columns = next(
            (shape for shape in shapes if isinstance(row, dict) and set(row) == set(shape)),
            None,
        )
        if columns is None:
            raise ExportFormatError(f"{where}: expected the columns {', '.join(newest)}")
        result.append(
            {
                name: typed(row[name], columns[name], where, name, from_json=from_json)
                if name in columns
                else None
                for name in COLUMNS[kind]
            }
        )
    return result


def text(data: bytes) -> str:
    # Some Windows editors start a UTF-8 file with a byte-order mark; it is not content.
    return data.decode("utf-8-sig")


def csv_rows(kind: str, content: str):
    """The rows of one CSV file of an export, its text cells as they were before export.

    A file the csv module cannot read (a cell past its 131,072 characters) is refused
    naming its line, as import_movielens names it.
    """
    texts = [name for name, column in COLUMNS[kind].items() if column is str]
    reader = csv.DictReader(io.StringIO(content))
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            # DictReader's own line_num is updated only after a row is read whole.
            line = reader.reader.line_num
            raise ExportFormatError(f"{CSV_FILES[kind]}:{line}: not valid CSV ({exc})") from None
        if row is None:
            return
        for name in texts:
            if isinstance(row.get(name), str):
                row[name] = csv_text(row[name])
        yield row


def member_bytes(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except UNREADABLE_MEMBER as exc:
        raise ExportFormatError(f"{name} cannot be read: {why_unreadable(exc)}") from None


def csv_names(kinds) -> set[str]:
    return {CSV_FILES[kind] for kind in kinds}


def read_export(data: bytes) -> dict[str, list[dict]]:
    """The rows of an export, from the bytes of its .json or .zip; every kind of row is
    there, empty for one its version did not hold. The settings are one row at most."""
    rows = export_rows_read(data)
    if len(rows["settings"]) > 1:
        count = len(rows["settings"])
        raise ExportFormatError(f"settings: an export holds one row of settings, not {count}")
    return rows


def export_rows_read(data: bytes) -> dict[str, list[dict]]:
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                versions = [
                    version
                    for version, kinds in KINDS_OF_VERSION.items()
                    if names == csv_names(kinds)
                ]
                if not versions:
                    files = sorted(csv_names(COLUMNS))
                    raise ExportFormatError(
                        f"not a Marquee export: the zip should hold {', '.join(files[:-1])} "
                        f"and {files[-1]}"
                    )
                kinds = KINDS_OF_VERSION[versions[0]]
                return {
                    kind: read_rows(
                        kind,
                        csv_rows(kind, text(member_bytes(archive, CSV_FILES[kind]))),
                        CSV_FILES[kind],
                        versions,
                    )
                    if kind in kinds
                    else []
                    for kind in COLUMNS
                }
        except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise ExportFormatError(f"not a Marquee export: {exc}") from None
    try:
        document = json.loads(text(data))
    # ValueError: an integer past Python's 4,300 digits; RecursionError: nesting past its
    # depth (catalog/importers/reading.py reads its JSON the same way).
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ExportFormatError("not a Marquee export: neither a .zip nor JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportFormatError(f"not a Marquee export: 'format' should be '{FORMAT}'")
    version = document.get("version")
    # A whole number, not one that only compares equal to a version: true == 1, 6.0 == 6.
    if type(version) is not int or version not in KINDS_OF_VERSION:
        *earlier, latest = KINDS_OF_VERSION
        known = f"{', '.join(str(number) for number in earlier)} or {latest}"
        raise ExportFormatError(f"an export of version {version!r}, not {known}")
    kinds = KINDS_OF_VERSION[version]
    return {
        kind: read_rows(kind, json_rows(document, kind), kind, [version], from_json=True)
        if kind in kinds
        else []
        for kind in COLUMNS
    }


def json_rows(document: dict, kind: str) -> list:
    """The rows of `kind` in a JSON export: none if it is missing or null."""
    rows = document.get(kind)
    if rows is None:
        return []
    if not isinstance(rows, list):  # a number was a traceback; a text, rows of letters
        raise ExportFormatError(f"{kind}: expected a list of rows")
    return rows
