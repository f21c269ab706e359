"""Usernames unique in any letter case in the database, not only in the sign-up form: two
sign-ups sent at the same moment made "Alice" and "alice". A unique index on auth_user's
upper-cased username, the comparison the form's username__iexact makes on both databases.

auth_user is Django's table, whose migrations are not ours to add to; this one lives here
because feedback is the app that depends on accounts. It goes through the schema editor,
so the SQL is each database's own, and unapplying it drops the index.

A database may already hold usernames that differ only in case (createsuperuser and the
admin's rename let them through). They are not renamed here: their owners log in with
those names. The migration stops, changing nothing, and names them (README, upgrading).
"""

from django.core.management.base import CommandError
from django.db import migrations
from django.db.models import Count, UniqueConstraint
from django.db.models.functions import Upper

USERNAME_UNIQUE_IN_ANY_CASE = UniqueConstraint(
    Upper("username"), name="auth_user_username_upper_unique"
)


def case_variants(users) -> list[list[str]]:
    """Each group of usernames that differ only in case, sorted as Python does (the same
    on both databases, whose collations sort case differently)."""
    clashing = (
        users.values(upper=Upper("username"))
        .annotate(accounts=Count("pk"))
        .filter(accounts__gt=1)
        .values("upper")
    )
    groups: dict[str, list[str]] = {}
    for username, upper in (
        users.annotate(upper=Upper("username"))
        .filter(upper__in=clashing)
        .values_list("username", "upper")
    ):
        groups.setdefault(upper, []).append(username)
    return sorted(sorted(group) for group in groups.values())


def add_index(apps, schema_editor):
    User = apps.get_model("auth", "User")
    if groups := case_variants(User.objects.using(schema_editor.connection.alias)):
        names = "; ".join(", ".join(f'"{name}"' for name in group) for group in groups)
        raise CommandError(
            "Usernames are now unique in any letter case, and these accounts differ only "
            f"in case: {names}. Nothing was changed. Rename all but one of each group (the "
            "admin, under Users), tell their owners the new name they log in with, then run "
            "migrate again."
        )
    schema_editor.add_constraint(User, USERNAME_UNIQUE_IN_ANY_CASE)


def drop_index(apps, schema_editor):
    schema_editor.remove_constraint(apps.get_model("auth", "User"), USERNAME_UNIQUE_IN_ANY_CASE)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("feedback", "0010_user_time_zone"),
    ]

    operations = [migrations.RunPython(add_index, drop_index, elidable=False)]
