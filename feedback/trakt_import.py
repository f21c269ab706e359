"""Trakt's history, ratings and watchlist (feedback/trakt.py reads them) written as one
person's: each watch a finished viewing at its moment and the film watched, each rating
their feedback stars and the film watched, the watchlist theirs. All or nothing, in one
transaction.

The import is the IMDb one (feedback/imdb_import.py), which is the Letterboxd one fed
other rows: Trakt's ratings are IMDb's 1 to 10, halved and rounded up, the newer of
Trakt's and Marquee's winning; its history is Letterboxd's diary, which marks its films
watched as watched.csv does (new feedback dated by its rating, or else by the latest
watch), but Trakt keeps the moment of each watch, not only the day: a film watched twice
in a day is two viewings. The watchlist leaves off a film watched since, as Letterboxd's
does. Films are found by TMDB id, then IMDb id (feedback/trakt_films.py). A second
import changes nothing.

A watch is already there when the person has a viewing of that film at that moment, or
else one of that film on its day as a diary line is found (feedback.letterboxd_viewings:
on the watch's day in their zone now, or at 8 pm on it at the offset an earlier
Letterboxd import put it at): many log in both, and Trakt even syncs from Letterboxd, so
the diary's viewing at 8 pm and Trakt's at 21:13 are one watch. Each viewing answers
for one watch at most, those at a watch's moment first: two watches in a day, with one
diary line of it, are two viewings.

The viewing found keeps its time. Trakt's is the truer, but 8 pm is what lets a
Letterboxd import find its line again once the person has moved to another zone, which
21:13 in the old zone would not, and it may be a time the person typed on the history
form, which no import overwrites: so either file imported again changes nothing, in any
zone, where the diary came first. Where Trakt's came first, its viewing keeps Trakt's
moment, which is on the diary line's day in the zone the person has, not necessarily in
one they move to: a diary imported again after such a move adds that day's viewing
(telling a Trakt moment from a typed time would need the viewing to record where it
came from). A viewing logged on the site that day at another time ("I watched this" is
pressed after the film, the form takes the time remembered) is found the same way, as
the Letterboxd import finds it for a line, and keeps its time too: one watch logged
both here and on Trakt is likelier than a second that day logged here alone, and a
second watch that Trakt has is still a second viewing.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import transaction

from feedback.imdb_import import ImdbImport
from feedback.import_keys import HeldViewing, import_key
from feedback.letterboxd_viewings import lines_matched, on_the_day_of
from feedback.services import lock_person
from feedback.trakt import TraktExport, trakt_read
from feedback.trakt_films import films_of_lines
from feedback.trakt_summary import TraktSummary
from feedback.viewing_start import viewing_start_problem


def trakt_import(*, user, files: Sequence[tuple[str, bytes]]) -> TraktSummary:
    """Import Trakt JSON files, (name, bytes) each, or a ZIP of them, as the person's;
    TraktFormatError, with nothing written, when one is not JSON or none is a Trakt
    history, ratings or watchlist export."""
    export = trakt_read(files)
    with transaction.atomic():
        # Two imports at once would both find a film without feedback and both insert.
        lock_person(user)
        return TraktImport(user, export).run()


class TraktImport(ImdbImport):
    summary_kind = TraktSummary
    films_of_lines = staticmethod(films_of_lines)

    def __init__(self, user, export: TraktExport):
        super().__init__(user, export)
        self.summary.skipped = list(export.skipped)
        self.summary.not_json = list(export.not_json)
        self.summary.given_twice = list(export.given_twice)
        self.summary.repeated = export.repeated

    def moment(self, day: date) -> datetime:
        # Trakt's dates are moments already, kept as they are; Letterboxd's are days.
        return day if isinstance(day, datetime) else super().moment(day)

    def same_viewing(self, film_pk: int, at: datetime) -> tuple:
        return film_pk, at

    def import_key_of(self, line) -> str:
        return import_key("trakt", line.history_id)

    def viewings_found(self, watches: Counter) -> list[tuple[tuple, int]]:
        """Which of the person's viewings answer for the watches of each film and moment:
        those at their moment first, then, of the viewings left, those of their day."""
        at_moment = super().viewings_found(watches)
        taken = {pk for _, pk in at_moment}
        left = [viewing for viewing in self.viewings_to_match if viewing.pk not in taken]
        waiting = watches - Counter(watch for watch, _ in at_moment)
        by_day = watches_of_their_day(waiting, left, self.zone)
        # A watch found by its id whose viewing is still on its day, at another time, is
        # found as it was at the import that gave the viewing its id: of its day.
        of_day_again = [
            watch
            for watch, viewing in self.found_by_key
            if viewing.started_at != watch[1]
            and on_the_day_of(viewing.started_at, watch[1], self.zone)
        ]
        self.found_by_day = Counter(watch for watch, _ in by_day) + Counter(of_day_again)
        self.summary.watches_of_their_day = self.found_by_day.total()
        return at_moment + by_day

    def watched_moments(self, feedback, viewings) -> tuple[dict, dict]:
        seen, said_now = super().watched_moments(feedback, viewings)
        # A watch found as the viewing of its day says, as one added would, that the
        # film was seen at its moment: after a watchlist entry of 8:30 pm, say.
        for film, moment in self.found_by_day:
            seen[film].append(moment)
            said_now[film].append(moment)
        return seen, said_now

    def before_the_film(self, line, film) -> str | None:
        """A watch dated before its film existed (feedback.viewing_start) is refused."""
        if line.watched_on is None:
            return None
        problem = viewing_start_problem(line.watched_on, film.year)
        return problem and f"watched_at {line.watched_on.isoformat()}: {problem}"


def watches_of_their_day(
    watches: Counter, viewings: Iterable[HeldViewing], zone
) -> list[tuple[tuple, int]]:
    """Which viewing (by id) answers for each of the watches of each (film, moment) it is
    found for by the day (on_the_day_of), each viewing for one at most, as many as can be."""
    moments = defaultdict(set)
    for film, moment in watches:
        moments[film].add(moment)
    could = []
    for viewing in viewings:
        # A viewing's day is one span of time, so the moments on it run on without a
        # gap among its film's: lines_matched then matches as many as can be.
        at = viewing.started_at
        of_day = {
            moment for moment in moments.get(viewing.film, ()) if on_the_day_of(at, moment, zone)
        }
        if of_day:
            # No own day: a moment is its own.
            could.append((viewing.film, None, of_day, viewing.pk))
    return lines_matched(watches, could)
