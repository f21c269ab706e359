"""A media id is the last part of its item's page address (library/media/<path:media_id>/),
so it now holds only what comes back from a browser as it went (feedback/media_ids.py):
no control character, no "." or ".." part between slashes. An id with a line feed made
the item's link impossible to build, and the history and library pages of everyone who
had the item answered 500; browsers resolve a dot part as in a file path, so such an
item's page could not be reached. A validator and two CHECKs hold the rule.

An item whose id breaks it is given the nearest id that fits, and everything on it moves
with it (feedback, viewings, recommendation log entries): each control character becomes
a space, a "." part "%2E" and a ".." part "%2E%2E", the escapes of an address. Unlike a
username (0011), nobody types or reads a media id: it is the media server's, and the
rule refuses it as it is, so correcting it by hand could only make it another id, after
moving each of the item's rows in the admin one by one (and the admin's page of a "." or
".." item cannot be reached either). A person decides only where the corrected id is
another item's already, or too long: merging two items is not a migration's to do. Then
it stops, changing nothing, and names them (README, upgrading). Unapplying it drops the
CHECKs and leaves the corrected ids as they are: the old ones broke pages.

Its helpers are its own, not feedback/media_ids.py's: a migration keeps working as it
was written whatever later code does.
"""

import json

from django.core.management.base import CommandError
from django.db import migrations, models

import feedback.media_ids

# Unicode's control characters (category Cc): C0, DEL and C1.
CONTROL_CHARACTERS = frozenset(
    chr(code) for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
)
ESCAPED_DOT_PARTS = {".": "%2E", "..": "%2E%2E"}
MEDIA_ID_LENGTH = 255


def mended(media_id: str) -> str:
    spaced = "".join(" " if char in CONTROL_CHARACTERS else char for char in media_id)
    return "/".join(ESCAPED_DOT_PARTS.get(part, part) for part in spaced.split("/"))


def ids_to_mend(items) -> dict[str, str]:
    """Each id that breaks the rule, and the one it becomes. Every id is read: on SQLite
    no LIKE can look for a NUL, and ids are short."""
    found = {}
    for media_id in items.values_list("media_id", flat=True).iterator(chunk_size=2000):
        if (new_id := mended(media_id)) != media_id:
            found[media_id] = new_id
    return found


def unmendable(items, found: dict[str, str]) -> list[str]:
    """The ids whose new id is taken (by an item here, or another id mended alike) or too
    long, each saying why, sorted as Python does (the same on both databases)."""
    taken = set(items.filter(media_id__in=set(found.values())).values_list(
        "media_id", flat=True
    ))
    seen: dict[str, list[str]] = {}
    for old_id, new_id in found.items():
        seen.setdefault(new_id, []).append(old_id)
    problems = []
    for old_id, new_id in found.items():
        if len(new_id) > MEDIA_ID_LENGTH:
            problems.append(f"{show(old_id)} (would be longer than {MEDIA_ID_LENGTH})")
        elif new_id in taken or len(seen[new_id]) > 1:
            problems.append(f"{show(old_id)} (would be {show(new_id)}, as another item)")
    return sorted(problems)


def show(media_id: str) -> str:
    """An id quoted with its control characters spelled out: "Show\\nS01E01"."""
    return json.dumps(media_id, ensure_ascii=False)


def mend_ids(apps, schema_editor):
    Media = apps.get_model("feedback", "Media")
    db = schema_editor.connection.alias  # the database being migrated, not default
    items = Media.objects.using(db)
    if not (found := ids_to_mend(items)):
        return
    if problems := unmendable(items, found):
        raise CommandError(
            "Media ids now hold no control character and no “.” or “..” part "
            "between slashes, and these items' ids cannot be corrected: "
            f"{'; '.join(problems)}. Nothing was changed. In the admin, give each one's "
            "feedback, viewings and recommendation log entries (on their own pages) the item "
            "that holds the id it would take, or another, and delete it (Media items); then "
            "run migrate again."
        )
    # Each item under its new id, then what pointed at the old one moved, then the old one
    # deleted: no row points at a missing item at any moment.
    for old_id, new_id in sorted(found.items()):
        values = items.filter(media_id=old_id).values().get()
        items.create(**(values | {"media_id": new_id}))
        for relation in Media._meta.related_objects:
            relation.related_model._base_manager.db_manager(db).filter(
                **{relation.field.attname: old_id}
            ).update(**{relation.field.attname: new_id})
        items.filter(media_id=old_id).delete()
    # PostgreSQL checks the moved rows' foreign keys at commit; until then it adds no
    # CHECK to the table (pending trigger events). Checked now instead.
    schema_editor.connection.check_constraints(
        table_names=[Media._meta.db_table]
        + [relation.related_model._meta.db_table for relation in Media._meta.related_objects]
    )


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0019_member_review_rules'),
        ('feedback', '0015_unicode_case_on_sqlite'),
        # The recommendation log points at media items: its rows move with them.
        ('recommendations', '0003_log_timestamp_plausible'),
    ]

    operations = [
        migrations.RunPython(mend_ids, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='media',
            name='media_id',
            field=models.CharField(max_length=255, primary_key=True, serialize=False, validators=[feedback.media_ids.validate_media_id], verbose_name='media id'),
        ),
        migrations.AddConstraint(
            model_name='media',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('media_id__contains', '\x01')), models.Q(('media_id__contains', '\x02')), models.Q(('media_id__contains', '\x03')), models.Q(('media_id__contains', '\x04')), models.Q(('media_id__contains', '\x05')), models.Q(('media_id__contains', '\x06')), models.Q(('media_id__contains', '\x07')), models.Q(('media_id__contains', '\x08')), models.Q(('media_id__contains', '\t')), models.Q(('media_id__contains', '\n')), models.Q(('media_id__contains', '\x0b')), models.Q(('media_id__contains', '\x0c')), models.Q(('media_id__contains', '\r')), models.Q(('media_id__contains', '\x0e')), models.Q(('media_id__contains', '\x0f')), models.Q(('media_id__contains', '\x10')), models.Q(('media_id__contains', '\x11')), models.Q(('media_id__contains', '\x12')), models.Q(('media_id__contains', '\x13')), models.Q(('media_id__contains', '\x14')), models.Q(('media_id__contains', '\x15')), models.Q(('media_id__contains', '\x16')), models.Q(('media_id__contains', '\x17')), models.Q(('media_id__contains', '\x18')), models.Q(('media_id__contains', '\x19')), models.Q(('media_id__contains', '\x1a')), models.Q(('media_id__contains', '\x1b')), models.Q(('media_id__contains', '\x1c')), models.Q(('media_id__contains', '\x1d')), models.Q(('media_id__contains', '\x1e')), models.Q(('media_id__contains', '\x1f')), models.Q(('media_id__contains', '\x7f')), models.Q(('media_id__contains', '\x80')), models.Q(('media_id__contains', '\x81')), models.Q(('media_id__contains', '\x82')), models.Q(('media_id__contains', '\x83')), models.Q(('media_id__contains', '\x84')), models.Q(('media_id__contains', '\x85')), models.Q(('media_id__contains', '\x86')), models.Q(('media_id__contains', '\x87')), models.Q(('media_id__contains', '\x88')), models.Q(('media_id__contains', '\x89')), models.Q(('media_id__contains', '\x8a')), models.Q(('media_id__contains', '\x8b')), models.Q(('media_id__contains', '\x8c')), models.Q(('media_id__contains', '\x8d')), models.Q(('media_id__contains', '\x8e')), models.Q(('media_id__contains', '\x8f')), models.Q(('media_id__contains', '\x90')), models.Q(('media_id__contains', '\x91')), models.Q(('media_id__contains', '\x92')), models.Q(('media_id__contains', '\x93')), models.Q(('media_id__contains', '\x94')), models.Q(('media_id__contains', '\x95')), models.Q(('media_id__contains', '\x96')), models.Q(('media_id__contains', '\x97')), models.Q(('media_id__contains', '\x98')), models.Q(('media_id__contains', '\x99')), models.Q(('media_id__contains', '\x9a')), models.Q(('media_id__contains', '\x9b')), models.Q(('media_id__contains', '\x9c')), models.Q(('media_id__contains', '\x9d')), models.Q(('media_id__contains', '\x9e')), models.Q(('media_id__contains', '\x9f')), _connector='OR', _negated=True), name='feedback_media_id_no_control_character', violation_error_message='A media id cannot hold a line break, a tab or another control character.'),
        ),
        migrations.AddConstraint(
            model_name='media',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('media_id__exact', '.')), models.Q(('media_id__startswith', './')), models.Q(('media_id__endswith', '/.')), models.Q(('media_id__contains', '/./')), models.Q(('media_id__exact', '..')), models.Q(('media_id__startswith', '../')), models.Q(('media_id__endswith', '/..')), models.Q(('media_id__contains', '/../')), _connector='OR', _negated=True), name='feedback_media_id_no_dot_segment', violation_error_message='A media id cannot have a “.” or “..” part between slashes.'),
        ),
    ]
