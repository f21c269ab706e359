"""An export's lists of films written back (feedback/export_import.py calls these): each
list found by its name in any letter case as the lists' UNIQUE folds it (the person's
only list of that name: FilmListQuerySet.named) or made, and its films in the export's
order.

A film already on the list keeps its place and takes the export's note and date; a film
the list lacks goes at its end, in the export's order. So an export brought back into
an empty account gives each list its films as they were, and a second import of it
changes nothing. Positions are not taken from the file: they are the list's own, and
renumbered where a film of the catalog is gone (feedback/film_lists.py); the order is
what the export keeps. The rows are written through full_clean(), as the pages write
them, so a name or note the pages would refuse is refused in their words.
"""

from django.db.models import Max
from django.utils import timezone

from catalog.bounds import INTEGER_MAX
from catalog.importers.report import quoted
from feedback.export_reading import ExportFormatError
from feedback.film_list_models import name_mended
from feedback.film_lists import in_order, renumber
from feedback.models import FilmList, FilmListEntry


class FilmListImport:
    def __init__(self, importer):
        self.importer = importer
        self.lists: dict[str, FilmList] = {}  # by the name in lower case
        self.next_positions: dict[int, int] = {}  # a list's pk: its next free position
        # A list's pk: its entries by film, read at its first entry of the export.
        self.entries: dict[int, dict[int, FilmListEntry]] = {}

    def film_list(self, row: dict, where: str) -> None:
        name = name_mended(row["name"] or "")
        user = self.importer.user
        current = FilmList.objects.named(user, name).first() if name else None
        # Python's lower() and the database's differ ("İ"): a list an earlier row wrote
        # may be found by the database alone.
        if name.lower() in self.lists or (
            current is not None and current.pk in {each.pk for each in self.lists.values()}
        ):
            raise ExportFormatError(
                f"{where}: name {quoted(name)} is another row's list in another case"
            )
        now = timezone.now()
        values = {
            "name": name,
            "description": (row["description"] or "").strip(),
            "created_at": row["created_at"] or (current and current.created_at) or now,
            "updated_at": row["updated_at"] or (current and current.updated_at) or now,
        }
        new = FilmList(user=user)
        self.importer.write("lists", current, new, values, where)
        self.lists[name.lower()] = current or new

    def entry(self, row: dict, where: str) -> None:
        film_list = self.lists.get(name_mended(row["list_name"] or "").lower())
        if film_list is None:
            raise ExportFormatError(
                f"{where}: list_name {quoted(row['list_name'] or '')} is none of the export's lists"
            )
        movie = self.importer.movie(row, where)
        if movie is None:
            raise ExportFormatError(f"{where}: a list entry names its film")
        if film_list.pk not in self.entries:
            self.entries[film_list.pk] = {
                entry.movie_id: entry for entry in film_list.entries.all()
            }
        current = self.entries[film_list.pk].get(movie.pk)
        values = {
            "note": (row["note"] or "").strip(),
            "added_at": row["added_at"] or (current and current.added_at) or timezone.now(),
        }
        new = FilmListEntry(film_list=film_list, movie=movie)
        if current is None:
            new.position = self.next_position(film_list)
        if self.importer.write("list_entries", current, new, values, where):
            self.entries[film_list.pk].setdefault(movie.pk, new)

    def next_position(self, film_list: FilmList) -> int:
        if film_list.pk not in self.next_positions:
            last = film_list.entries.aggregate(last=Max("position"))["last"] or 0
            if last > INTEGER_MAX // 2:
                # Staff set a place that high in the admin: the list closes up first, so
                # that the films the export adds fit after it.
                last = renumber(film_list, list(in_order(film_list)))
            self.next_positions[film_list.pk] = last + 1
        position = self.next_positions[film_list.pk]
        self.next_positions[film_list.pk] += 1
        return position
