"""On SQLite, the indexes that compare names in any letter case are built again with
Marquee's UPPER and LOWER, which fold every alphabet's letters as PostgreSQL does
(config/unicode_case.py); SQLite's own folded ASCII letters only. Until this, "Émile" and
"émile" could both be usernames on SQLite (and likewise email addresses, one person's
list names and genre names), and moving such a database to PostgreSQL failed on them.

A database may already hold names that differ only in the case of such letters. As 0011
and 0014 do, the migration stops, changing nothing, and names them (README, upgrading):
which one to rename is for a person to decide. On PostgreSQL it does nothing: its indexes
already fold every letter. Unapplying it does nothing either: the indexes stay as built.
"""

from django.core.management.base import CommandError
from django.db import migrations

from config.unicode_case import install_unicode_case, lower, upper

REBUILT = [
    "auth_user_username_upper_unique",
    "auth_user_email_upper_unique",
    "feedback_film_list_name_unique_per_user",
    "catalog_genre_name_ci_unique",
    "catalog_usersearch_query_ci",
]


def groups_alike(rows, field: str, fold, *, owner: str | None = None) -> list[str]:
    """Each group of `rows`' `field` values alike once folded by `fold`, within one `owner`
    if given, quoted and sorted. Folded here, not by SQL: a newer SQLite may read UPPER()
    of a name from the index, the very values being corrected. These tables hold a site's
    accounts, lists and genres: read whole."""
    groups: dict[tuple, list[str]] = {}
    for name, *whose in rows.values_list(field, *([owner] if owner else [])):
        groups.setdefault((*whose, fold(name)), []).append(name)
    quoted = []
    for (*whose, _), names in groups.items():
        if len(names) > 1:
            names = ", ".join(f'"{name}"' for name in sorted(names))
            quoted.append(f'of "{whose[0]}": {names}' if whose else names)
    return sorted(quoted)


def clashes(apps, db: str) -> list[str]:
    User = apps.get_model("auth", "User")
    FilmList = apps.get_model("feedback", "FilmList")
    Genre = apps.get_model("catalog", "Genre")
    found = {
        "usernames (admin: Users)": groups_alike(User.objects.using(db), "username", upper),
        "email addresses (admin: Users)": groups_alike(
            User.objects.using(db).exclude(email=""), "email", upper
        ),
        "list names (admin: Film lists)": groups_alike(
            FilmList.objects.using(db), "name", lower, owner="user__username"
        ),
        "genre names (admin: Genres)": groups_alike(Genre.objects.using(db), "name", lower),
    }
    return [f"{what}: {'; '.join(groups)}" for what, groups in found.items() if groups]


def index_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.connection.ensure_connection()
    install_unicode_case(schema_editor.connection.connection)
    if found := clashes(apps, schema_editor.connection.alias):
        raise CommandError(
            "Letter case is now compared in every alphabet on SQLite, as on PostgreSQL, and "
            f"these differ only in the case of such letters: {'. '.join(found)}. Nothing "
            "was changed. Rename all but one of each group in the admin, then run migrate "
            "again."
        )
    for index in REBUILT:
        schema_editor.execute(f'REINDEX "{index}"')


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("catalog", "0019_member_review_rules"),
        ("feedback", "0014_emails_unique_in_any_case"),
    ]

    operations = [migrations.RunPython(index_again, migrations.RunPython.noop, elidable=False)]
