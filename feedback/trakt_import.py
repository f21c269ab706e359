"""Trakt's history, ratings and watchlist (feedback/trakt.py reads them) written as one
person's: each watch a finished viewing at its moment and the film watched, each rating
their feedback stars and the film watched, the watchlist theirs. All or nothing, in one
transaction.

The import is the IMDb one (feedback/imdb_import.py), which is the Letterboxd one fed
other rows: Trakt's ratings are IMDb's 1 to 10, halved and rounded up, the newer of
Trakt's and Marquee's winning; its history is Letterboxd's diary, which marks its films
watched as watched.csv does (new feedback dated by its rating, or else by the latest
watch), but Trakt keeps the moment of each watch, not only the day: a film watched twice
in a day is two viewings, and one is already there when the person has a viewing of that
film at that moment. The watchlist leaves off a film watched since, as Letterboxd's
does. Films are found by TMDB id, then IMDb id (feedback/trakt_films.py). A second
import changes nothing.
"""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction

from feedback.imdb_import import ImdbImport
from feedback.services import lock_person
from feedback.trakt import trakt_read
from feedback.trakt_films import films_of_lines
from feedback.trakt_summary import TraktSummary
from feedback.viewing_start import viewing_start_problem


def trakt_import(*, user, files: Sequence[tuple[str, bytes]]) -> TraktSummary:
    """Import Trakt JSON files, (name, bytes) each, as the person's; TraktFormatError,
    with nothing written, when one is not a Trakt history, ratings or watchlist export."""
    export = trakt_read(files)
    with transaction.atomic():
        # Two imports at once would both find a film without feedback and both insert.
        lock_person(user)
        return TraktImport(user, export).run()


class TraktImport(ImdbImport):
    summary_kind = TraktSummary
    films_of_lines = staticmethod(films_of_lines)

    def moment(self, day: date) -> datetime:
        # Trakt's dates are moments already, kept as they are; Letterboxd's are days.
        return day if isinstance(day, datetime) else super().moment(day)

    def same_viewing(self, film_pk: int, at: datetime) -> tuple:
        return film_pk, at

    def before_the_film(self, line, film) -> str | None:
        """A watch dated before its film existed (feedback.viewing_start) is refused."""
        if line.watched_on is None:
            return None
        problem = viewing_start_problem(line.watched_on, film.year)
        return problem and f"watched_at {line.watched_on.isoformat()}: {problem}"
