"""Letterboxd exports built in the tests, as Letterboxd writes them: a ZIP of CSV files
at its top level (or in a folder, as one zipped again), each with Letterboxd's header row."""

import csv
import io
import zipfile

# Written out here, not taken from feedback.letterboxd: the tests hold the code to
# Letterboxd's own headers.
FILM = ["Date", "Name", "Year", "Letterboxd URI"]
HEADERS = {
    "watched.csv": FILM,
    "ratings.csv": [*FILM, "Rating"],
    "diary.csv": [*FILM, "Rating", "Rewatch", "Tags", "Watched Date"],
    "reviews.csv": [*FILM, "Rating", "Rewatch", "Review", "Tags", "Watched Date"],
    "watchlist.csv": FILM,
}
URI = "https://boxd.it/2bg8"


def letterboxd_zip(
    extra: dict[str, str] | None = None, folder: str = "", **files: list[list[str]]
) -> bytes:
    """A ZIP of the named files (diary=[[...], ...] is diary.csv), headers added, in
    `folder` (`name/`) if given; `extra` holds files written as they are, by name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, rows in files.items():
            name = f"{kind}.csv"
            text = io.StringIO(newline="")
            csv.writer(text).writerows([HEADERS[name], *rows])
            archive.writestr(folder + name, text.getvalue())
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def watched(date, name, year):
    return [date, name, str(year), URI]


def rating(date, name, year, stars):
    return [date, name, str(year), URI, stars]


def diary(watched_on, name, year, stars="", logged=None, rewatch="", tags="", uri=URI):
    """A diary line; `uri` is the entry's own link, which Letterboxd gives each entry."""
    return [logged or watched_on, name, str(year), uri, stars, rewatch, tags, watched_on]


def review(date, name, year, text, stars=""):
    return [date, name, str(year), URI, stars, "", text, "", date]
