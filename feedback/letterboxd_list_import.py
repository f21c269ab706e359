"""A Letterboxd export's lists (feedback/letterboxd_lists.py reads them) written as the
person's lists of films, in the Letterboxd import's transaction
(feedback/letterboxd_import.py runs this after the rest).

Each list is the person's list of that name in any letter case, as the import of a
Marquee export finds it (feedback/export_film_lists.py, with the names mended alike), or
a new one with the file's description, made on the file's Date (at 8 pm in the person's
zone, as the import dates every Letterboxd day, and never after now); a list found keeps
its name, description and date. A film on the list already stays where it is, with the
person's note; the others go at its end, in the file's order, each with the file's note.
So a second import of the same ZIP adds nothing. Two files of one name (in any case) fill
one list, in the ZIP's order, made on the earlier Date.

A name or description the lists' rules refuse (blank, too long), or a Date still to come
in the person's zone, refuses the file, as `file:line: reason: the file was not read`; a note
they refuse, its film's line. The
person is locked by the import, then their lists, read in one query that locks them,
then the films of those the files name, in one more: the order feedback/film_lists.py
takes them in. New lists and new entries are inserted in bulk and the lists given films
marked changed in one UPDATE, so the queries do not grow with the lists or their films.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone

from catalog.bounds import IN_THE_FUTURE_MESSAGE, INTEGER_MAX
from feedback.export_films import INSERT_BATCH_SIZE
from feedback.film_list_models import (
    LIST_NAME_BLANK_MESSAGE,
    LIST_NAME_MAX_LENGTH,
    LIST_NAME_TOO_LONG_MESSAGE,
    name_mended,
)
from feedback.film_lists import in_order, renumber
from feedback.letterboxd_lists import LetterboxdList, not_read
from feedback.models import FilmList, FilmListEntry

# Checked before the rows are written: the person and the film were read just before,
# and the UNIQUEs are met by finding the list, and the film on it, first.
NOT_CHECKED = {"validate_constraints": False}


class LetterboxdListsImport:
    def __init__(self, importer):
        self.importer, self.user, self.summary = importer, importer.user, importer.summary

    def run(self, lists: list[LetterboxdList]) -> None:
        read = [(film_list, self.placed(each)) for each in lists if (film_list := self.read(each))]
        if not read:
            return  # no query for an export without lists
        here = list(
            FilmList.objects.filter(user=self.user)
            .select_for_update()
            .annotate(lowered=Lower("name"))
            .order_by("pk")
        )
        for (film_list, _), name in zip(read, lowered([fl.name for fl, _ in read]), strict=True):
            film_list.lowered = name
        new, targets = [], []
        for film_list, entries in read:
            target = list_named([*here, *new], film_list)
            if target is None:
                target = film_list
                new.append(target)
            elif target.pk is None:
                # A list new here that an earlier file of the name made: it was made when
                # the first of them was. A list the person had keeps its own date.
                target.created_at = min(target.created_at, film_list.created_at)
            targets.append((target, entries))
        held = self.films_held({target.pk for target, _ in targets if target.pk is not None})
        added = self.entries_planned(targets, held)
        FilmList.objects.bulk_create(new)
        FilmListEntry.objects.bulk_create(added, batch_size=INSERT_BATCH_SIZE)
        given = {entry.film_list.pk for entry in added} - {film_list.pk for film_list in new}
        if given:
            # As every write to a list does (feedback.film_lists.locked): "Your lists"
            # shows the latest changed first.
            FilmList.objects.filter(pk__in=given).update(updated_at=timezone.now())
        self.summary.lists_created += len(new)
        self.summary.lists_added_to += len(given)
        self.summary.lists_unchanged += len({id(t) for t, _ in targets}) - len(new) - len(given)
        self.summary.list_entries_added += len(added)

    def read(self, letterboxd_list: LetterboxdList) -> FilmList | None:
        """The file's list as a new list of the person's, checked, made on the file's
        Date; None, reported, for a name or description the lists' rules refuse, or a
        Date still to come in the person's zone, as a line's is (LetterboxdImport)."""
        film_list = FilmList(
            user=self.user,
            name=name_mended(letterboxd_list.name),
            description=letterboxd_list.description.strip(),
        )
        made_on = letterboxd_list.made_on
        # When the import puts every Letterboxd day (moment): 8 pm on it in the person's
        # zone, never after the import, so a list made today is not made after it was
        # last changed (its updated_at, now, which puts it first on "Your lists"). A day
        # still to come in their zone is refused, as a line's is.
        if made_on:
            film_list.created_at = self.importer.moment(made_on)
        if made_on and self.importer.still_to_come(made_on):
            problem = f"Date {made_on.isoformat()}: {IN_THE_FUTURE_MESSAGE}"
        elif not film_list.name:
            problem = LIST_NAME_BLANK_MESSAGE
        elif len(film_list.name) > LIST_NAME_MAX_LENGTH:
            problem = LIST_NAME_TOO_LONG_MESSAGE  # the form's words, not the field's
        else:
            problem = refused(film_list, exclude=["user"])
        if problem:
            self.summary.rejected.append(not_read(f"{letterboxd_list.where}: {problem}"))
            return None
        return film_list

    def placed(self, letterboxd_list: LetterboxdList) -> list[FilmListEntry]:
        """The list's films the catalog has, as entries of no list yet; the others, and
        a note the lists' rules refuse, reported."""
        placed = []
        for line in letterboxd_list.entries:
            entry = FilmListEntry(note=line.note, position=1)
            if problem := refused(entry, exclude=["film_list", "movie"]):
                self.summary.rejected.append(f"{line.where}: {problem}")
            elif film := self.importer.film_found(line):
                entry.movie = film
                placed.append(entry)
        return placed

    def films_held(self, list_pks: set[int]) -> dict[int, dict[int, int]]:
        """The films on each of the lists, by list: each film's position."""
        held = defaultdict(dict)
        if not list_pks:
            return held
        entries = FilmListEntry.objects.filter(film_list__in=list_pks).order_by()
        for list_pk, movie_pk, position in entries.values_list("film_list", "movie", "position"):
            held[list_pk][movie_pk] = position
        return held

    def entries_planned(self, targets, held: dict[int, dict[int, int]]) -> list[FilmListEntry]:
        """The entries new to their lists, at each list's end in the files' order; those
        on it already (or earlier in the files) counted."""
        on_list: dict[int, set[int]] = {}  # by id(): a new list has no pk yet
        last: dict[int, int] = {}
        added = []
        for target, entries in targets:
            if id(target) not in on_list:
                films = held.get(target.pk, {})
                on_list[id(target)] = set(films)
                last[id(target)] = self.last_position(target, films)
            for entry in entries:
                if entry.movie.pk in on_list[id(target)]:
                    self.summary.list_entries_there += 1
                    continue
                on_list[id(target)].add(entry.movie.pk)
                last[id(target)] += 1
                entry.film_list, entry.position = target, last[id(target)]
                added.append(entry)
        return added

    def last_position(self, film_list: FilmList, films: dict[int, int]) -> int:
        last = max(films.values(), default=0)
        if last > INTEGER_MAX // 2:
            # Staff set a place that high in the admin: the list closes up first, so
            # that the films the file adds fit after it (as feedback.export_film_lists).
            last = renumber(film_list, list(in_order(film_list)))
        return last


def list_named(lists: list[FilmList], film_list: FilmList) -> FilmList | None:
    """The list of `film_list`'s name in any letter case, the one of this very name
    first. Letter case as the database folds it (`lowered`), which is what its UNIQUE on
    Lower(name) refuses: on SQLite, whose lower() folds ASCII alone, "Été" and "été" can
    be two lists."""
    same = [each for each in lists if each.lowered == film_list.lowered]
    return next((each for each in same if each.name == film_list.name), None) or next(
        iter(same), None
    )


def lowered(names: list[str]) -> list[str]:
    """Each name as the database's lower() makes it, in one query. Python's str.lower()
    is not that: it makes "İ" two characters where PostgreSQL makes it "i", and folds
    letters SQLite's leaves alone, so a list it took for new could meet the UNIQUE and
    fail the whole import."""
    pairs = ", ".join(["(%s, %s)"] * len(names))
    params = [value for pair in enumerate(names) for value in pair]
    with connection.cursor() as cursor:
        # VALUES names its columns column1, column2... on PostgreSQL and SQLite alike;
        # the f-string adds placeholders only.
        query = f"SELECT column1, lower(column2) FROM (VALUES {pairs}) AS names"  # noqa: S608
        cursor.execute(query, params)
        by_place = dict(cursor.fetchall())
    return [by_place[place] for place in range(len(names))]


def refused(row, *, exclude: list[str]) -> str:
    """What the row's rules refuse in it, in their words; "" for nothing."""
    try:
        row.full_clean(exclude=exclude, **NOT_CHECKED)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""
