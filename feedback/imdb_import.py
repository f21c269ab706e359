"""IMDb's ratings and watchlist exports (feedback/imdb.py reads them) written as one
person's: each rating their feedback stars, the film watched, and the watchlist theirs.
All or nothing, in one transaction.

The rules are the Letterboxd import's (feedback/letterboxd_import.py), which are the
site's own, so the import is that one, fed IMDb's rows: a rating is Letterboxd's
ratings.csv (the newer of it and Marquee's wins; 7/10 is 3.5 stars, rounded up as half
stars are) and its watched.csv too, since rating a film says it was seen; the watchlist
is its watchlist.csv (left off for a film watched since). A watchlist row of a film the
person rated is a rating too, as if the ratings export held it, unless that export is
given and does: its own row is the one counted. Only the films are found otherwise, by
IMDb id first (feedback/imdb_films.py). IMDb does not say when a film was
watched, so no viewing is added. A second import of the same files changes nothing.
"""

from collections.abc import Sequence
from dataclasses import replace

from django.db import transaction

from catalog.bounds import IN_THE_FUTURE_MESSAGE
from catalog.models import Movie
from feedback.imdb import RATINGS, WATCHLIST, ImdbExport, ImdbLine, imdb_read
from feedback.imdb_films import films_of_lines
from feedback.imdb_summary import ImdbSummary
from feedback.letterboxd_import import LetterboxdImport
from feedback.services import lock_person


def imdb_import(*, user, files: Sequence[tuple[str, bytes]]) -> ImdbSummary:
    """Import IMDb export files, (name, bytes) each, as the person's; ImdbFormatError,
    with nothing written, when one is not an IMDb ratings or watchlist export."""
    export = imdb_read(files)
    with transaction.atomic():
        # Two imports at once would both find a film without feedback and both insert.
        lock_person(user)
        return ImdbImport(user, export).run()


class ImdbImport(LetterboxdImport):
    # What Trakt's import (feedback/trakt_import.py) changes: its summary, its films' ids.
    summary_kind = ImdbSummary
    films_of_lines = staticmethod(films_of_lines)
    # Its watched.csv is its ratings: each row counted already there once, by its rating.
    watched_counted = False

    def __init__(self, user, export: ImdbExport):
        super().__init__(user, {}, [])  # the person's zone and clock; no films yet
        self.summary = self.summary_kind(rejected=list(export.rejected), not_films=export.not_films)
        self.films = self.films_of_lines([line for file in export.lines.values() for line in file])
        self.lines = {kind: self.placed(lines) for kind, lines in export.lines.items()}
        # Placed once, so that a film not found is listed once.
        self.lines[RATINGS] = self.lines.get(RATINGS, []) + self.ratings_listed()
        self.lines["watched.csv"] = self.lines[RATINGS]

    def ratings_listed(self) -> list[tuple[ImdbLine, Movie]]:
        """The watchlist's ratings, each dated as given, of the films the ratings export
        does not rate (it has the last word on those it does)."""
        rated = {film.pk for _, film in self.lines.get(RATINGS, [])}
        return [
            (replace(line, date=line.rated_on), film)
            for line, film in self.lines.get(WATCHLIST, [])
            if line.rated_on is not None and film.pk not in rated
        ]

    def future_problem(self, line: ImdbLine) -> str | None:
        # A watchlist row's rating is refused with it, as its own row's would be.
        if line.rated_on is not None and self.still_to_come(line.rated_on):
            return f"Date Rated {line.rated_on.isoformat()}: {IN_THE_FUTURE_MESSAGE}"
        return super().future_problem(line)
