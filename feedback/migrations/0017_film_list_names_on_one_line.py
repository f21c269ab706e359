"""A list's name is a single line: it heads the list's page and fills menus, select
options and exports' cells. It now holds no control character (feedback/film_list_models.py),
and a CHECK holds the rule. The page's text input could send none, but a crafted form, the
admin and the import of an export let line breaks, tabs and the rest through.

A name that breaks it is mended where it stands, the list and its films staying as they
are: each control character becomes a space, the run of whitespace that makes is one
space, and the name is stripped ("Films\nto show" is "Films to show"). A name that was
nothing else is "Untitled list". Where the mended name is another of the person's lists'
in any letter case (as the UNIQUE compares them), it takes " (2)", " (3)"..., cut short
to stay within 100 characters; the person's list that had the name keeps it, and of two
mended alike the older list has it. Unlike a username (0011), a list's name is its
owner's alone and a renamed list is still theirs to rename, so it mends rather than stop
and ask. Unapplying it drops the CHECK and leaves the mended names as they are: the old
ones broke the pages' headings and menus.

Its helpers are its own, not feedback/media_ids.py's: a migration keeps working as it
was written whatever later code does.
"""

import re

from django.conf import settings
from django.db import migrations, models

import catalog.bounds

# Unicode's control characters (category Cc): C0, DEL and C1.
CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f"
# A control character with the whitespace (or other control characters) around it.
CONTROL_CHARACTER_RUN = re.compile(
    rf"[\s{CONTROL_CHARACTERS}]*[{CONTROL_CHARACTERS}][\s{CONTROL_CHARACTERS}]*"
)
NAME_LENGTH = 100
UNTITLED = "Untitled list"


def mended(name: str) -> str:
    return CONTROL_CHARACTER_RUN.sub(" ", name).strip() or UNTITLED


def free_name(name: str, taken: set[str]) -> str:
    """The name, or the first of "name (2)", "name (3)"... that no name in `taken` (in
    lower case) is, cut to fit NAME_LENGTH."""
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: NAME_LENGTH - len(suffix)].rstrip() + suffix
    return candidate


def names_to_mend(lists) -> dict[int, list[tuple[int, str]]]:
    """Each person's lists whose name breaks the rule, oldest first: (pk, name). Every
    name is read: on SQLite no LIKE can look for a NUL, and names are short."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = lists.order_by("pk").values_list("pk", "user_id", "name")
    for pk, user_id, name in rows.iterator(chunk_size=2000):
        if mended(name) != name:
            found.setdefault(user_id, []).append((pk, name))
    return found


def mend_names(apps, schema_editor):
    FilmList = apps.get_model("feedback", "FilmList")
    lists = FilmList.objects.using(schema_editor.connection.alias)  # not default
    for user_id, broken in names_to_mend(lists).items():
        # The person's other names stay; no new name is an old broken one (those hold a
        # control character), so no update meets the UNIQUE on the way.
        taken = {
            name.lower()
            for name in lists.filter(user_id=user_id)
            .exclude(pk__in=[pk for pk, _ in broken])
            .values_list("name", flat=True)
        }
        for pk, name in broken:
            new_name = free_name(mended(name), taken)
            taken.add(new_name.lower())
            lists.filter(pk=pk).update(name=new_name)


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0016_media_ids_fit_their_address'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(mend_names, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(models.Q(('name__contains', '\x01')), models.Q(('name__contains', '\x02')), models.Q(('name__contains', '\x03')), models.Q(('name__contains', '\x04')), models.Q(('name__contains', '\x05')), models.Q(('name__contains', '\x06')), models.Q(('name__contains', '\x07')), models.Q(('name__contains', '\x08')), models.Q(('name__contains', '\t')), models.Q(('name__contains', '\n')), models.Q(('name__contains', '\x0b')), models.Q(('name__contains', '\x0c')), models.Q(('name__contains', '\r')), models.Q(('name__contains', '\x0e')), models.Q(('name__contains', '\x0f')), models.Q(('name__contains', '\x10')), models.Q(('name__contains', '\x11')), models.Q(('name__contains', '\x12')), models.Q(('name__contains', '\x13')), models.Q(('name__contains', '\x14')), models.Q(('name__contains', '\x15')), models.Q(('name__contains', '\x16')), models.Q(('name__contains', '\x17')), models.Q(('name__contains', '\x18')), models.Q(('name__contains', '\x19')), models.Q(('name__contains', '\x1a')), models.Q(('name__contains', '\x1b')), models.Q(('name__contains', '\x1c')), models.Q(('name__contains', '\x1d')), models.Q(('name__contains', '\x1e')), models.Q(('name__contains', '\x1f')), models.Q(('name__contains', '\x7f')), models.Q(('name__contains', '\x80')), models.Q(('name__contains', '\x81')), models.Q(('name__contains', '\x82')), models.Q(('name__contains', '\x83')), models.Q(('name__contains', '\x84')), models.Q(('name__contains', '\x85')), models.Q(('name__contains', '\x86')), models.Q(('name__contains', '\x87')), models.Q(('name__contains', '\x88')), models.Q(('name__contains', '\x89')), models.Q(('name__contains', '\x8a')), models.Q(('name__contains', '\x8b')), models.Q(('name__contains', '\x8c')), models.Q(('name__contains', '\x8d')), models.Q(('name__contains', '\x8e')), models.Q(('name__contains', '\x8f')), models.Q(('name__contains', '\x90')), models.Q(('name__contains', '\x91')), models.Q(('name__contains', '\x92')), models.Q(('name__contains', '\x93')), models.Q(('name__contains', '\x94')), models.Q(('name__contains', '\x95')), models.Q(('name__contains', '\x96')), models.Q(('name__contains', '\x97')), models.Q(('name__contains', '\x98')), models.Q(('name__contains', '\x99')), models.Q(('name__contains', '\x9a')), models.Q(('name__contains', '\x9b')), models.Q(('name__contains', '\x9c')), models.Q(('name__contains', '\x9d')), models.Q(('name__contains', '\x9e')), models.Q(('name__contains', '\x9f')), _connector='OR', _negated=True), name='feedback_film_list_name_no_control_character', violation_error_message="A list's name cannot hold a line break, a tab or another control character."),
        ),
    ]
