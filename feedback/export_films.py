"""The films and media items an export's rows name, found here or made, for the import of
an export (feedback/export_import.py's Importer).

Every row is matched to its film by TMDB id, then IMDb id, then title and year, and the
film and the media item are created where missing, so an export imports into an empty
Marquee. They are found and made before any row is written, in the order the rows are
written (films_and_items_made): the films a file lacks are inserted together, then the
items, so that a file of thousands of films new here costs a few queries, not a few a
film. A row the first pass did not reach (none should) makes its film or item alone.

A media item keeps its id, except Marquee's own item for a film (marquee:movie:<pk>): that
pk is the exporting Marquee's, another film here or none yet, so the row goes to this
Marquee's own item for its film. A media server's item already here that is linked to
another film than the row's is refused: its feedback would become that film's.
"""

from itertools import batched

from django.db.models import Q

from catalog.importers.matching import Identity, MatchConflict, MovieIndex
from catalog.importers.report import quoted
from catalog.importers.writing import IN_LIST_SIZE
from catalog.models import Movie
from feedback.export_read_ahead import MEDIA_KINDS
from feedback.export_reading import ExportFormatError
from feedback.export_validation import checked, save
from feedback.film_items import FILMS_PER_ITEM_QUERY, film_item_chosen, ids_of_film, own_media_id
from feedback.models import Media
from feedback.services import MARQUEE_MEDIA_ID, marquee_media, media_saved

# The kinds of rows, in the order they are written (user_export_import).
KINDS_IN_WRITING_ORDER = (
    "feedback",
    "history",
    "ratings",
    "recommendations",
    "reviews",
    "settings",
    "lists",
    "list_entries",
    # Before the watchlist: of a film both turned down and on the watchlist, the later
    # wish stays (Importer.wishes_settled), as on the pages.
    "not_interested",
    # Last: the viewings and feedback above take films off the watchlist that the
    # person had put there before, and an entry of the export the person (or the
    # file) watched since is not put back (watched_since).
    "watchlist",
)
# The kinds of rows that name their film themselves, not through a media item.
FILM_KINDS = ("ratings", "reviews", "list_entries", "not_interested", "watchlist")
INSERT_BATCH_SIZE = 1000


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


class FilmsAndItems:
    """Importer's films and items: found, or made before the rows are written."""

    def __init__(self):
        self.index = MovieIndex.load()
        self.media: dict[str, Media] = {}  # each row's item, by the file's media_id
        self.films: set[int] = set()  # counted already, as created or as unchanged
        self.stored_media: dict[str, Media] = {}  # the items here the file names, by id
        # Films without an id, by exact title and year (known_film): those here that the
        # file's rows may name, and those the import makes.
        self.titles_here: dict[tuple[str, int | None], list[int]] = {}
        # The films to insert, under the stand-in pk the index holds them by until then.
        self.films_to_insert: dict[int, tuple[Movie, Identity]] = {}
        self.films_inserted = False
        self.own_items_here: dict[int, list[tuple[Media, bool]]] = {}  # by film, read ahead
        self.own_items: dict[int, Media] = {}  # each film's own item the rows go to
        self.items_to_insert: dict[str, Media] = {}
        self.items_inserted = False

    def films_and_items_made(self, rows: dict[str, list[dict]]) -> None:
        """Find or make every film and item the rows name, as writing them row by row
        would, in their order: a few queries for all the films, a few for all the items."""
        self.titles_here = films_by_title(rows)
        item_rows: dict[str, tuple[dict, str]] = {}  # the first row naming each item
        for kind in KINDS_IN_WRITING_ORDER:
            for number, row in in_writing_order(kind, rows.get(kind, [])):
                where = f"{kind} row {number}"
                if kind in FILM_KINDS:
                    self.movie(row, where)
                elif kind in MEDIA_KINDS and self.looks_up_its_item(kind, row, item_rows):
                    item_rows[row["media_id"]] = (row, where)
                    # A media server's item here names its film already (other_film).
                    if film_own_item_row(row) or row["media_id"] not in self.stored_media:
                        self.movie(row, where)
        self.films_insert()
        self.own_items_read(
            {
                self.movie(row, where).pk
                for row, where in item_rows.values()
                if film_own_item_row(row)
            }
        )
        for row, where in item_rows.values():
            self.media_item(row, where)
        Media.objects.bulk_create(self.items_to_insert.values(), batch_size=INSERT_BATCH_SIZE)
        self.items_to_insert.clear()
        self.items_inserted = True

    @staticmethod
    def looks_up_its_item(kind: str, row: dict, item_rows: dict) -> bool:
        """Whether writing the row would look its item up first: the first row to name
        it, unless refused before (a pick without a slate) or after (no media_id)."""
        if kind == "recommendations" and row["slate_id"] is None:
            return False
        return bool(row["media_id"]) and row["media_id"] not in item_rows

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
        # The form of an IMDb id, which a CHECK asks the database about (its length), is
        # the field's validator's, stricter ("tt" and 7 to 10 digits).
        held = {"tmdb_id", "imdb_id", "catalog_movie_imdb_id_format"}
        if self.films_inserted:
            save(movie, where, held=held)
            pk = movie.pk
        else:
            checked(movie, where, held=held)
            pk = -1 - len(self.films_to_insert)  # a stand-in no film has, until inserted
            self.films_to_insert[pk] = (movie, identity)
        self.counts.created["movies"] += 1
        self.film_known(pk, identity)
        return movie

    def film_known(self, pk: int, identity: Identity) -> None:
        self.films.add(pk)
        self.index.add(pk, identity)
        self.titles_here.setdefault((identity.titles[0], identity.year), []).append(pk)

    def films_insert(self) -> None:
        """Insert the films the rows lack, and know them by their pks from now on."""
        movies = [movie for movie, _ in self.films_to_insert.values()]
        Movie.objects.bulk_create(movies, batch_size=INSERT_BATCH_SIZE)
        for stand_in, (movie, identity) in self.films_to_insert.items():
            self.index.forget(stand_in, identity)
            self.films.discard(stand_in)
            self.titles_here[identity.titles[0], identity.year].remove(stand_in)
            self.film_known(movie.pk, identity)
        self.films_to_insert.clear()
        self.films_inserted = True

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
        key = (identity.titles[0], identity.year)
        if key not in self.titles_here:  # a row films_by_title did not read: none should
            self.titles_here[key] = list(
                Movie.objects.filter(title=key[0], year=key[1]).values_list("pk", flat=True)
            )
        pks = self.titles_here[key]
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

    def own_items_read(self, films: set[int]) -> None:
        """For the films whose own item rows go to: their own items here, and the items
        under their ids (marquee_media's query, for FILMS_PER_ITEM_QUERY films at once)."""
        for some in batched(sorted(films), FILMS_PER_ITEM_QUERY):
            wanted = Q(movie_id__in=some, media_id__startswith=MARQUEE_MEDIA_ID)
            for pk in some:
                wanted |= ids_of_film(pk)
                self.own_items_here[pk] = []
            # An item goes to its film and to the film whose ids it is under, of this
            # batch's: its standing is of this query, which holds all of its film's.
            asked = set(some)
            for item, stands in Media.objects.filter(wanted).with_standing():
                for pk in {item.movie_id, film_numbered(item.media_id)} & asked:
                    self.own_items_here[pk].append((item, stands))

    def film_own_item(self, row: dict, where: str) -> Media:
        """An item Marquee made for a film stands for that film: its id holds the film's
        pk in the Marquee that exported it, which here may be another film. So it is this
        Marquee's own item for the film, as the film's page would make it."""
        movie = self.movie(row, where)
        if movie.pk in self.own_items:  # an earlier row's, stored or to insert
            self.counts.unchanged["media"] += 1
            return self.own_items[movie.pk]
        media = self.own_item_chosen(movie)
        self.own_items[movie.pk] = media
        if media.stored:
            self.counts.unchanged["media"] += 1
            return media
        media.title = row["media_title"] or ""
        media.media_type = row["media_type"] or ""
        media.duration = row["media_duration"]
        if movie.pk in self.own_items_here and not self.items_inserted:
            # The id is free: the items under the film's ids were read (own_items_read).
            checked(media, where, held={"media_id"})
            self.items_to_insert[media.media_id] = media
        else:
            checked(media, where)
            media = self.own_items[movie.pk] = media_saved(media=media)
        self.counts.created["media"] += 1
        # A later row's item of the same id is this one: another Marquee's item of a film
        # deleted there, numbered as this film is here (shared_item refuses it).
        self.stored_media[media.media_id] = media
        return media

    def own_item_chosen(self, movie: Movie) -> Media:
        """marquee_media, from the items read ahead and those to insert."""
        here = self.own_items_here.get(movie.pk)
        if here is None or self.items_inserted:
            return marquee_media(movie=movie)
        taken = {item.media_id for item, _ in here}
        to_insert = []
        media_id, number = own_media_id(movie.pk), 1
        while media_id in taken or media_id in self.items_to_insert:
            if media_id in self.items_to_insert:
                to_insert.append((self.items_to_insert[media_id], False))
            number += 1
            media_id = f"{own_media_id(movie.pk)}:{number}"
        return film_item_chosen(movie, [*here, *to_insert])

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
            if self.items_inserted:  # a row the first pass did not reach: none should
                save(media, where, held={"media_id"})
            else:
                checked(media, where, held={"media_id"})  # no item here has the id
                self.items_to_insert[media.media_id] = media
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


def films_by_title(rows: dict[str, list[dict]]) -> dict[tuple[str, int | None], list[int]]:
    """The films here of each title and year that a row without an id names (known_film),
    in a query for every IN_LIST_SIZE titles rather than one a row."""
    wanted = {
        (row["movie_title"], row["movie_year"])
        for kind in (*FILM_KINDS, *MEDIA_KINDS)
        for row in rows.get(kind, [])
        if row["movie_title"] and not (row["movie_tmdb_id"] or row["movie_imdb_id"])
    }
    found = {key: [] for key in wanted}
    for titles in batched(sorted({title for title, _ in wanted}), IN_LIST_SIZE):
        films = Movie.objects.filter(title__in=titles).order_by("pk")
        for pk, title, year in films.values_list("pk", "title", "year"):
            if (title, year) in found:
                found[title, year].append(pk)
    return found


def film_own_item_row(row: dict) -> bool:
    """Whether the row's item is Marquee's own for its film (FilmsAndItems.film_own_item)."""
    return bool(row["media_id"].startswith(MARQUEE_MEDIA_ID) and row["movie_title"])


def film_numbered(media_id: str) -> int | None:
    """The film pk an id of Marquee's own is under (marquee:movie:<pk>[:<n>]), or None."""
    if not media_id.startswith(MARQUEE_MEDIA_ID):
        return None
    number = media_id.removeprefix(MARQUEE_MEDIA_ID).split(":")[0]
    return int(number) if number.isdigit() else None


def film_title(media: Media) -> str:
    """The title of the item's film here, for a refusal: the import holds films by their
    pk alone (FilmsAndItems.movie), so the title is read now, on the way out."""
    return Movie.objects.filter(pk=media.movie_id).values_list("title", flat=True).get()
