"""IMDb's ratings and watchlist exports (feedback/imdb.py reads them) written as one
person's: each rating their feedback stars, the film watched, and the watchlist theirs.
All or nothing, in one transaction.

The rules are the Letterboxd import's (feedback/letterboxd_import.py), which are the
site's own, so the import is that one, fed IMDb's rows: a rating is Letterboxd's
ratings.csv (the newer of it and Marquee's wins; 7/10 is 3.5 stars, rounded up as half
stars are) and its watched.csv too, since rating a film says it was seen; the watchlist
is its watchlist.csv (left off for a film watched since). Only the films are found
otherwise, by IMDb id first (feedback/imdb_films.py). IMDb does not say when a film was
watched, so no viewing is added. A second import of the same files changes nothing.
"""

from collections.abc import Sequence

from django.db import transaction

from feedback.imdb import RATINGS, ImdbExport, imdb_read
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
    def __init__(self, user, export: ImdbExport):
        super().__init__(user, {}, [])  # the person's zone and clock; no films yet
        self.summary = ImdbSummary(rejected=list(export.rejected), not_films=export.not_films)
        self.films = films_of_lines([line for file in export.lines.values() for line in file])
        self.lines = {kind: self.placed(lines) for kind, lines in export.lines.items()}
        # Placed once, so that a film not found is listed once.
        self.lines["watched.csv"] = self.lines.get(RATINGS, [])

    def watched_said(self, row, watched) -> bool:
        # The rating's own row: counted "already there" once, by the rating, not twice.
        already_there = self.summary.already_there
        wrote = super().watched_said(row, watched)
        self.summary.already_there = already_there
        return wrote
