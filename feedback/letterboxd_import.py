"""A Letterboxd export (feedback/letterboxd.py reads it) written as one person's history:
diary lines become finished viewings, ratings and watched films their feedback (a film
in the diary is watched too, as watched.csv would say: an export may come without it),
the watchlist theirs, reviews their member reviews, lists their lists of films
(feedback/letterboxd_list_import.py). All or nothing, in one transaction.

The rules are the site's own, applied to many rows at once: the person's Marquee rating
and the films' rating stats follow their feedback (marquee_ratings_sync), a finished
viewing or feedback saying they saw a film takes it off the watchlist if it went there
before (feedback.watchlist), a watchlist entry is not added for a film watched since it
was dated (watched_since), a review obeys the review rules (catalog.reviews). Everything
the person has is read once and everything new is written in bulk, so the queries do not
grow with the rows: a diary of thousands of lines costs what one of three costs.

A second import of the same file finds everything there and changes nothing, even after
the person changed their time zone (feedback.letterboxd_viewings), or moved a viewing to
another day: each viewing keeps the diary entry it came from (feedback.import_keys).
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.bounds import CLOCK_SKEW, IN_THE_FUTURE_MESSAGE
from catalog.importers.sentiment import sentiment_of
from catalog.models import Movie, Review, ReviewSource
from catalog.models.reviews import (
    MEMBER_REVIEW_BLANK_MESSAGE,
    MEMBER_REVIEW_MAX_LENGTH,
    MEMBER_REVIEW_TOO_LONG_MESSAGE,
)
from catalog.reviews import review_reads, review_text_cleaned
from feedback.film_items import media_for_movies
from feedback.finished_watches import FinishedWatch, finished_watch_said
from feedback.import_keys import (
    HeldViewing,
    KeysHanded,
    import_key,
    keys_of_their_own,
    viewings_held,
)
from feedback.letterboxd import Line, letterboxd_read
from feedback.letterboxd_csv import FilmLine
from feedback.letterboxd_films import NOT_FOUND, films_named
from feedback.letterboxd_list_import import LetterboxdListsImport
from feedback.letterboxd_lists import LetterboxdList
from feedback.letterboxd_summary import LetterboxdSummary
from feedback.letterboxd_viewings import evening_days, lines_matched
from feedback.models import (
    NotInterested,
    UserFeedback,
    ViewingHistory,
    WatchlistEntry,
    time_zone_names,
)
from feedback.not_interested import watchlist_day_wins, watchlist_wins
from feedback.querysets import LATEST_FIRST, latest_rated_of
from feedback.services import lock_person, marquee_ratings_sync
from feedback.time_zones import time_zone_of
from feedback.viewing_start import viewing_start_problem
from feedback.watched import says_watched

# Letterboxd keeps the day of each viewing, rating and review, not the time. Films are
# watched in the evening more than at any other hour, and one fixed hour in the person's
# own zone keeps every viewing on the day they logged, shown so on their pages; a second
# import finds those moments, in whatever zone they were put (feedback.letterboxd_viewings).
# A line of today is put at the import's moment until that evening comes (moment).
EVENING = time(20, 0)
# The file whose lines become viewings.
DIARY = "diary.csv"
# Rows a bulk UPDATE writes at once (above it, the statement's CASE costs more per row).
UPDATE_BATCH_SIZE = 1000
REVIEWS = "reviews.csv"
# Fields checked before a bulk write. The person and the film were read just before
# (checking them would cost a query a row) and the constraints are the database's.
NOT_CHECKED = {"exclude": ["user", "media", "movie"], "validate_constraints": False}


def letterboxd_import(*, user, data: bytes) -> LetterboxdSummary:
    """Import the bytes of a Letterboxd ZIP as the person's; LetterboxdFormatError, with
    nothing written, for a file that is not one."""
    export = letterboxd_read(data)
    with transaction.atomic():
        # Two imports at once would both find a film without feedback and both insert.
        lock_person(user)
        return LetterboxdImport(user, export.lines, export.rejected, export.lists).run()


class LetterboxdImport:
    # Whether a watched.csv line with nothing to write is counted already there by
    # itself: IMDb's and Trakt's are their ratings, counted by the rating.
    watched_counted = True

    def __init__(
        self,
        user,
        lines: dict[str, list[Line]],
        rejected: list[str],
        lists: Sequence[LetterboxdList] = (),
    ):
        self.user, self.summary = user, LetterboxdSummary(rejected=list(rejected))
        # A zone the time zone data has dropped since reads as the site's, as on the pages.
        name = time_zone_of(user)
        self.zone = ZoneInfo(name if name in time_zone_names() else settings.TIME_ZONE)
        # One moment for the whole import: nothing it writes is dated after it (moment).
        self.now = timezone.now()
        self.latest = self.now + CLOCK_SKEW
        self.today = self.now.astimezone(self.zone).date()
        self.letterboxd_lists = lists
        films = [
            line.film
            for file in [*lines.values(), *(each.entries for each in lists)]
            for line in file
        ]
        self.films = films_named(set(films))
        self.lines = {name: self.placed(file) for name, file in lines.items()}

    def placed(self, lines: list[Line]) -> list[tuple[Line, Movie]]:
        """The lines whose film the catalog has; the others are reported."""
        found = []
        for line in lines:
            if problem := self.future_problem(line) or refused_review(line):
                self.summary.rejected.append(f"{line.where}: {problem}")
                continue
            film = self.films[line.film]
            if isinstance(film, Movie) and (problem := self.before_the_film(line, film)):
                self.summary.rejected.append(f"{line.where}: {problem}")
                continue
            if film := self.film_found(line):
                found.append((line, film))
        return found

    def film_found(self, line: FilmLine) -> Movie | None:
        """The line's film; None for one the catalog lacks or holds more than one of,
        reported with the line."""
        film = self.films[line.film]
        if isinstance(film, Movie):
            return film
        year = f" ({line.year})" if line.year else ""
        said = f"{line.where}: “{line.name}”{year}: {film}"
        self.summary.unplaced(line.film, said, found=film != NOT_FOUND)
        return None

    def future_problem(self, line: Line) -> str | None:
        """The reader lets tomorrow through (by UTC), for a person whose day is ahead of
        UTC's; a day still to come in the person's zone is refused (still_to_come)."""
        for column, day in (("Date", line.date), ("Watched Date", line.watched_on)):
            if day is not None and self.still_to_come(day):
                return f"{column} {day.isoformat()}: {IN_THE_FUTURE_MESSAGE}"
        return None

    def still_to_come(self, day: date) -> bool:
        """Whether a line's day is after the person's today: no moment of it has come,
        so none is one an import can write (moment), and one put at the import's moment
        would be on another day, not found again by a second import. A moment (Trakt's)
        has the day of leeway the tables allow for a clock that is off."""
        if isinstance(day, datetime):
            return day > self.latest
        return day > self.today

    def before_the_film(self, line: Line, film: Movie) -> str | None:
        """A diary line's viewing dated before its film existed (feedback.viewing_start),
        by the film's year read with it: refused whole, as a line dated in the future is."""
        if line.file != DIARY or line.watched_on is None:
            return None
        problem = viewing_start_problem(self.moment(line.watched_on), film.year)
        return problem and f"Watched Date {line.watched_on.isoformat()}: {problem}"

    def moment(self, day: date) -> datetime:
        """When a line of `day` is put: 8 pm on it in the person's zone (EVENING), or, for
        a line of today imported before 8 pm, the moment of the import. Nothing an import
        writes is dated later than that: a watchlist entry dated tonight would outlast
        "I watched this" pressed this afternoon (feedback.watchlist takes off only an
        entry added before the watching). Still found again by a second import, as one
        logged on the site that day is: on the line's day in the person's zone."""
        return min(datetime.combine(day, EVENING, tzinfo=self.zone), self.now)

    def run(self) -> LetterboxdSummary:
        self.current_reviews = {
            review.movie_id: review for review in Review.objects.filter(user=self.user)
        }
        feedback = self.feedback_planned()
        viewings = self.viewings_planned()
        seen, said_now = self.watched_moments(feedback, viewings)
        movies = {film.pk: film for film, _, _ in viewings}
        movies |= {film.pk: film for film, row in feedback if row.pk is None}
        items = media_for_movies(movies=movies.values())
        new_feedback = [row for _, row in feedback if row.pk is None]
        changed = [row for _, row in feedback if row.pk is not None]
        for film, row in feedback:
            if row.pk is None:
                row.media = items[film.pk]
            row.full_clean(**NOT_CHECKED)
        UserFeedback.objects.bulk_create(new_feedback)
        # In batches: Django's bulk_update is one CASE over every row it writes, which
        # PostgreSQL reads for each row (8,000 keys took 1.6 s in one statement).
        if changed:
            UserFeedback.objects.bulk_update(
                changed,
                ["rating", "watched_completion", "timestamp"],
                batch_size=UPDATE_BATCH_SIZE,
            )
        new_viewings = [
            ViewingHistory(
                user=self.user,
                media=items[film.pk],
                started_at=at,
                completed=True,
                import_key=key,
            )
            for film, at, key in viewings
        ]
        for viewing in new_viewings:
            viewing.full_clean(**NOT_CHECKED)
        ViewingHistory.objects.bulk_create(new_viewings)
        if self.keys_taken:
            # The viewings found by their day keep their line from now on: one query a
            # batch (the first import after keys came in gives every one of them a key).
            ViewingHistory.objects.bulk_update(
                self.keys_taken, ["import_key"], batch_size=UPDATE_BATCH_SIZE
            )
        self.watchlist_written(seen, said_now)
        self.reviews_written()
        LetterboxdListsImport(self).run(self.letterboxd_lists)
        if feedback:
            marquee_ratings_sync(pairs={(self.user.pk, film.pk) for film, _ in feedback})
        return self.summary

    def rating_lines(self) -> dict[int, Line]:
        """Each film's Letterboxd rating: ratings.csv's, or else the latest diary line's,
        or else the latest review's that has one."""
        chosen: dict[int, Line] = {}
        for name in (REVIEWS, DIARY, "ratings.csv"):
            rated = [(line, film) for line, film in self.lines.get(name, []) if line.rating]
            for line, film in in_date_order(rated):
                chosen[film.pk] = line  # a later source, or a later line, wins
        return chosen

    def watched_lines(self) -> dict[int, tuple[Line, Movie, bool]]:
        """Each film the files say was watched to the end, with the line that says so and
        whether that line is counted already there by it: watched.csv's, or else the
        latest diary line's, as a finished viewing says so too (the line is counted by
        its viewing), so that a diary without watched.csv marks its films as it would."""
        diary = in_date_order(self.lines.get(DIARY, []))
        chosen = {film.pk: (line, film, False) for line, film in diary}
        # The latest day the files say each film was watched, whichever says it: what an
        # older "did not finish" gives way to (watched_said).
        self.last_watched = {pk: line.date for pk, (line, _, _) in chosen.items()}
        for line, film in self.lines.get("watched.csv", []):
            chosen[film.pk] = (line, film, self.watched_counted)
            self.last_watched[film.pk] = max(self.last_watched.get(film.pk, line.date), line.date)
        return chosen

    def feedback_planned(self) -> list[tuple[Movie, UserFeedback]]:
        """The feedback to write (new rows unsaved), with its film."""
        current = defaultdict(list)
        rows = UserFeedback.objects.filter(user=self.user, media__movie__isnull=False)
        for row in rows.annotate(film=F("media__movie_id")).order_by(*LATEST_FIRST):
            current[row.film].append(row)
        self.current_feedback = current
        ratings = self.rating_lines()
        watched = self.watched_lines()
        films = {film.pk: film for _, film, _ in watched.values()}
        films |= {film.pk: film for _, film in self.placed_ratings(ratings)}
        planned = []
        for pk, film in films.items():
            rows = current.get(pk, [])
            row = rows[0] if rows else UserFeedback(user=self.user, timestamp=None)
            rated = latest_rated_of(rows)
            said_at = row.timestamp  # before the file's rating dates it anew
            wrote = self.rating_given(row, rated, ratings.get(pk))
            wrote |= self.watched_said(row, watched.get(pk), said_at)
            if wrote:
                planned.append((film, row))
        return planned

    def placed_ratings(self, ratings: dict[int, Line]) -> list[tuple[Line, Movie]]:
        return [(line, self.films[line.film]) for line in ratings.values()]

    def rating_given(self, row: UserFeedback, rated: UserFeedback | None, line) -> bool:
        """Letterboxd's rating, on `row`, unless Marquee has it or one of that day or later."""
        if line is None:
            return False
        stars = int(line.rating.to_integral_value(rounding=ROUND_HALF_UP))
        given_at = self.moment(line.date)
        if rated is not None and rated.rating == stars:
            self.summary.already_there += 1
            return False
        if rated is not None and self.not_before(rated.timestamp, line.date):
            self.summary.ratings_kept += 1
            return False
        row.rating = stars
        # Feedback holding more than the rating (said later) keeps its own date.
        row.timestamp = max(filter(None, (row.timestamp, given_at)))
        self.summary.ratings_set += 1
        self.summary.half_stars_rounded += line.rating != stars
        return True

    def not_before(self, at: datetime, day: date) -> bool:
        """Whether Marquee's rating, given `at`, is from `day` or later: by the day, as the
        file keeps no time. A rating an import put at 8 pm is of the day it is 8 pm on at
        some offset (feedback.letterboxd_viewings), whatever the person's zone then and
        now, so that the outcome does not change with it; one given on the site, of its
        day in their zone. A moment (Trakt's) is compared as one."""
        if isinstance(day, datetime):
            return at >= day
        return max(evening_days(at) or {at.astimezone(self.zone).date()}) >= day

    def watched_said(self, row: UserFeedback, watched, said_at: datetime | None) -> bool:
        """Watched to the end, by the site's rule (feedback.finished_watches.finished_watch_said):
        the latest line saying the film was watched is its latest watch, and a "did not
        finish" said on that line's day or later (by the day: not_before) stands. A new
        row is dated by the line that says so. `said_at` is the feedback's date as the
        person left it."""
        if watched is None:
            return False
        line, film, counted = watched
        last = self.last_watched[film.pk]
        said = finished_watch_said(
            row,
            watched_at=self.moment(line.date),
            last_watched_at=self.moment(last),
            said_since=row.watched_completion is False and self.not_before(said_at, last),
        )
        if said is FinishedWatch.ALREADY_SAID:
            self.summary.already_there += counted
            return False
        self.summary.watched_marked += 1
        self.summary.finished_since += said is FinishedWatch.FINISHED_SINCE
        return True

    def viewings_planned(self) -> list[tuple[Movie, datetime, str]]:
        """The diary's viewings, one for each entry, with its key, but none for an entry
        a viewing the person already has answers for: the one holding the entry's key
        (feedback.import_keys), wherever its date is now, or else one of its film and
        day (same_viewings says which could): the entries of a film and day are counted
        against the viewings of it there that day. A viewing found by its day that
        holds no key takes the entry's (keys_taken)."""
        self.current_viewings = viewings_held(self.user)
        by_key = {viewing.import_key: viewing for viewing in self.current_viewings}
        by_key.pop("", None)
        diary = self.lines.get(DIARY, [])
        keys = keys_of_their_own(
            [
                (self.same_viewing(film.pk, self.moment(line.watched_on)), self.import_key_of(line))
                for line, film in diary
            ]
        )
        handed = KeysHanded(self.current_viewings)
        entries, placed, read = Counter(), {}, set()
        self.found_by_key: list[tuple[tuple, HeldViewing]] = []
        for (line, film), line_key in zip(diary, keys, strict=True):
            at = self.moment(line.watched_on)
            key = self.same_viewing(film.pk, at)
            # A line with the link of an earlier one is that entry again; two entries of
            # a day (a rewatch the same evening) have links of their own. Without one, a
            # line is the same entry as an earlier one of its film and day (Trakt's, of
            # its moment).
            if (key, line.uri) in read:
                self.summary.already_there += 1
                continue
            read.add((key, line.uri))
            if line_key in by_key:
                self.found_by_key.append((key, by_key[line_key]))
                self.summary.already_there += 1
                continue
            entries[key] += 1
            placed.setdefault(key, (film, at))
            handed.line_waits(key, line_key)
        # A viewing found by its key answers for no other line.
        found_by_key = {viewing.pk for _, viewing in self.found_by_key}
        self.viewings_to_match = [
            viewing
            for viewing in self.current_viewings
            if viewing.film is not None and viewing.completed and viewing.pk not in found_by_key
        ]
        found = self.viewings_found(entries)
        there = Counter(key for key, _ in found)
        self.summary.already_there += len(found)
        self.keys_taken = handed.given_to_found(found)
        planned = [
            (*placed[key], handed.next_for(key))
            for key, count in entries.items()
            for _ in range(count - there[key])
        ]
        self.summary.viewings_added = len(planned)
        return planned

    def import_key_of(self, line: Line) -> str:
        """The key of the diary entry: its own link (Trakt's import: the watch's id)."""
        return import_key("letterboxd", line.uri)

    def viewings_found(self, entries: Counter) -> list[tuple[tuple, int]]:
        """Which of the person's finished viewings (by id) answer for the entries of each
        key. One stopped part way is not the entry of that day: the file says it was
        watched, so the film was finished after, and that is a viewing of its own."""
        return lines_matched(
            entries,
            [
                (*self.same_viewings(viewing.film, viewing.started_at), viewing.pk)
                for viewing in self.viewings_to_match
            ],
        )

    def same_viewing(self, film_pk: int, at: datetime) -> tuple:
        """What two viewings share when they are one: the film and the person's day, as
        Letterboxd keeps no time (Trakt's import, which keeps it, uses the moment)."""
        return film_pk, at.astimezone(self.zone).date()

    def days_it_can_be_of(self, at: datetime | None) -> set[date]:
        """The days of a line that what Marquee holds at `at` can be: its day in the
        person's zone, or one it is 8 pm on at some offset, where an import made before
        they changed zone put it (viewings and reviews alike). None for no moment."""
        if at is None:
            return set()
        return {at.astimezone(self.zone).date(), *evening_days(at)}

    def same_viewings(self, film_pk: int, at: datetime) -> tuple:
        """A viewing the person has, as feedback.letterboxd_viewings matches it: its film,
        its own day (8 pm on it in their zone, where this import puts a line of that day)
        and the days whose line it could be: its day in their zone, or a day it is 8 pm on
        at some offset, where an import made in another zone put it. A moment (Trakt's
        import's) is only itself."""
        film, day = self.same_viewing(film_pk, at)
        if isinstance(day, datetime):
            return film, day, {day}
        own = day if at.astimezone(self.zone).time() == EVENING else None
        return film, own, self.days_it_can_be_of(at)

    def watched_moments(self, feedback, viewings) -> tuple[dict, dict]:
        """When the person saw each film, once this import is written, and when this
        import says they did: finished viewings, feedback that does not say "did not
        finish", and reviews (feedback.watched has the rule)."""
        seen, said_now = defaultdict(list), defaultdict(list)
        for viewing in self.current_viewings:
            if viewing.completed and viewing.film is not None:
                seen[viewing.film].append(viewing.started_at)
        for pk, review in self.current_reviews.items():
            # A review staff entered without a date says nothing of when: as on the
            # site (feedback.watchlist), it neither keeps a film off the list nor takes it off.
            if review.posted_at is not None:
                seen[pk].append(review.posted_at)
        for film, at, _ in viewings:
            said_now[film.pk].append(at)
        # A review in the file says the film was seen, kept here or not (the person's
        # own review of it here stays).
        for line, film in self.lines.get(REVIEWS, []):
            said_now[film.pk].append(self.moment(line.date))
        written = {id(row) for _, row in feedback}
        for film, row in feedback:
            if says_watched(row.watched_completion):
                said_now[film.pk].append(row.timestamp)
        for pk, rows in self.current_feedback.items():
            seen[pk] += [
                row.timestamp
                for row in rows
                if says_watched(row.watched_completion) and id(row) not in written
            ]
        for pk, moments in said_now.items():
            seen[pk] += moments
        return seen, said_now

    def watchlist_written(self, seen: dict, said_now: dict) -> None:
        entries = {entry.movie_id: entry for entry in WatchlistEntry.objects.filter(user=self.user)}
        # What this import says was watched after an entry went on the list takes it off,
        # as saying so on the site would; what was there before has done so already.
        off = {
            entry.pk
            for entry in entries.values()
            if any(at >= entry.added_at for at in said_now.get(entry.movie_id, []))
        }
        lines = self.lines.get("watchlist.csv", [])
        turned_down = self.turned_down([film.pk for _, film in lines])
        new, lifted = {}, set()
        for line, film in lines:
            added_at = self.moment(line.date)
            if film.pk in new or (film.pk in entries and entries[film.pk].pk not in off):
                self.summary.already_there += 1
            elif any(self.seen_since(at, line.date) for at in seen.get(film.pk, [])):
                self.summary.watchlist_watched_since += 1
            elif film.pk in turned_down and not self.listed_wins(line.date, turned_down[film.pk]):
                self.summary.watchlist_turned_down_since += 1
            else:
                new[film.pk] = WatchlistEntry(user=self.user, movie=film, added_at=added_at)
                if film.pk in turned_down:
                    lifted.add(film.pk)
        if off:
            WatchlistEntry.objects.filter(pk__in=off).delete()
        if lifted:
            NotInterested.objects.filter(user=self.user, movie_id__in=lifted).delete()
            self.summary.turned_down_lifted = len(lifted)
        for entry in new.values():
            entry.full_clean(**NOT_CHECKED)
        WatchlistEntry.objects.bulk_create(new.values())
        self.summary.watchlist_taken_off = len(off)
        self.summary.watchlist_added = len(new)

    def seen_since(self, at: datetime, listed_on: date) -> bool:
        """Whether a watching at `at` keeps a watchlist line off the list: one of the
        line's day or later. A line keeps only its day, so a film seen at any hour of
        it may have been seen after it was listed, and the person has seen it: by the
        days the watching can be of (days_it_can_be_of), its day in their zone or one an
        import put it at 8 pm on. A moment (Trakt's listed_at) is compared as one."""
        if isinstance(listed_on, datetime):
            return at >= listed_on
        return max(self.days_it_can_be_of(at)) >= listed_on

    def listed_wins(self, listed_on: date, turned_down_at: datetime) -> bool:
        """Whether a watchlist line stands over the person's turn-down of its film: by
        the day for a line that keeps only its day (watchlist_day_wins), by the moment
        for one that keeps it (Trakt's listed_at: watchlist_wins)."""
        if isinstance(listed_on, datetime):
            return watchlist_wins(listed_on, turned_down_at)
        return watchlist_day_wins(listed_on, turned_down_at, self.zone)

    def turned_down(self, film_pks: list[int]) -> dict[int, datetime]:
        """When the person turned down each of these films, of those they did; no query
        for a file without a watchlist."""
        if not film_pks:
            return {}
        rows = NotInterested.objects.filter(user=self.user, movie_id__in=film_pks).order_by()
        return dict(rows.values_list("movie_id", "turned_down_at"))

    def reviews_written(self) -> None:
        """The newest review of each film in the file, unless the person has one; the
        film's older lines counted."""
        newest: dict[int, tuple[Line, Movie]] = {}
        lines = self.lines.get(REVIEWS, [])
        for line, film in sorted(lines, key=lambda p: p[0].number):
            if film.pk not in newest or line.date >= newest[film.pk][0].date:
                newest[film.pk] = (line, film)
        # Marquee keeps one review of a film: the older lines are counted, not written.
        self.summary.reviews_older = len(lines) - len(newest)
        if not newest:
            return
        current = self.current_reviews
        new = []
        for pk, (line, film) in newest.items():
            text, posted_at = review_text_cleaned(line.review), self.moment(line.date)
            if pk in current:
                review = current[pk]
                same = review_reads(review, text=text, contains_spoilers=False)
                if same and line.date in self.days_it_can_be_of(review.posted_at):
                    self.summary.already_there += 1
                else:
                    self.summary.reviews_kept += 1
            else:
                score, label = sentiment_of(text)
                review = Review(
                    user=self.user,
                    movie=film,
                    source=ReviewSource.USER,
                    text=text,
                    posted_at=posted_at,
                    contains_spoilers=False,  # Letterboxd's export does not say
                    sentiment_score=score,
                    sentiment_label=label,
                )
                review.full_clean(**NOT_CHECKED)
                new.append(review)
        Review.objects.bulk_create(new)
        self.summary.reviews_added = len(new)


def in_date_order(placed: list[tuple[Line, Movie]]) -> list[tuple[Line, Movie]]:
    """The lines by their date, then by where they are in their file: where each film
    keeps one line, the later wins."""
    return sorted(placed, key=lambda pair: (pair[0].date, pair[0].number))


def refused_review(line: Line) -> str | None:
    """What the review rules refuse in a reviews.csv line: refused whole, its rating with
    it, as a diary line with an impossible date is, so that a line the summary lists as
    not imported has written nothing."""
    if line.file != REVIEWS:
        return None
    return review_problem(review_text_cleaned(line.review))


def review_problem(text: str) -> str | None:
    """What the review rules (the table's CHECKs, the form's words) refuse in the text."""
    if not text:
        return MEMBER_REVIEW_BLANK_MESSAGE
    if len(text) > MEMBER_REVIEW_MAX_LENGTH:
        return MEMBER_REVIEW_TOO_LONG_MESSAGE
    return None
