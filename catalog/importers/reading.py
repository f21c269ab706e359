"""Streamed readers for the import formats, and the progress bar.

Files are read a line at a time, never whole (but for the single-object TMDB form), so
that memory does not grow with the file. A file in the wrong format (missing, binary,
empty, another header, not JSON) is refused at once with a one-line reason; a bad line
further on is a rejected row, and the import goes on. That holds for a line that is not
text too: a byte that is not UTF-8, or a NUL, which no database column can hold; and so
is a value that holds a lone surrogate (JSON's "\\ud800"), which is not text either.
"""

import contextlib
import csv
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from catalog.importers.report import ImportFormatError, ImportReport

CHUNK = 1 << 20
# How often a bar with nothing to count is redrawn, so that its clock keeps running.
TICK_SECONDS = 1.0
# Counts from this size on are shown as 12.3k, 1.00M; below it, as they are.
SCALED_FROM = 10_000


# Bytes that are not UTF-8 are read as lone surrogates (errors="surrogateescape") rather
# than stopping the reader, so that the line holding them is rejected like any other.
NOT_UTF8 = re.compile("[\udc80-\udcff]")
NOT_UTF8_REASON = "not UTF-8 text"
NUL_REASON = "holds a NUL character, which no database column can store"
# Half of a UTF-16 pair, alone: JSON's escapes can say one ("\\ud800"), but UTF-8 cannot
# encode it, so a database driver fails on it (as it does on a NUL) and a page showing
# it cannot be sent. The surrogateescape ones above are surrogates too.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE_REASON = (
    "holds a lone surrogate (half a character, such as \\ud800), which is not text"
)


def text_problem(text: str) -> str | None:
    """Why a line read from a file cannot be imported as text, or None.

    Called for every line of files of millions: the cheap tests come first.
    """
    if "\x00" in text:
        return NUL_REASON
    if not text.isascii() and (found := LONE_SURROGATE.search(text)):
        # From a file's bytes, only the surrogateescape range; other halves, from escapes.
        return NOT_UTF8_REASON if NOT_UTF8.match(found.group()) else LONE_SURROGATE_REASON
    return None


def open_text(path: Path):
    try:
        # utf-8-sig: spreadsheets save CSV with a byte-order mark, which is not a column name.
        return open(  # noqa: SIM115 - closed by callers
            path, newline="", encoding="utf-8-sig", errors="surrogateescape"
        )
    except FileNotFoundError:
        raise ImportFormatError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise ImportFormatError(f"{path} is a directory, not a file") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read {path}: {exc.strerror}") from None


def count_lines(path: Path) -> int:
    """Lines in a file, for the progress bar's total: a fast pass over raw bytes."""
    lines, last = 0, b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    return lines + (last != b"\n")  # a last line without its newline is a line


class CsvFile:
    """A CSV file that must start with `header`; iterate `rows()` for (line, fields)."""

    def __init__(self, path: Path, header: list[str]):
        self.path, self.name, self.header = Path(path), Path(path).name, header
        self.handle = open_text(self.path)
        self.problem: str | None = None  # of the lines the reader has taken since last asked
        self.reader = csv.reader(self.checked_lines(), strict=True)
        try:
            first = next(self.reader, None)
        except csv.Error:
            first = None
            self.problem = "not CSV"
        if self.problem:
            self.close()
            raise ImportFormatError(f"{self.name} is not a CSV text file") from None
        expected = ",".join(header)
        if first is None:
            self.close()
            raise ImportFormatError(f"{self.name} is empty: expected the header {expected}")
        if [column.strip() for column in first] != header:
            self.close()
            found = ",".join(first)[:80]
            raise ImportFormatError(
                f"{self.name} does not start with the header {expected} (found {found!r})"
            )

    def checked_lines(self) -> Iterator[str]:
        """The file's lines for the CSV reader, noting in `problem` any that is no text.

        A record may span lines (a quoted newline): whichever of its lines is bad, the
        record is rejected once, on the line where it ends, as other records are.
        """
        for line in self.handle:
            if "\x00" in line or not line.isascii():
                self.problem = self.problem or text_problem(line)
            yield line

    def rows(self, report: ImportReport, kind: str) -> Iterator[tuple[int, list[str]]]:
        """Every record with the header's number of columns; others are rejected here."""
        width = len(self.header)
        reader, name = self.reader, self.name
        while True:
            try:
                row = next(reader, None)
            except csv.Error as exc:
                self.problem = None  # the record is rejected already, whatever else it holds
                report.reject(kind, name, reader.line_num, f"not valid CSV ({exc})")
                continue
            if self.problem:
                report.reject(kind, name, reader.line_num, self.problem)
                self.problem = None
                continue
            if row is None:
                return
            if not row:  # a blank line
                continue
            if len(row) != width:
                report.reject(
                    kind,
                    name,
                    reader.line_num,
                    f"expected {width} columns ({','.join(self.header)}), found {len(row)}",
                )
                continue
            yield reader.line_num, row

    @property
    def lines_read(self) -> int:
        """Lines read past the header, rejected and blank ones included: the bar's place."""
        return max(self.reader.line_num - 1, 0)

    def close(self):
        self.handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class Unreadable:
    """A line of a JSON-lines file that holds no value, and why (a rejected row)."""

    def __init__(self, reason: str):
        self.reason = reason


def json_value(text: str):
    """The JSON value of one line, or Unreadable."""
    problem = text_problem(text)
    if problem:
        return Unreadable(problem)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return Unreadable(f"not JSON ({exc.msg})")
    except (ValueError, RecursionError):
        # Python's own limits: a number of thousands of digits, arrays nested thousands deep.
        return Unreadable("not JSON this import can read (a number too long, or nested too deep)")


def json_records(path: Path) -> Iterator[tuple[int, object]]:
    """(line, value) for a JSON-lines file, or (1, value) for one JSON document.

    A line that holds no value yields (line, Unreadable) for the caller to reject. A file
    whose first line is not JSON is read as one document (TMDB's single-object form,
    pretty-printed); if that fails too, the file is not JSON at all.
    """
    path = Path(path)
    with open_text(path) as handle:
        first_line, first = 0, None
        for number, text in enumerate(handle, start=1):
            if text.strip():
                first_line, first = number, text
                break
        if first is None:
            raise ImportFormatError(f"{path.name} is empty")
        value = json_value(first)
        if isinstance(value, Unreadable) and value.reason == NOT_UTF8_REASON:
            raise ImportFormatError(f"{path.name}:{first_line}: {NOT_UTF8_REASON}")
        if isinstance(value, Unreadable):
            yield 1, whole_document(handle, path.name)
            return
        yield first_line, value
        for number, text in enumerate(handle, start=first_line + 1):
            if text.strip():
                yield number, json_value(text)


def whole_document(handle, name: str):
    handle.seek(0)
    text = handle.read()
    bad = NOT_UTF8.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ImportFormatError(f"{name}:{line}: {NOT_UTF8_REASON}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{name} is neither JSON lines nor one JSON document "
            f"({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError):
        raise ImportFormatError(
            f"{name} is JSON this import cannot read (a number too long, or nested too deep)"
        ) from None


def progress_bar(stream, *, total: int | None, description: str, unit: str = "rows"):
    """A tqdm bar on `stream` (the command's stderr), or a bar that draws nothing.

    `disable=None` turns the bar off by itself when the stream is not a terminal: logs,
    pipes, cron and the test suite get the summary only.
    """
    return tqdm(
        total=total,
        desc=description,
        unit=f" {unit}",
        # 1.00M of a 2.50M-line file reads well; "6.00/14.0 movies" does not.
        unit_scale=total is not None and total >= SCALED_FROM,
        file=stream,
        disable=None if stream is not None else True,
        leave=True,
        dynamic_ncols=True,
        mininterval=0.25,
    )


def bar_over_lines(path: Path, stream, *, unit: str, header_lines: int = 0):
    """A progress bar over a file's lines; counting them costs a pass only when shown."""
    shown = stream is not None and stream.isatty()
    total = max(count_lines(path) - header_lines, 0) if shown else None
    return progress_bar(stream if shown else None, total=total, description=path.name, unit=unit)


def bar_for(csv_file: CsvFile, stream, unit: str):
    """A progress bar over a CSV file's lines after the header."""
    return bar_over_lines(csv_file.path, stream, unit=unit, header_lines=1)


def move_to(bar, position: int) -> None:
    """Put the bar at `position` lines of its file (never past the end it counted)."""
    if bar.total is not None:
        position = min(position, bar.total)
    bar.update(position - bar.n)


@contextlib.contextmanager
def ticking(bar, every: float = TICK_SECONDS):
    """Redraw `bar` every so often while a long step has nothing to count.

    tqdm draws only when told of progress: through seconds of SQL with no row to count, a
    bar would stand still at its last count, its clock stopped, and look hung.
    """
    if bar.disable:
        yield bar
        return
    done = threading.Event()

    def redraw():
        while not done.wait(every):
            bar.refresh()

    thread = threading.Thread(target=redraw, name=f"progress of {bar.desc}", daemon=True)
    thread.start()
    try:
        yield bar
    finally:
        done.set()
        thread.join()
