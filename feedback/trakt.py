"""Trakt's history, ratings and watchlist read: the items that matter, or one sentence
saying why a file is refused whole. Nothing here touches the database;
feedback/trakt_import.py writes what is read.

Trakt's data comes as JSON in the shapes of its API v2, which its own export and the
usual export tools write: each file a JSON array of items, from GET /sync/history (each
item `watched_at`, `action`), /sync/ratings (`rated_at`, `rating` 1-10) or
/sync/watchlist (`listed_at`, `rank`). Files are told apart by their items' keys, not by
their names; several files of one kind (pages of a long history) are read as one. The
other files of an export (collection, watched summaries, lists, comments, stats, the
profile) are skipped and named, so that a person may give the whole export, a folder's
files or its ZIP as it comes; a file that is not JSON is no part of one, and refused (in a
ZIP, it is named and not read: a README, an image). A file given twice (the same bytes,
under any name) is read once and named, and an item met again, in another file or its
own, is read once and counted (repeated_key says when two are one), so that the import
does not take the copies for what the person's account had already. An item that cannot
be read (no ids and no title, a bad date, a rating outside 1-10) is rejected as `file,
item N: reason` and the rest is read; a show, season or episode is counted, not read, as
Marquee's catalog holds films only.
"""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from django.utils import timezone

from catalog.bounds import (
    BEFORE_FIRST_FILM_MESSAGE,
    CLOCK_SKEW,
    FIRST_FILM,
    IN_THE_FUTURE_MESSAGE,
    INTEGER_MAX,
)
from catalog.importers.reading import text_problem
from catalog.importers.report import quoted
from feedback.imdb import IMDB_ID, RATINGS, WATCHLIST, ImdbExport, ImdbLine, rating_read
from feedback.letterboxd_import import DIARY
from feedback.service_zips import ServiceZip

# The rows are handed to the Letterboxd import's rules under the names of the Letterboxd
# files that say the same, as IMDb's are (feedback/imdb.py): history is its diary.
HISTORY = DIARY
# Each kind's date, and the keys that tell its items apart.
DATE_KEYS = {HISTORY: "watched_at", RATINGS: "rated_at", WATCHLIST: "listed_at"}
KIND_KEYS = {
    HISTORY: {"watched_at", "action"},
    RATINGS: {"rated_at", "rating"},
    WATCHLIST: {"listed_at", "rank"},
}
NOT_FILM_TYPES = {"show", "season", "episode"}
# A ZIP's JSON files are read to this many bytes in all: an item is under a kilobyte, so
# this is tens of thousands of watches and the rest of an export; a ZIP expanding past it
# is a mistake or a zip bomb.
MAX_UNZIPPED = 50 * 1024**2

NOT_AN_EXPORT = "it is not a Trakt history, ratings or watchlist export"


class TraktFormatError(Exception):
    """A file is refused whole, and with it the import; one sentence."""


@dataclass
class TraktExport(ImdbExport):
    # The files of none of the kinds, by name: the rest of an export (stats, a profile...).
    skipped: list[str] = field(default_factory=list)
    # A ZIP's files that are not JSON, by name: its README, an image, a CSV.
    not_json: list[str] = field(default_factory=list)
    # The files given again, the same bytes as one read: "copy.json (history.json again)".
    given_twice: list[str] = field(default_factory=list)
    # The items read once already, in another file or earlier in their own.
    repeated: int = 0


@dataclass(frozen=True)
class TraktLine(ImdbLine):
    """An IMDb line with Trakt's TMDB id besides; `date` (and a viewing's `watched_on`)
    is the moment Trakt gives, not a day."""

    tmdb_id: int | None = None
    # A watch's id in the history, which Trakt gives each watch (feedback.import_keys);
    # "" for none.
    history_id: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}, item {self.number}"

    @property
    def film(self) -> tuple[int | None, str, str, int | None]:
        return self.tmdb_id, self.imdb_id, self.name, self.year


def trakt_read(files: Sequence[tuple[str, bytes]]) -> TraktExport:
    """The items of each file (name, bytes), or of each JSON file in a ZIP given alone, by
    kind; the rejected ones, the count of those not films, and the files skipped as none
    of the kinds; the files given twice and the items met again, read once; a ZIP's
    files that are not JSON, by name. TraktFormatError for a file that is not JSON, a
    ZIP that cannot be read, or when no file is of a kind (nor an empty array)."""
    export, zipped = TraktExport(), zip_given(files)
    read, refusals = 0, []  # the files read, and why each skipped one would be refused
    shaped_as_watchlist = []  # read once every file's kind is known (watchlists_of)
    empty, values = [], 0  # the files holding [], and the JSON values met so far
    read_as: dict[bytes, str] = {}  # each file's bytes, to the name they were read under
    met: set[tuple] = set()  # the items read, by repeated_key
    named = given_files(files) if zipped is None else zip_files(zipped, export.not_json)
    for name, data in named:
        if data in read_as:
            export.given_twice.append(
                name if name == read_as[data] else f"{name} ({read_as[data]} again)"
            )
            continue
        values += json_values(data)
        if values > MAX_JSON_VALUES:
            raise TraktFormatError(TOO_MANY_VALUES)
        items = json_items(name, data)
        if items == []:
            read += 1  # an empty list: Trakt writes [] for a watchlist with nothing on it
            empty.append(name)
            continue  # and not one read_as knows: an empty watchlist.json is still named so
        read_as[data] = name
        kind = kind_of(items)
        if kind is None:
            export.skipped.append(name)
            refusals.append(why_not_read(name, items))
        elif kind == WATCHLIST:
            shaped_as_watchlist.append((name, items))
        else:
            read += 1
            items_read(export, name, kind, items, met)
    watchlists = watchlists_of(
        [name for name, _ in shaped_as_watchlist],
        whole=zipped is not None,
        named_empty=any(named_for_the_watchlist(name) for name in empty),
    )
    for name, items in shaped_as_watchlist:
        if name in watchlists:
            read += 1
            items_read(export, name, WATCHLIST, items, met)
        else:
            export.skipped.append(name)
            refusals.append(f"{name} {NOT_THE_WATCHLIST}.")
    if not read:
        raise TraktFormatError(nothing_read_message(export.skipped, refusals, zipped))
    return export


def items_read(export: TraktExport, name: str, kind: str, items: list, met: set) -> None:
    """The file's items into `export`: its lines, the rejected, those not films, and the
    count of those `met` already (repeated_key), which are not read again."""
    for number, item in enumerate(items, start=1):
        try:
            line = line_read(name, kind, number, item)
        except ValueError as exc:
            export.rejected.append(f"{name}, item {number}: {exc}")
            continue
        key = repeated_key(kind, item, line)
        if key in met:
            export.repeated += 1
            continue
        if key is not None:
            met.add(key)
        if line is None:
            export.not_films += 1
        else:
            export.lines.setdefault(kind, []).append(line)


def repeated_key(kind: str, item: dict, line: TraktLine | None) -> tuple | None:
    """What an item shares with another that is the same: its kind, what is read of it
    (film, moment, rating) and, in the history, its id, which Trakt gives each watch, so
    that two watches of a film at one moment (plays added at its release date) are not
    called repeats (the import still takes them as one watch, by its film and moment).
    A show or episode, which is not read, is the same by its history id and its
    moment as written; None (never the same) for one without an id. Two items of one id
    that differ in what is read are not Trakt's, and both are read, as before ids were
    looked at."""
    history_id = item.get("id") if kind == HISTORY else None
    if type(history_id) not in (int, str):
        history_id = None
    if line is None:
        return None if history_id is None else (kind, history_id, str(item.get(DATE_KEYS[kind])))
    return kind, history_id, line.film, line.date, line.rating


# A list's items (one of the person's lists, their favourites) have the watchlist's keys,
# listed_at and rank, and nothing else tells them apart: only the file's name does.
NOT_THE_WATCHLIST = (
    "is not read as your watchlist: a list's items look like the watchlist's, and of "
    "files shaped so, only those named for the watchlist are read"
)


def watchlists_of(names: list[str], *, whole: bool, named_empty: bool) -> set[str]:
    """Of the files shaped as the watchlist, those read as it. Where one is named for it
    (an empty one too: Trakt writes [] for an empty watchlist), or in a whole export (a
    ZIP), which holds the lists too: those named for it alone, so that a list does not
    land on the watchlist. Otherwise all: a file chosen alone, under any name, as before."""
    named = {name for name in names if named_for_the_watchlist(name)}
    return named if named or named_empty or whole else set(names)


def named_for_the_watchlist(path: str) -> bool:
    """Whether a file's path names the watchlist (watchlist.json, watchlist/movies.json),
    and not a list that has it in its own name (lists/family-watchlist.json)."""
    parts = [part.lower() for part in PurePath(path).parts]
    return any("watchlist" in part for part in parts) and not any(
        part.startswith("list") for part in parts
    )


def given_files(files: Sequence[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    for given_name, data in files:
        yield PurePath(given_name).name or "export.json", data  # an upload may come unnamed


def zip_given(files: Sequence[tuple[str, bytes]]) -> bytes | None:
    """The ZIP's bytes, if a ZIP is given: alone, as it likely holds the JSON files given
    beside it again, and a history read twice is every watch twice."""
    zips = [(name, data) for name, data in files if is_zip(name, data)]
    if not zips:
        return None
    if len(files) > 1:
        name = PurePath(zips[0][0]).name or "the ZIP"
        raise TraktFormatError(
            f"{name} is a ZIP, which is imported alone: upload it, or JSON files, not both."
        )
    return zips[0][1]


def is_zip(name: str, data: bytes) -> bool:
    # Named so, or starting as a ZIP does (its first file's header), which JSON cannot.
    return PurePath(name).suffix.lower() == ".zip" or data.startswith(b"PK")


def zip_files(data: bytes, not_json: list[str]) -> Iterator[tuple[str, bytes]]:
    """The ZIP's JSON files, in any folder, each named by its path less the one folder
    that holds them all, and read one at a time, to MAX_UNZIPPED in all; the names of the
    others, not read, onto `not_json`, so that the person knows what was left out."""
    with ServiceZip(data, service="Trakt", limit=MAX_UNZIPPED, refused=TraktFormatError) as zip_:
        folder = zip_.folder()
        for name in zip_.files():
            if name.lower().endswith(".json"):
                yield name.removeprefix(folder), zip_.read(name)
            else:
                not_json.append(name.removeprefix(folder))


# The most JSON objects and arrays the files of one import may hold, counted before they
# are parsed: a history of 10 MB holds about 90,000, a whole export a few hundred
# thousand. A small ZIP can expand to 50 MB of "{}," which would take a minute and more
# than a gigabyte to parse, for nothing.
MAX_JSON_VALUES = 1_000_000
TOO_MANY_VALUES = (
    f"These files hold more than {MAX_JSON_VALUES:,} JSON objects and arrays, far more than "
    "a Trakt export: they were not read."
)


def json_values(data: bytes) -> int:
    """About how many objects and arrays the JSON holds: its opening brackets (those in
    its strings too, which a title rarely has)."""
    return data.count(b"{") + data.count(b"[")


def json_items(name: str, data: bytes) -> object:
    """The file's JSON: an array of items, or another value (an object, as stats are)."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TraktFormatError(f"{name} is not UTF-8 text: {NOT_AN_EXPORT}.") from None
    # json.JSONDecodeError, a number past Python's digit limit, arrays nested past the
    # interpreter's depth: none is an export.
    except (ValueError, RecursionError):
        raise TraktFormatError(f"{name} is not JSON: {NOT_AN_EXPORT}.") from None


def kind_of(items) -> str | None:
    """The kind of the file's first item that has one kind's keys; None for a file that
    is not an array, or none of whose items has."""
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict):
            kinds = [kind for kind, keys in KIND_KEYS.items() if keys & item.keys()]
            if len(kinds) == 1:
                return kinds[0]
    return None


def why_not_read(name: str, items) -> str:
    """Why a file of none of the kinds is not read, as its refusal says it when it is the
    only file given."""
    if not isinstance(items, list):
        return f"{name} is not a JSON array of items: {NOT_AN_EXPORT}."
    return (
        f"{name} is not a Trakt history, ratings or watchlist export: none of its items "
        "has watched_at, rated_at or listed_at."
    )


def nothing_read_message(skipped: list[str], refusals: list[str], zipped: bytes | None) -> str:
    """The refusal when no file is of a kind: a lone file's reason, or the files'."""
    if zipped is not None:
        if not skipped:
            return "This ZIP holds no JSON file: it is not a Trakt export."
        return (
            "This ZIP holds no Trakt history, ratings or watchlist: none of its JSON files "
            f"is an array of items with watched_at, rated_at or listed_at ({', '.join(skipped)})."
        )
    if len(refusals) == 1:
        return refusals[0]
    return (
        f"None of these {len(skipped)} files is a Trakt history, ratings or watchlist "
        f"export (an array of items with watched_at, rated_at or listed_at): {', '.join(skipped)}."
    )


def line_read(name: str, kind: str, number: int, item) -> TraktLine | None:
    """One item as a TraktLine, or None for a show, season or episode; ValueError with
    the reason for one that cannot be read."""
    if not isinstance(item, dict):
        raise ValueError("not a JSON object")
    item_type = item.get("type", "movie" if "movie" in item else None)
    if item_type in NOT_FILM_TYPES:
        return None
    if item_type != "movie":
        raise ValueError(f"type {quoted(item_type)} is not movie, show, season or episode")
    movie = item.get("movie")
    if not isinstance(movie, dict):
        raise ValueError("no movie")
    ids = movie.get("ids") if isinstance(movie.get("ids"), dict) else {}
    imdb_id, tmdb_id = imdb_id_read(ids.get("imdb")), tmdb_id_read(ids.get("tmdb"))
    title = movie.get("title")
    title = title.strip() if isinstance(title, str) else ""
    if problem := text_problem(title):
        raise ValueError(f"title {problem}")
    if not title and not (imdb_id or tmdb_id):
        raise ValueError("the movie has no title and no IMDb or TMDB id")
    moment = moment_read(item.get(DATE_KEYS[kind]), DATE_KEYS[kind])
    rating = None
    if kind == RATINGS:
        if item.get("rating") is None:
            raise ValueError("no rating")
        rating = rating_read(str(item["rating"]), "rating")
    return TraktLine(
        file=name,
        number=number,
        name=title or str(ids.get("slug") or ""),
        year=year_read(movie.get("year")),
        date=moment,
        rating=rating,
        watched_on=moment if kind == HISTORY else None,
        imdb_id=imdb_id,
        tmdb_id=tmdb_id,
        history_id=history_id_read(item) if kind == HISTORY else "",
    )


def history_id_read(item: dict) -> str:
    """The watch's id, as text, as Trakt writes it (a number): "" for none, or for one
    that is no id (a JSON true, a list), which finds the watch by its day alone."""
    raw = item.get("id")
    if type(raw) is int or (type(raw) is str and raw.strip() and not text_problem(raw)):
        return str(raw).strip()
    return ""


def imdb_id_read(raw) -> str:
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str) or not IMDB_ID.match(raw):
        raise ValueError(f"ids.imdb {quoted(raw)} is not an IMDb id")
    return raw


def tmdb_id_read(raw) -> int | None:
    if raw is None:
        return None
    if type(raw) is not int or not 1 <= raw <= INTEGER_MAX:
        raise ValueError(f"ids.tmdb {quoted(raw)} is not a TMDB id")
    return raw


def year_read(raw) -> int | None:
    if raw is None:
        return None
    if type(raw) is not int or not 1000 <= raw <= 9999:
        raise ValueError(f"year {quoted(raw)} is not a year")
    return raw


def moment_read(raw, key: str) -> datetime:
    """An ISO 8601 moment with its zone, as Trakt writes them ("2024-01-02T20:15:00.000Z"),
    from the first film to now (and the clock leeway the tables allow)."""
    if raw is None:
        raise ValueError(f"no {key}")
    try:
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"{key} {quoted(raw)} is not a date and time (ISO 8601, with Z)")
    if moment < FIRST_FILM:
        raise ValueError(f"{key} {raw}: {BEFORE_FIRST_FILM_MESSAGE}")
    if moment > timezone.now() + CLOCK_SKEW:
        raise ValueError(f"{key} {raw}: {IN_THE_FUTURE_MESSAGE}")
    return moment
