"""An export of feedback/exports.py read back in, as one person's rows.

Every row is matched to its film, and the film and the media item are created where
missing, so an export imports into an empty Marquee (feedback/export_films.py). Importing
is all or nothing, and importing the same export twice changes nothing the second time.
Reading the file into rows is feedback/export_reading.py.

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

A film turned down ("Not interested") and on the watchlist is one of two wishes that the
pages never keep together (feedback/not_interested.py): once both kinds are written, the
later of the two stays, the person's or the file's, and the earlier is deleted
(Importer.wishes_settled). A file may hold such a pair of its own (the admin let a person
have both): of those, the earlier row is not written at all (Importer.outwished_in_file),
or every import of the file would write it and delete it again.

A viewing is found again by its import key (the Letterboxd or Trakt line it came from),
where the row has one and a viewing here holds it, wherever either has been moved to
since: the row's start and item are then the viewing's. Otherwise by its item and start
(unclaimed_viewings). An export from before keys (version 7 and older) leaves the keys
here as they are; a key is never taken off a viewing.

A recommendation shown is found again by its slate id and slot (primary, backup,
wildcard), which no two picks share. A slate keeps one chosen pick, so a slate's picks
not chosen are written before the chosen one (in_writing_order). A slate id that another
person's picks hold here is that person's: the export of someone on this Marquee,
imported into another account, takes a slate id of its own (Importer.slate_here).

A review is written as the film's page writes it (feedback/export_reviews.py).

An export holds tens of thousands of rows, and the import asks the database little per
row: what the rows look up is read ahead (the person's rows of each kind, the file's
media items and slates: feedback/export_read_ahead.py), the films and items new here are
made before the rows are written, together (feedback/export_films.py), a row is validated
as full_clean() would, without its queries (feedback/export_validation.py), and the new
rows of a kind are inserted together (Importer.insert_new_rows). A query a row is left for
a row that changes a row here (an edit since the export), and for a refused row.
"""

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from catalog.models import RaterKind, Rating, RatingSource
from catalog.rating_stats import refresh_rating_stats
from feedback.export_film_lists import FilmListImport
from feedback.export_films import (
    INSERT_BATCH_SIZE,
    KINDS_IN_WRITING_ORDER,
    FilmsAndItems,
    in_writing_order,
)
from feedback.export_read_ahead import ReadAhead
from feedback.export_reading import ExportFormatError
from feedback.export_reviews import ReviewsImport
from feedback.export_settings import settings_import
from feedback.export_validation import checked, save
from feedback.exports import COLUMNS
from feedback.models import (
    IMPORT_KEY_TAKEN_MESSAGE,
    Media,
    NotInterested,
    UserFeedback,
    ViewingHistory,
    WatchlistEntry,
)
from feedback.not_interested import watchlist_wins
from feedback.services import marquee_ratings_sync
from feedback.watchlist import (
    watchlist_feedback_saved,
    watchlist_viewing_saved,
)
from recommendations.models import RecommendationLog, RecommendationType


@dataclass
class ImportCounts:
    """Per kind of row, how many the import created, changed, or found already as they are."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    # Watchlist entries not put back: the film was watched after it went on the list.
    watched_since: Counter[str] = field(default_factory=Counter)
    # Of a film both turned down and on the watchlist, the earlier wish, deleted.
    outwished: Counter[str] = field(default_factory=Counter)
    # Of a film the file has both wishes for, the file's earlier one, not written.
    outwished_in_file: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            + (
                f", {self.watched_since[kind]} not put back: watched since"
                if self.watched_since[kind]
                else ""
            )
            + (
                f", {self.outwished[kind]} deleted: a later wish says otherwise"
                if self.outwished[kind]
                else ""
            )
            + (
                f", {self.outwished_in_file[kind]} not written: a later wish in the file"
                " says otherwise"
                if self.outwished_in_file[kind]
                else ""
            )
            for kind in ("movies", "media", *COLUMNS)
        ]


class Importer(FilmsAndItems, ReviewsImport, ReadAhead):
    """Writes the rows of an export as one person's; see user_export_import."""

    def __init__(self, user):
        super().__init__()
        self.user, self.counts = user, ImportCounts()
        # The films whose Marquee rating the rows touch: by feedback, by a rating row.
        self.feedback_films: set[int | None] = set()
        self.rated_films: set[int] = set()
        self.slates: dict[uuid.UUID, uuid.UUID] = {}  # the export's slate id: its id here
        self.new_rows: defaultdict[str, list] = defaultdict(list)  # inserted later
        # The file's own wishes, by film: its watchlist's added_at, its turned_down_at.
        self.file_wishes: dict[str, dict[int, datetime]] = {}
        self.keys_claimed: set[str] = set()  # the import keys the history rows took

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
        key = row["import_key"] or ""
        current = self.viewing_of_key(key, where)
        if current is not None:
            values |= {"media_id": media.pk, "started_at": started_at}
        else:
            # A viewing that holds another row's key is that row's, whatever its start: a
            # rewatch the same evening, one of two deleted since, is not the other one.
            unclaimed = [
                viewing
                for viewing in self.unclaimed_viewings(media, started_at)
                if viewing.import_key not in self.file_import_keys
            ]
            current = unclaimed[0] if unclaimed else None
        if current is not None:
            self.viewing_claimed(current)
        if key:
            values["import_key"] = key
            self.keys_claimed.add(key)
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

    def viewing_of_key(self, key: str, where: str) -> ViewingHistory | None:
        """The person's viewing that holds the row's import key, if one does and no
        earlier row took it; a key two rows give is refused, as the database would."""
        by_key = self.viewings_by_key  # read before any viewing is claimed
        if not key:
            return None
        if key in self.keys_claimed:
            raise ExportFormatError(f"{where}: import_key: {IMPORT_KEY_TAKEN_MESSAGE}")
        return by_key.get(key)

    def viewing_claimed(self, viewing: ViewingHistory) -> None:
        """A row has found the viewing: no later row finds it, by its start or its key."""
        unclaimed = self.viewings_here[viewing.media_id, viewing.started_at]
        if viewing in unclaimed:
            unclaimed.remove(viewing)
        if viewing.import_key:
            self.viewings_by_key.pop(viewing.import_key, None)
            self.keys_claimed.add(viewing.import_key)

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
        if self.outwished_in_file("watchlist", movie.pk):
            return
        new = WatchlistEntry(user=self.user, movie=movie)
        if self.write("watchlist", current, new, values, where):
            self.watchlist_here.setdefault(movie.pk, new)

    def not_interested(self, row: dict, where: str) -> None:
        movie = self.movie(row, where)
        if movie is None:
            raise ExportFormatError(f"{where}: a film turned down names its film")
        if self.outwished_in_file("not_interested", movie.pk):
            return
        current = self.not_interested_here.get(movie.pk)
        values = {"turned_down_at": row["turned_down_at"] or dated(current, "turned_down_at")}
        new = NotInterested(user=self.user, movie=movie)
        if self.write("not_interested", current, new, values, where):
            self.not_interested_here.setdefault(movie.pk, new)

    def file_wishes_read(self, rows: dict[str, list[dict]]) -> None:
        """The dates of the file's watchlist entries and films turned down, by film (the
        last row of a film, as the writers keep it), for outwished_in_file. No query:
        the films are known by now (films_and_items_made)."""
        for kind, column in (("watchlist", "added_at"), ("not_interested", "turned_down_at")):
            wishes = self.file_wishes[kind] = {}
            for number, row in in_writing_order(kind, rows[kind]):
                movie = self.movie(row, f"{kind} row {number}")
                if movie is not None and row[column] is not None:
                    wishes[movie.pk] = row[column]

    def outwished_in_file(self, kind: str, movie_id: int) -> bool:
        """Whether the file's row of `kind` ("watchlist", "not_interested") for the film
        is the earlier of the file's own two wishes for it: not written, and counted.
        Written, wishes_settled would delete it again at every import of the file. The
        rule is wishes_settled's (watchlist_wins); an entry not put back (watched_since)
        settles nothing, and the film stays turned down. A row without its date (edited
        by hand) is left to wishes_settled."""
        added_at = self.file_wishes["watchlist"].get(movie_id)
        turned_down_at = self.file_wishes["not_interested"].get(movie_id)
        if added_at is None or turned_down_at is None:
            return False
        listed_wins = watchlist_wins(added_at, turned_down_at)
        if listed_wins and self.watched_since(movie_id, added_at):
            return False
        earlier = listed_wins == (kind == "not_interested")
        self.counts.outwished_in_file[kind] += earlier
        return earlier

    def wishes_settled(self) -> None:
        """Of each film both turned down and on the watchlist, once both kinds are
        written, delete the earlier wish (a tie keeps the watchlist's, the wish to see
        it): as on the pages, where either takes the other away. Two queries, and one
        a kind with rows to delete."""
        turned_down = dict(
            NotInterested.objects.filter(user=self.user).values_list("movie_id", "turned_down_at")
        )
        listed = dict(
            WatchlistEntry.objects.filter(user=self.user, movie_id__in=turned_down).values_list(
                "movie_id", "added_at"
            )
        )
        earlier = {"watchlist": set(), "not_interested": set()}
        for movie_id, added_at in listed.items():
            listed_wins = watchlist_wins(added_at, turned_down[movie_id])
            earlier["not_interested" if listed_wins else "watchlist"].add(movie_id)
        for kind, model in (("watchlist", WatchlistEntry), ("not_interested", NotInterested)):
            if earlier[kind]:
                model.objects.filter(user=self.user, movie_id__in=earlier[kind]).delete()
                self.counts.outwished[kind] += len(earlier[kind])

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
        held = MATCHED_BY.get(kind, set())
        # An earlier row's, not inserted yet: a row the file gives twice.
        pending = instance is current and instance._state.adding
        if self.inserted_later(kind, instance):
            checked(instance, where, held=held | CHECKED_IN_MEMORY.get(kind, set()))
            if not pending:
                self.new_rows[kind].append(instance)
        else:
            if pending:
                self.new_rows[kind].remove(instance)
            if kind == "recommendations" and instance.selected:
                # The database checks the slate's one chosen pick against the picks
                # written: those waiting to be inserted are, first.
                self.insert_new_rows(kind)
            save(instance, where, held=held)
        counts[kind] += 1
        return True

    def inserted_later(self, kind: str, instance) -> bool:
        """Whether a new row waits for the other new rows of its kind, to be inserted with
        them (insert_new_rows). A slate's chosen pick does if no other pick of the slate
        is chosen, here or in the rows written: else it is saved now, and refused by the
        database's check, in its words."""
        if not instance._state.adding or kind not in INSERTED_TOGETHER:
            return False
        return not (kind == "recommendations" and self.slate_chosen_elsewhere(instance))

    def slate_chosen_elsewhere(self, pick: RecommendationLog) -> bool:
        """Whether another pick of the pick's slate is chosen: recommendations_here holds
        every pick of the slate (the slate is the person's alone: slate_here)."""
        if not pick.selected:
            return False
        for slot in RecommendationType.values:
            other = self.recommendations_here.get((pick.slate_id, slot))
            if other is not None and other is not pick and other.selected:
                return True
        return False

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
    # A key is looked for among the person's viewings, and two rows' refused (viewing_of_key).
    "history": {"feedback_history_import_key_unique_per_user"},
    "ratings": {"catalog_rating_one_per_user"},
    "watchlist": {"feedback_watchlist_one_per_user_and_movie"},
    "not_interested": {"feedback_not_interested_one_per_user_and_movie"},
    "recommendations": {"recs_log_one_per_slot"},
    # A new entry goes after the list's last position (FilmListImport.next_position).
    "list_entries": {
        "feedback_film_list_entry_one_per_film",
        "feedback_film_list_entry_one_per_position",
    },
}
# The kinds whose new rows are inserted together (Importer.insert_new_rows): rows nothing
# later in the same kind points at. Films and media items are inserted before any row
# is written (feedback/export_films.py), reviews by reviews_save, and lists saved at once,
# for the entries that follow them.
INSERTED_TOGETHER = {
    "feedback",
    "history",
    "ratings",
    "recommendations",
    "watchlist",
    "list_entries",
    "not_interested",
}
# The rules a row inserted later is held to in memory (inserted_later), left to the
# database as its backstop: a slate's one chosen pick (slate_chosen_elsewhere).
CHECKED_IN_MEMORY = {"recommendations": {"recs_log_one_selected_per_slate"}}


@transaction.atomic
def user_export_import(*, user, rows: dict[str, list[dict]]) -> ImportCounts:
    """Make an export's rows the person's: all of them, or (on an error) none."""
    importer = Importer(user)
    importer.read_ahead(rows)
    importer.films_and_items_made(rows)
    importer.file_wishes_read(rows)
    lists = FilmListImport(importer)
    writers = {
        "feedback": importer.feedback,
        "history": importer.viewing,
        "ratings": importer.rating,
        "recommendations": importer.recommendation,
        "reviews": importer.review,
        "settings": partial(settings_import, importer),
        "lists": lists.film_list,
        "list_entries": lists.entry,
        "not_interested": importer.not_interested,
        "watchlist": importer.watchlist_entry,
    }
    for kind in KINDS_IN_WRITING_ORDER:
        for number, row in in_writing_order(kind, rows[kind]):
            writers[kind](row, f"{kind} row {number}")
        importer.insert_new_rows(kind)
        if kind == "reviews":
            importer.reviews_save()
    importer.wishes_settled()
    importer.marquee_ratings_follow_feedback()
    return importer.counts


def dated(current, field: str = "timestamp") -> datetime:
    """The date of a row whose file left it empty (edited by hand): the person's row's,
    where the import found one, so that a second import changes nothing; else now."""
    return getattr(current, field) if current is not None else timezone.now()
