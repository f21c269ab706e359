"""Writes of a person's lists of films: a list made, edited, deleted; a film added at the
end, removed, moved, given a note. The pages and the import of an export call these.

Who may touch a list is the caller's to check: the pages fetch every list through
FilmList.objects.for_user(request.user), so another person's list is a 404 before any
of these runs.

Positions are unique per list, and neither SQLite nor a non-deferred PostgreSQL UNIQUE
lets two rows swap places in one statement. So a list is renumbered in two steps that
never collide (renumber): its films first move to positions no film holds, then each
takes its place, 1, 2, 3... Every write to a list or its films locks the list's row first
(locked), so that two at once (two tabs) take turns rather than both take the next
position. The list's delete too: it then takes the entries, after the list as the others
do, never before (two writes locking in opposite orders deadlock). A write that finds the
list deleted once it has the lock raises FilmList.DoesNotExist, one that finds its film
taken off FilmListEntry.DoesNotExist: the pages say so, as for a stale page.
"""

import itertools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from catalog.bounds import INTEGER_MAX
from catalog.models import Movie
from feedback.film_list_models import LIST_NAME_TAKEN_MESSAGE, list_name_normalised
from feedback.models import FilmList, FilmListEntry


def saved(film_list: FilmList) -> FilmList:
    """Save a list checked by full_clean(); two saves of one name at once meet the
    UNIQUE, and the second is refused in the form's words, not a 500."""
    film_list.full_clean()
    try:
        with transaction.atomic():
            film_list.save()
    except IntegrityError:
        name_taken = FilmList.objects.named(film_list.user_id, film_list.name).exclude(
            pk=film_list.pk
        )
        if not name_taken.exists():
            raise
        raise ValidationError({"name": LIST_NAME_TAKEN_MESSAGE}) from None
    return film_list


@transaction.atomic
def film_list_create(*, user, name: str, description: str = "") -> FilmList:
    name = list_name_normalised(name).strip()  # an invisible character may hide a space
    return saved(FilmList(user=user, name=name, description=description.strip()))


@transaction.atomic
def film_list_update(*, film_list: FilmList, name: str, description: str) -> FilmList:
    # A list deleted meanwhile would be inserted again by save(), without its films.
    locked(film_list)
    film_list.name = list_name_normalised(name).strip()
    film_list.description = description.strip()
    film_list.updated_at = timezone.now()
    return saved(film_list)


@transaction.atomic
def film_list_delete(*, film_list: FilmList) -> None:
    # The list first: the cascade deletes its entries before the list, the other writes
    # lock the list before its entries, and the two orders at once deadlock. Locked, the
    # entries the cascade collects are all there are: an add waits, then finds no list.
    locked(film_list)
    film_list.delete()  # its entries go with it (CASCADE)


def locked(film_list: FilmList) -> FilmList:
    """The list marked as changed now: an UPDATE, which locks its row until the
    transaction ends, so that a second write to the list waits for this one. A list
    deleted before this had its turn (another tab) raises FilmList.DoesNotExist."""
    if not FilmList.objects.filter(pk=film_list.pk).update(updated_at=timezone.now()):
        raise FilmList.DoesNotExist("The list is deleted.")
    return film_list


def entry_taken_off() -> FilmListEntry.DoesNotExist:
    return FilmListEntry.DoesNotExist("The film is no longer on the list.")


@transaction.atomic
def film_list_entry_add(*, film_list: FilmList, movie: Movie) -> tuple[FilmListEntry, bool]:
    """Put the film at the end of the list: its entry, and whether it is new. A film on
    the list already stays where it is (a second click, a second tab)."""
    locked(film_list)
    entry = FilmListEntry.objects.filter(film_list=film_list, movie=movie).first()
    if entry is not None:
        return entry, False
    last = film_list.entries.aggregate(last=Max("position"))["last"] or 0
    if last >= INTEGER_MAX:
        # Staff set a position as high as the column holds (the admin lets them): the
        # list's films close up first, so that the end has room again.
        last = renumber(film_list, list(in_order(film_list)))
    entry = FilmListEntry(film_list=film_list, movie=movie, position=last + 1)
    entry.full_clean()
    entry.save()
    return entry, True


@transaction.atomic
def film_list_entry_remove(*, entry: FilmListEntry) -> bool:
    """Take the film off its list and close up the positions after it; False if it was
    gone already."""
    film_list = locked(entry.film_list)
    deleted, _ = FilmListEntry.objects.filter(pk=entry.pk).delete()
    if deleted:
        renumber(film_list, list(in_order(film_list)))
    return bool(deleted)


@transaction.atomic
def film_list_entry_move(*, entry: FilmListEntry, to_position: int) -> int:
    """Move the film to `to_position` (1 is the top), the others closing up around it;
    a position past either end is that end. Returns the position it took."""
    film_list = locked(entry.film_list)
    order = list(in_order(film_list))
    if entry.pk not in order:  # taken off meanwhile
        raise entry_taken_off()
    order.remove(entry.pk)
    index = min(max(to_position, 1), len(order) + 1) - 1
    order.insert(index, entry.pk)
    renumber(film_list, order)
    return index + 1


@transaction.atomic
def film_list_entry_note_save(*, entry: FilmListEntry, note: str) -> FilmListEntry:
    locked(entry.film_list)
    entry.note = note.strip()
    entry.full_clean()
    try:
        entry.save(update_fields=["note"])
    except FilmListEntry.NotUpdated:  # taken off meanwhile
        raise entry_taken_off() from None
    return entry


def in_order(film_list: FilmList):
    return film_list.entries.order_by("position").values_list("pk", flat=True)


def renumber(film_list: FilmList, order: list[int]) -> int:
    """Give the entries `order` names positions 1, 2, 3... in that order, and return the
    last, in two UPDATEs: every entry of the list first moves to a position no entry
    holds and none of 1, 2, 3... takes, so that no row ever lands on a position another
    holds, whatever order the database updates them in.

    Those positions are the first free ones past the list's length, so they stay below
    three times its length: positions staff set near the largest the column holds
    (INTEGER_MAX) are moved down, never past it. An entry `order` leaves out keeps its
    free position, after the others."""
    held = list(film_list.entries.order_by("position").values_list("pk", "position"))
    taken = {position for _, position in held}
    free = (
        position
        for position in itertools.count(max(len(order), len(held)) + 1)
        if position not in taken
    )
    FilmListEntry.objects.bulk_update(
        [FilmListEntry(pk=pk, position=next(free)) for pk, _ in held], ["position"]
    )
    FilmListEntry.objects.bulk_update(
        [FilmListEntry(pk=pk, position=number) for number, pk in enumerate(order, start=1)],
        ["position"],
    )
    return len(order)
