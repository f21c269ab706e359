"""A genre's slug is the last part of its address (/genres/<slug>/), and CHECKs now hold
the slugs an address can hold (catalog/models/movies.py): not empty, no "/", no control
character, not "." or "..". The admin's form and the imports make only tidy slugs, but a
genre written around them (the shell, raw SQL) could have any, and one that no address
could hold made the home page, the lists, search and its films' pages answer 500 for
every visitor.

A slug that breaks the rule is mended where it stands, the genre and its films staying
as they are: each run of "/" and control characters becomes "-", and "-" at either end
goes ("drama/" is "drama", "film/noir" is "film-noir"). A slug that leaves nothing, or
"." or "..", is made from the genre's name as an import makes one ("Film noir" is
"film-noir", "Ciné-club" "cine-club"), or is "genre-<id>" if the name has no letter or
digit. Where the mended slug is another genre's in any letter case, it takes "-2",
"-3"..., cut short to stay within 64 characters: one address still finds one genre,
whatever case it is typed in. Those addresses never answered, so no link to them is
lost. Unapplying it drops the CHECKs and leaves the mended slugs as they are.

Its helpers are its own, not catalog/models/movies.py's: a migration keeps working as it
was written whatever later code does.
"""

import re

import catalog.bounds
import django.db.models.expressions
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models
from django.utils.text import slugify

# "/" and Unicode's control characters (category Cc): C0 (NUL too), DEL and C1.
UNLINKABLE_RUN = re.compile("[/\x00-\x1f\x7f-\x9f]+")
DOT_SEGMENTS = {".", ".."}
SLUG_LENGTH = 64


def breaks_rule(slug: str) -> bool:
    return not slug or slug in DOT_SEGMENTS or UNLINKABLE_RUN.search(slug) is not None


def mended(slug: str, name: str, pk: int) -> str:
    slug = UNLINKABLE_RUN.sub("-", slug).strip("-")
    if not slug or slug in DOT_SEGMENTS:
        # As an import names a genre: ASCII where the name has Latin letters.
        slug = slugify(name) or slugify(name, allow_unicode=True)
        slug = slug[:SLUG_LENGTH].strip("-") or f"genre-{pk}"
    return slug


def free_slug(slug: str, taken: set[str]) -> str:
    """The slug, or the first of "slug-2", "slug-3"... that no slug in `taken` (in lower
    case) is, cut to fit SLUG_LENGTH."""
    candidate, number = slug, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f"-{number}"
        candidate = slug[: SLUG_LENGTH - len(suffix)] + suffix
    return candidate


def mend_slugs(apps, schema_editor):
    Genre = apps.get_model("catalog", "Genre")
    genres = Genre.objects.using(schema_editor.connection.alias)  # not default
    # Every slug is read: on SQLite no LIKE can look for a NUL, and genres are few.
    rows = list(genres.order_by("pk").values_list("pk", "slug", "name"))
    broken = [(pk, slug, name) for pk, slug, name in rows if breaks_rule(slug)]
    broken_pks = {pk for pk, _, _ in broken}
    # No new slug is an old broken one (those break the rule), so no update meets the
    # UNIQUE on the way.
    taken = {slug.lower() for pk, slug, _ in rows if pk not in broken_pks}
    for pk, slug, name in broken:
        new_slug = free_slug(mended(slug, name, pk), taken)
        taken.add(new_slug.lower())
        genres.filter(pk=pk).update(slug=new_slug)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0020_review_edit_dates_plausible'),
    ]

    operations = [
        migrations.RunPython(mend_slugs, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name='genre',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('slug', ''), _negated=True), name='catalog_genre_slug_not_empty', violation_error_message="A genre's slug cannot be empty."),
        ),
        migrations.AddConstraint(
            model_name='genre',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('slug__contains', '/'), _negated=True), name='catalog_genre_slug_no_slash', violation_error_message="A genre's slug cannot hold a “/”."),
        ),
        migrations.AddConstraint(
            model_name='genre',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(models.Q(models.Q(('slug__contains', '\x01')), models.Q(('slug__contains', '\x02')), models.Q(('slug__contains', '\x03')), models.Q(('slug__contains', '\x04')), models.Q(('slug__contains', '\x05')), models.Q(('slug__contains', '\x06')), models.Q(('slug__contains', '\x07')), models.Q(('slug__contains', '\x08')), models.Q(('slug__contains', '\t')), models.Q(('slug__contains', '\n')), models.Q(('slug__contains', '\x0b')), models.Q(('slug__contains', '\x0c')), models.Q(('slug__contains', '\r')), models.Q(('slug__contains', '\x0e')), models.Q(('slug__contains', '\x0f')), models.Q(('slug__contains', '\x10')), models.Q(('slug__contains', '\x11')), models.Q(('slug__contains', '\x12')), models.Q(('slug__contains', '\x13')), models.Q(('slug__contains', '\x14')), models.Q(('slug__contains', '\x15')), models.Q(('slug__contains', '\x16')), models.Q(('slug__contains', '\x17')), models.Q(('slug__contains', '\x18')), models.Q(('slug__contains', '\x19')), models.Q(('slug__contains', '\x1a')), models.Q(('slug__contains', '\x1b')), models.Q(('slug__contains', '\x1c')), models.Q(('slug__contains', '\x1d')), models.Q(('slug__contains', '\x1e')), models.Q(('slug__contains', '\x1f')), models.Q(('slug__contains', '\x7f')), models.Q(('slug__contains', '\x80')), models.Q(('slug__contains', '\x81')), models.Q(('slug__contains', '\x82')), models.Q(('slug__contains', '\x83')), models.Q(('slug__contains', '\x84')), models.Q(('slug__contains', '\x85')), models.Q(('slug__contains', '\x86')), models.Q(('slug__contains', '\x87')), models.Q(('slug__contains', '\x88')), models.Q(('slug__contains', '\x89')), models.Q(('slug__contains', '\x8a')), models.Q(('slug__contains', '\x8b')), models.Q(('slug__contains', '\x8c')), models.Q(('slug__contains', '\x8d')), models.Q(('slug__contains', '\x8e')), models.Q(('slug__contains', '\x8f')), models.Q(('slug__contains', '\x90')), models.Q(('slug__contains', '\x91')), models.Q(('slug__contains', '\x92')), models.Q(('slug__contains', '\x93')), models.Q(('slug__contains', '\x94')), models.Q(('slug__contains', '\x95')), models.Q(('slug__contains', '\x96')), models.Q(('slug__contains', '\x97')), models.Q(('slug__contains', '\x98')), models.Q(('slug__contains', '\x99')), models.Q(('slug__contains', '\x9a')), models.Q(('slug__contains', '\x9b')), models.Q(('slug__contains', '\x9c')), models.Q(('slug__contains', '\x9d')), models.Q(('slug__contains', '\x9e')), models.Q(('slug__contains', '\x9f')), _connector='OR', _negated=True), django.db.models.lookups.Exact(django.db.models.functions.text.Length(django.db.models.functions.text.Concat('slug', models.Value('-'))), django.db.models.expressions.CombinedExpression(django.db.models.functions.text.Length('slug'), '+', models.Value(1)))), name='catalog_genre_slug_no_control_character', violation_error_message="A genre's slug cannot hold a line break, a tab or another control character."),
        ),
        migrations.AddConstraint(
            model_name='genre',
            constraint=catalog.bounds.CheckedByValidation(condition=models.Q(('slug__in', ['.', '..']), _negated=True), name='catalog_genre_slug_not_a_dot_segment', violation_error_message="A genre's slug cannot be “.” or “..”."),
        ),
    ]
