"""An export of feedback/exports.py read back in, as one person's rows.

Every row is matched to its film by TMDB id, then IMDb id, then title and year, and the
film and the media item are created where missing, so an export imports into an empty
Marquee. Importing is all or nothing, and importing the same export twice changes nothing
the second time. Reading the file into rows is feedback/export_reading.py.

A media item keeps its id, except Marquee's own item for a film (marquee:movie:<pk>): that
pk is the exporting Marquee's, another film here or none yet, so the row goes to this
Marquee's own item for its film. A media server's item already here that is linked to
another film than the row's is refused: its feedback would become that film's.

A person's Marquee rating of a film follows their feedback on it: after the rows are
written, the rating of every film a feedback row named is derived again from the feedback
(marquee_ratings_sync), as the pages keep it, and so is that of a film a Marquee rating
row named where the person has rated feedback on it. A Marquee rating of a film the
person gave no stars to stays as the file gives it: staff may have entered it, and an
export must come back with nothing lost.

A viewing, feedback or review the import writes takes its film off the person's watchlist
when it is dated after the film went there, as saying so on the pages does: a finished
viewing, feedback that does not say "did not finish", or a review (feedback.watchlist
has the rule).
The export's own watchlist is written last, and by the same rule: an entry is not put
back when the person has, since its added_at, what would have taken it off, here or in
the file (an older export, from before they watched the film). Written in time order
the file's own rows would have taken it off too, so the order of writing changes nothing.

A recommendation shown is found again by its slate id and slot (primary, backup,
wildcard), which no two picks share. A slate keeps one chosen pick, so a slate's picks
not chosen are written before the chosen one (in_writing_order). A slate id that another
person's picks hold here is that person's: the export of someone on this Marquee,
imported into another account, takes a slate id of its own (Importer.slate_here).

A review is the person's one review of its film, written through review_save as the
film's page writes it, so that its rules (not blank, at most 10,000 characters) hold;
with the export's dates, so that a review edited since the export is put back as it was.

An export holds tens of thousands of rows, and the import asks the database little per
row: what the rows look up is read ahead (the person's rows of each kind, the file's
media items and slates: feedback/export_read_ahead.py), a row is validated as
full_clean() would, without its queries (feedback/export_validation.py), and the new rows
of a kind are inserted together (Importer.insert_new_rows). A query a row is left for a
film or an item new here, a slate's chosen pick and a review (review_save's own).
"""

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.importers.matching import Identity, MatchConflict, MovieIndex
from catalog.importers.report import quoted
from catalog.models import Movie, RaterKind, Rating, RatingSource, Review
from catalog.rating_stats import refresh_rating_stats
from catalog.reviews import review_reads, review_save, review_text_cleaned
from feedback.export_film_lists import FilmListImport
from feedback.export_read_ahead import ReadAhead
from feedback.export_reading import ExportFormatError
from feedback.export_settings import settings_import
from feedback.export_validation import checked, first_problem, save
from feedback.models import Media, UserFeedback, ViewingHistory, WatchlistEntry
from feedback.services import (
    MARQUEE_MEDIA_ID,
    marquee_media,
    marquee_ratings_sync,
    media_saved,
)
from feedback.watchlist import (
    watchlist_feedback_saved,
    watchlist_viewing_saved,
)
from recommendations.models import RecommendationLog


@dataclass
class ImportCounts:
    """Per kind of row, how many the import created, changed, or found already as they are."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    # Watchlist entries not put back: the film was watched after it went on the list.
    watched_since: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            + (
                f", {self.watched_since[kind]} not put back: watched since"
                if self.watched_since[kind]
                else ""
            )
            for kind in (
                "movies",
                "media",
                "feedback",
                "history",
                "ratings",
                "watchlist",
                "recommendations",
                "reviews",
                "settings",
                "lists",
                "list_entries",
            )
        ]


class Importer(ReadAhead):
    """Writes the rows of an export as one person's; see user_export_import."""

    def __init__(self, user):
        self.user, self.counts = user, ImportCounts()
        self.index = MovieIndex.load()
        self.media: dict[str, Media] = {}
        self.films: set[int] = set()  # counted already, as created or as unchanged
        # The films whose Marquee rating the rows touch: by feedback, by a rating row.
        self.feedback_films: set[int | None] = set()
        self.rated_films: set[int] = set()
        self.slates: dict[uuid.UUID, uuid.UUID] = {}  # the export's slate id: its id here
        self.stored_media: dict[str, Media] = {}  # the items here the file names, by id
        self.new_rows: defaultdict[str, list] = defaultdict(list)  # inserted later

    def movie(self, row: dict, where: str) -> Movie | None:
        if not row["movie_title"]:
            return None
        identity = self.identity(row)
        pk = self.known_film(identity, where)
        if pk is not None:
            self.count_unchanged_film(pk)
            # The film as the index holds it, without a query: its pk, and its year, which
            # a viewing of it is validated against (ViewingHistory.film_year).
            return Movie(pk=pk, year=self.index.years.get(pk))
        movie = Movie(
            title=row["movie_title"],
            year=row["movie_year"],
            tmdb_id=row["movie_tmdb_id"],
            imdb_id=row["movie_imdb_id"],
        )
        # The index has every film's ids: a film it did not match holds none of them.
        save(movie, where, held={"tmdb_id", "imdb_id"})
        self.counts.created["movies"] += 1
        self.films.add(movie.pk)
        self.index.add(movie.pk, identity)
        return movie

    @staticmethod
    def identity(row: dict) -> Identity:
        return Identity(
            tmdb_id=row["movie_tmdb_id"],
            imdb_id=row["movie_imdb_id"],
            titles=(row["movie_title"],),
            year=row["movie_year"],
        )

    def count_unchanged_film(self, pk: int | None) -> None:
        """A film of this Marquee the export names: counted once, however many rows."""
        if pk is not None and pk not in self.films:
            self.films.add(pk)
            self.counts.unchanged["movies"] += 1

    def known_film(self, identity: Identity, where: str) -> int | None:
        """The film's pk here, or None.

        With an id, the imports' matcher (ids, then title and year, case-insensitively).
        Without one, the exact title: an export copies its catalog's titles as they are,
        so "Twin" and "twin" of one export are two films there, and stay two here.
        """
        if identity.tmdb_id or identity.imdb_id:
            try:
                return self.index.match(identity)
            except MatchConflict as exc:
                raise ExportFormatError(f"{where}: {exc}") from None
        pks = list(
            Movie.objects.filter(title=identity.titles[0], year=identity.year).values_list(
                "pk", flat=True
            )[:2]
        )
        if len(pks) > 1:
            raise ExportFormatError(
                f"{where}: several films in the catalog are {identity.describe()}"
            )
        return pks[0] if pks else None

    def media_item(self, row: dict, where: str) -> Media:
        media_id = row["media_id"]
        if not media_id:
            raise ExportFormatError(f"{where}: media_id is empty: each row names its media item")
        if media_id not in self.media:
            if media_id.startswith(MARQUEE_MEDIA_ID) and row["movie_title"]:
                self.media[media_id] = self.film_own_item(row, where)
            else:
                self.media[media_id] = self.shared_item(row, where)
        return self.media[media_id]

    def film_own_item(self, row: dict, where: str) -> Media:
        """An item Marquee made for a film stands for that film: its id holds the film's
        pk in the Marquee that exported it, which here may be another film. So it is this
        Marquee's own item for the film, as the film's page would make it."""
        movie = self.movie(row, where)
        media = marquee_media(movie=movie)
        if media.stored:
            self.counts.unchanged["media"] += 1
            return media
        media.title = row["media_title"] or ""
        media.media_type = row["media_type"] or ""
        media.duration = row["media_duration"]
        checked(media, where)
        self.counts.created["media"] += 1
        media = media_saved(media=media)
        # A later row's item of the same id is this one: another Marquee's item of a film
        # deleted there, numbered as this film is here (shared_item refuses it).
        self.stored_media[media.media_id] = media
        return media

    def shared_item(self, row: dict, where: str) -> Media:
        """A media server's item, by its id: it is shared by everyone who watched it, so
        one already here is kept, if it is the film the export says it is."""
        media = self.stored_media.get(row["media_id"])
        if media is None:
            media = Media(
                media_id=row["media_id"],
                title=row["media_title"] or "",
                media_type=row["media_type"] or "",
                duration=row["media_duration"],
                movie=self.movie(row, where),
            )
            save(media, where, held={"media_id"})  # no item here has the id (read_ahead)
            self.counts.created["media"] += 1
            return media
        if (problem := self.other_film(media, row, where)) is not None:
            raise ExportFormatError(f"{where}: media_id {quoted(media.media_id)} {problem}")
        self.counts.unchanged["media"] += 1
        self.count_unchanged_film(media.movie_id)
        return media

    def other_film(self, media: Media, row: dict, where: str) -> str | None:
        """Why the item here is not the export's, or None. Feedback on one film must not
        become feedback on another: an item linked to a film here is the export's only if
        the export names that film, or none (where it was not matched to a film)."""
        if not row["movie_title"]:
            if media.media_id.startswith(MARQUEE_MEDIA_ID) and media.movie_id is not None:
                # Marquee's own item of a film deleted there: its id means nothing here.
                return f"is “{film_title(media)}” here, an item of another Marquee's film"
            return None
        if media.movie_id is None:
            return None
        identity = self.identity(row)
        if self.known_film(identity, where) == media.movie_id:
            return None
        return f"is “{film_title(media)}” here, not {identity.describe()}"

    def feedback(self, row: dict, where: str) -> None:
        media = self.media_item(row, where)
        values = {name: row[name] for name in ("watched_completion", "would_watch_again")}
        current = self.feedback_here.get(media.pk)
        values.update(rating=row["rating"], timestamp=row["timestamp"] or dated(current))
        new = UserFeedback(user=self.user, media=media)
        if self.write("feedback", current, new, values, where):
            self.feedback_here.setdefault(media.pk, new)
            if media.movie_id in self.films_on_watchlist and watchlist_feedback_saved(
                user=self.user,
                movie_id=media.movie_id,
                given_at=values["timestamp"],
                watched_completion=values["watched_completion"],
            ):
                self.films_on_watchlist.discard(media.movie_id)
        self.feedback_films.add(media.movie_id)

    def viewing(self, row: dict, where: str) -> None:
        media = self.media_item(row, where)
        started_at = row["started_at"]
        if started_at is None:
            # Unlike the other rows' dates, it is what finds the viewing again.
            raise ExportFormatError(
                f"{where}: started_at is empty: a viewing is found again by when it started"
            )
        values = {"minutes_watched": row["minutes_watched"], "completed": bool(row["completed"])}
        unclaimed = self.unclaimed_viewings(media, started_at)
        current = unclaimed.pop(0) if unclaimed else None
        new = ViewingHistory(user=self.user, media=media, started_at=started_at)
        if self.write("history", current, new, values, where) and (
            media.movie_id in self.films_on_watchlist
            and watchlist_viewing_saved(
                user=self.user,
                movie_id=media.movie_id,
                started_at=started_at,
                completed=values["completed"],
            )
        ):
            self.films_on_watchlist.discard(media.movie_id)

    def unclaimed_viewings(self, media: Media, started_at: datetime) -> list[ViewingHistory]:
        """The person's viewings of media started then that no earlier row has matched.

        Nothing forbids two viewings with the same media and start, so they are matched
        in order: the n-th such row of the export is the n-th such viewing here, oldest
        first. Every row is kept, and a second import finds each one its own viewing.
        """
        return self.viewings_here[media.pk, started_at]

    def rating(self, row: dict, where: str) -> None:
        movie = self.movie(row, where)
        if movie is None:
            raise ExportFormatError(f"{where}: a rating names its film")
        values = {name: row[name] for name in ("value", "scale_min", "scale_max", "rated_at")}
        current = self.ratings_here.get((movie.pk, row["source"]))
        new = Rating(rater_kind=RaterKind.USER, user=self.user, movie=movie, source=row["source"])
        if self.write("ratings", current, new, values, where):
            self.ratings_here.setdefault((movie.pk, row["source"]), new)
        if row["source"] == RatingSource.MARQUEE:
            self.rated_films.add(movie.pk)

    def watchlist_entry(self, row: dict, where: str) -> None:
        movie = self.movie(row, where)
        if movie is None:
            raise ExportFormatError(f"{where}: a watchlist entry names its film")
        current = self.watchlist_here.get(movie.pk)
        values = {"added_at": row["added_at"] or dated(current, "added_at")}
        if self.watched_since(movie.pk, values["added_at"]):
            # An entry the person has on the list now (put there again since) stays.
            self.counts.watched_since["watchlist"] += 1
            return
        new = WatchlistEntry(user=self.user, movie=movie)
        if self.write("watchlist", current, new, values, where):
            self.watchlist_here.setdefault(movie.pk, new)

    def watched_since(self, movie_id: int, since: datetime) -> bool:
        """feedback.watchlist.watched_since, from what last_watched read."""
        last = self.last_watched.get(movie_id)
        return last is not None and last >= since

    def recommendation(self, row: dict, where: str) -> None:
        """A pick shown to the person, found again by its slate and its slot."""
        if row["slate_id"] is None:
            raise ExportFormatError(f"{where}: a recommendation names its slate")
        media = self.media_item(row, where)
        values = {
            "media_id": media.pk,
            "score": row["score"],
            "reason": row["reason"] or "",
            "engine_version": row["engine_version"] or "",
            "selected": bool(row["selected"]),
        }
        identity = {
            "user": self.user,
            "slate_id": self.slate_here(row["slate_id"]),
            "recommendation_type": row["recommendation_type"] or "",
        }
        key = (identity["slate_id"], identity["recommendation_type"])
        current = self.recommendations_here.get(key)
        values["timestamp"] = row["shown_at"] or dated(current)
        new = RecommendationLog(media=media, **identity)
        if self.write("recommendations", current, new, values, where):
            self.recommendations_here.setdefault(key, new)

    def slate_here(self, slate_id: uuid.UUID) -> uuid.UUID:
        """The export's slate id, unless another person's picks here hold it: the export
        of someone on this Marquee, imported into another account. Those picks stay theirs,
        and these take an id made from the export's and this person's, the same id at
        every import, so that the picks stay one slate and a second import finds them."""
        return self.slates[slate_id]  # read_ahead read them

    def review(self, row: dict, where: str) -> None:
        """The person's review of the film, as the export has it, dates included."""
        movie = self.movie(row, where)
        if movie is None:
            raise ExportFormatError(f"{where}: a review names its film")
        current = Review.objects.filter(user=self.user, movie_id=movie.pk).first()
        text = review_text_cleaned(row["text"])
        # A review without a date in the file keeps the one it has here, or is posted now.
        posted_at = row["posted_at"] or (current and current.posted_at) or timezone.now()
        values = {
            "text": text,
            "contains_spoilers": bool(row["contains_spoilers"]),
            "posted_at": posted_at,
            "edited_at": row["edited_at"],
        }
        if (
            current is not None
            and review_reads(current, text=text, contains_spoilers=values["contains_spoilers"])
            and (current.posted_at, current.edited_at) == (posted_at, values["edited_at"])
        ):
            self.counts.unchanged["reviews"] += 1
            return
        try:
            review_save(user=self.user, movie=movie, **values)
        except ValidationError as exc:
            raise ExportFormatError(f"{where}: {first_problem(Review, exc)}") from None
        (self.counts.created if current is None else self.counts.updated)["reviews"] += 1

    def marquee_ratings_follow_feedback(self) -> None:
        """Derive the Marquee ratings the rows touched again from the feedback, once all
        are written; a rating row of a film without rated feedback stays as written."""
        person = self.user.pk
        marquee_ratings_sync(pairs={(person, film) for film in self.feedback_films})
        marquee_ratings_sync(
            pairs={(person, film) for film in self.rated_films - self.feedback_films},
            drop_unfollowed=False,
        )

    def write(self, kind: str, current, new, values: dict, where: str) -> bool:
        """Give the person's row its values: current if there is one, else new; counted.
        False if the row was there already with those values, and nothing was written."""
        if current is None:
            instance, counts = new, self.counts.created
        elif all(getattr(current, name) == value for name, value in values.items()):
            self.counts.unchanged[kind] += 1
            return False
        else:
            instance, counts = current, self.counts.updated
        for name, value in values.items():
            setattr(instance, name, value)
        held = MATCHED_BY.get(kind, ())
        # An earlier row's, not inserted yet: a row the file gives twice.
        pending = instance is current and instance._state.adding
        if self.inserted_later(kind, instance):
            checked(instance, where, held=held)
            if not pending:
                self.new_rows[kind].append(instance)
        else:
            if pending:
                self.new_rows[kind].remove(instance)
            save(instance, where, held=held)
        counts[kind] += 1
        return True

    def inserted_later(self, kind: str, instance) -> bool:
        """Whether a new row waits for the other new rows of its kind, to be inserted with
        them (insert_new_rows). Not a slate's chosen pick: the database checks it against
        the picks written, one chosen a slate, and the file's other chosen picks are."""
        if not instance._state.adding or kind not in INSERTED_TOGETHER:
            return False
        return not (kind == "recommendations" and instance.selected)

    def insert_new_rows(self, kind: str) -> None:
        """The new rows of a kind, in a few queries, once all its rows are read. What a
        row's save() does besides (a rating's film's stats) is done for all of them."""
        rows = self.new_rows.pop(kind, [])
        if not rows:
            return
        type(rows[0]).objects.bulk_create(rows, batch_size=INSERT_BATCH_SIZE)
        if kind == "ratings":
            refresh_rating_stats({rating.movie_id for rating in rows})


# The UNIQUE constraints each kind's rows are matched by: the importer looked for the
# person's row with the same columns first, so a new row cannot break them, and validation
# leaves them to the database. (A pick's slate is the person's alone: slate_here.)
MATCHED_BY = {
    "feedback": {"feedback_one_per_user_and_media"},
    "ratings": {"catalog_rating_one_per_user"},
    "watchlist": {"feedback_watchlist_one_per_user_and_movie"},
    "recommendations": {"recs_log_one_per_slot"},
    # A new entry goes after the list's last position (FilmListImport.next_position).
    "list_entries": {
        "feedback_film_list_entry_one_per_film",
        "feedback_film_list_entry_one_per_position",
    },
}
# The kinds whose new rows are inserted together (Importer.insert_new_rows): rows nothing
# later in the same kind points at. Films, media items and lists are saved at once, for
# the rows that name them.
INSERTED_TOGETHER = {
    "feedback",
    "history",
    "ratings",
    "recommendations",
    "watchlist",
    "list_entries",
}
INSERT_BATCH_SIZE = 1000


@transaction.atomic
def user_export_import(*, user, rows: dict[str, list[dict]]) -> ImportCounts:
    """Make an export's rows the person's: all of them, or (on an error) none."""
    importer = Importer(user)
    importer.read_ahead(rows)
    lists = FilmListImport(importer)
    for kind, write in (
        ("feedback", importer.feedback),
        ("history", importer.viewing),
        ("ratings", importer.rating),
        ("recommendations", importer.recommendation),
        ("reviews", importer.review),
        ("settings", partial(settings_import, importer)),
        ("lists", lists.film_list),
        ("list_entries", lists.entry),
        # Last: the viewings and feedback above take films off the watchlist that the
        # person had put there before, and an entry of the export the person (or the
        # file) watched since is not put back (watched_since).
        ("watchlist", importer.watchlist_entry),
    ):
        for number, row in in_writing_order(kind, rows[kind]):
            write(row, f"{kind} row {number}")
        importer.insert_new_rows(kind)
    importer.marquee_ratings_follow_feedback()
    return importer.counts


def in_writing_order(kind: str, rows: list[dict]) -> list[tuple[int, dict]]:
    """The rows, numbered as the file has them, in the order they are written.

    A slate keeps at most one chosen pick, a rule checked row by row: the picks not chosen
    are written first, so that where the person chose another pick of a slate since the
    export, the export's choice moves back to where it was rather than clash with it.
    """
    numbered = list(enumerate(rows, start=1))
    if kind == "recommendations":
        numbered.sort(key=lambda pair: bool(pair[1]["selected"]))
    if kind == "list_entries":
        # Each list's films go at its end in the order of their positions, whatever
        # the order of the file's rows (a spreadsheet sorted by title, say).
        numbered.sort(key=lambda pair: pair[1]["position"] or 0)
    return numbered


def film_title(media: Media) -> str:
    """The title of the item's film here, for a refusal: the import holds films by their
    pk alone (Importer.movie), so the title is read now, on the way out."""
    return Movie.objects.filter(pk=media.movie_id).values_list("title", flat=True).get()


def dated(current, field: str = "timestamp") -> datetime:
    """The date of a row whose file left it empty (edited by hand): the person's row's,
    where the import found one, so that a second import changes nothing; else now."""
    return getattr(current, field) if current is not None else timezone.now()
