"""Two of a person's lists could have names that look the same: "Café" typed with "é" and
with "e" and a combining accent, or "Favourites" and "Favou\u200brites" (a zero-width
space inside). Every write now stores a name in Unicode's composed form (NFC) without
invisible characters (feedback/film_list_models.py), so that the UNIQUE of a person's
names in any letter case sees such names alike, and a CHECK refuses the invisible ones.

A name that breaks it is mended where it stands, as 0017 mended names, the list and its
films staying as they are: composed, its invisible characters dropped, stripped, cut to
100 characters ("Untitled list" if nothing is left). Where the mended name is another
of the person's lists' in any letter case, it takes " (2)", " (3)"...; the list that had
the name keeps it, and of two mended alike the older list has it. Unapplying it drops
the CHECK and leaves the mended names as they are.

Its helpers are its own or 0017's, not feedback/film_list_models.py's: a migration keeps
working as it was written whatever later code does.
"""

import unicodedata
from importlib import import_module

from django.conf import settings
from django.db import migrations, models

import catalog.bounds

ON_ONE_LINE = import_module("feedback.migrations.0017_film_list_names_on_one_line")

INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
INVISIBLE_REMOVED = dict.fromkeys(map(ord, INVISIBLE))


def mended(name: str) -> str:
    name = unicodedata.normalize("NFC", name.translate(INVISIBLE_REMOVED)).strip()
    return name[: ON_ONE_LINE.NAME_LENGTH].rstrip() or ON_ONE_LINE.UNTITLED


def mend_names(apps, schema_editor):
    FilmList = apps.get_model("feedback", "FilmList")
    lists = FilmList.objects.using(schema_editor.connection.alias)  # not default
    broken_by_user: dict[int, list[tuple[int, str]]] = {}
    rows = lists.order_by("pk").values_list("pk", "user_id", "name")
    for pk, user_id, name in rows.iterator(chunk_size=2000):
        if mended(name) != name:
            broken_by_user.setdefault(user_id, []).append((pk, name))
    for user_id, broken in broken_by_user.items():
        # The person's other names stay. No new name is an old broken one in any case
        # (those are not composed or hold an invisible character, which lower() keeps),
        # so no update meets the UNIQUE on the way.
        taken = {
            name.lower()
            for name in lists.filter(user_id=user_id)
            .exclude(pk__in=[pk for pk, _ in broken])
            .values_list("name", flat=True)
        }
        for pk, name in broken:
            new_name = ON_ONE_LINE.free_name(mended(name), taken)
            taken.add(new_name.lower())
            lists.filter(pk=pk).update(name=new_name)


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0017_film_list_names_on_one_line'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(mend_names, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name='filmlist',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(models.Q(('name__contains', '\xad')), models.Q(('name__contains', '\u061c')), models.Q(('name__contains', '\u180e')), models.Q(('name__contains', '\u200b')), models.Q(('name__contains', '\u200e')), models.Q(('name__contains', '\u200f')), models.Q(('name__contains', '\u202a')), models.Q(('name__contains', '\u202b')), models.Q(('name__contains', '\u202c')), models.Q(('name__contains', '\u202d')), models.Q(('name__contains', '\u202e')), models.Q(('name__contains', '\u2060')), models.Q(('name__contains', '\u2061')), models.Q(('name__contains', '\u2062')), models.Q(('name__contains', '\u2063')), models.Q(('name__contains', '\u2064')), models.Q(('name__contains', '\u2066')), models.Q(('name__contains', '\u2067')), models.Q(('name__contains', '\u2068')), models.Q(('name__contains', '\u2069')), models.Q(('name__contains', '\ufeff')), _connector='OR', _negated=True), name='feedback_film_list_name_no_invisible_character', violation_error_message="A list's name cannot hold an invisible character, such as a zero-width space."),
        ),
    ]
