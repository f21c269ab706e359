"""The import key of a viewing: the line of a Letterboxd diary or a Trakt history it came
from, which finds it at the next import of the same file wherever the person has moved
its date since (ViewingHistory.import_key).

Letterboxd gives each diary entry a link of its own (its "Letterboxd URI", a boxd.it
short link), Trakt each watch an id: "letterboxd:https://boxd.it/abc", "trakt:123456".
A key met on two lines of one file is no line's own (a file edited by hand, an export
tool's copy): those lines are found by their day alone, as before keys were kept. A
viewing the person deleted is gone with its key, and the next import adds it again.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import NamedTuple

from django.db.models import Q

from feedback.models import IMPORT_KEY_MAX_LENGTH, ViewingHistory


class HeldViewing(NamedTuple):
    """A viewing the person has, as an import matches it: `film` is None for one whose
    item lost its film, read only for the key it holds."""

    pk: int
    film: int | None
    started_at: datetime
    completed: bool
    import_key: str


def viewings_held(user) -> list[HeldViewing]:
    """The person's viewings of films, and those of no film that hold a key (which no new
    viewing may take): one query."""
    rows = ViewingHistory.objects.filter(
        Q(media__movie__isnull=False) | ~Q(import_key=""), user=user
    ).values_list("pk", "media__movie_id", "started_at", "completed", "import_key")
    return [HeldViewing(*row) for row in rows]


def import_key(source: str, own_key) -> str:
    """The key of a line whose source gives it `own_key`; "" for none, or for one too
    long to be a link or an id (nothing Letterboxd or Trakt writes)."""
    key = f"{source}:{own_key}" if own_key not in (None, "") else ""
    return key if len(key) <= IMPORT_KEY_MAX_LENGTH else ""


def keys_of_their_own(lines: list[tuple[Hashable, str]]) -> list[str]:
    """The keys of `lines`, each given with the entry it is (its film and day): "" where a
    line of another entry has it too. A line repeated whole, the same entry with the same
    link, is that entry again (the import reads it once) and keeps its key."""
    entries_of_key = defaultdict(set)
    for entry, key in lines:
        entries_of_key[key].add(entry)
    return [key if len(entries_of_key[key]) == 1 else "" for _, key in lines]


class KeysHanded:
    """The keys of the lines no viewing holds, handed out as the lines are matched: to the
    viewing found for a line by its day, where that viewing holds none, and to the
    viewings added."""

    def __init__(self, viewings: Iterable[HeldViewing]):
        self.keys_held = {viewing.pk: viewing.import_key for viewing in viewings}
        self.waiting: defaultdict[tuple, list[str]] = defaultdict(list)

    def line_waits(self, match: tuple, key: str) -> None:
        """A line matched by `match` (its film and day, or moment), with its key."""
        self.waiting[match].append(key)

    def given_to_found(self, found: list[tuple[tuple, int]]) -> list[ViewingHistory]:
        """The viewings found by their day that take a line's key, unsaved: one without a
        key takes one of its line's; one holding another (a Trakt watch found by a diary
        line) keeps it, and a line without a key is taken for it where there is one."""
        taken = []
        for match, pk in found:
            keys = self.waiting[match]
            if not self.keys_held[pk] and any(keys):
                key = next(key for key in keys if key)
                taken.append(ViewingHistory(pk=pk, import_key=key))
            else:
                key = "" if "" in keys else keys[0]
            keys.remove(key)
        return taken

    def next_for(self, match: tuple) -> str:
        """The key of a viewing added for a line of `match`, once those found took theirs."""
        return self.waiting[match].pop(0)
