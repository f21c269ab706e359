"""Email addresses unique in any letter case in the database, not only in the forms: two
sign-ups (or account pages) sent at the same moment could both take one address, and the
admin and createsuperuser did not check it. A unique index on auth_user's upper-cased
address, the comparison the forms' email__iexact makes on both databases; empty addresses
(an account without one) are left out of it, so any number of accounts may have none.

Like 0011 (usernames), it lives here because auth_user is Django's table and feedback is
the app that depends on accounts; it goes through the schema editor, and unapplying it
drops the index. Its helpers are its own, not 0011's: a migration keeps working as it was
written whatever later ones do.

A database may already hold accounts sharing an address. Which of them should keep it is
for someone to decide, not for a migration: it stops, changing nothing, and names them
(README, upgrading).
"""

from django.core.management.base import CommandError
from django.db import migrations
from django.db.models import Count, Q, UniqueConstraint
from django.db.models.functions import Upper

EMAIL_UNIQUE_IN_ANY_CASE = UniqueConstraint(
    Upper("email"), condition=~Q(email=""), name="auth_user_email_upper_unique"
)


def sharing_an_address(users) -> list[tuple[str, list[str]]]:
    """Each address that accounts share in any case, as they spell it, with their
    usernames, sorted as Python does (the same on both databases)."""
    with_address = users.exclude(email="").annotate(upper=Upper("email"))
    clashing = (
        with_address.values("upper").annotate(accounts=Count("pk")).filter(accounts__gt=1)
    ).values("upper")
    groups: dict[str, tuple[set[str], list[str]]] = {}
    for username, email, upper in with_address.filter(upper__in=clashing).values_list(
        "username", "email", "upper"
    ):
        spellings, usernames = groups.setdefault(upper, (set(), []))
        spellings.add(email)
        usernames.append(username)
    return sorted(
        (" / ".join(sorted(spellings)), sorted(usernames))
        for spellings, usernames in groups.values()
    )


def add_index(apps, schema_editor):
    User = apps.get_model("auth", "User")
    if groups := sharing_an_address(User.objects.using(schema_editor.connection.alias)):
        accounts = "; ".join(
            f"{address}: " + ", ".join(f'"{name}"' for name in usernames)
            for address, usernames in groups
        )
        raise CommandError(
            "Email addresses are now unique in any letter case, and these accounts share "
            f"one: {accounts}. Nothing was changed. Change the address of all but one "
            "account of each group (the admin, under Users), or clear it, then run migrate "
            "again."
        )
    schema_editor.add_constraint(User, EMAIL_UNIQUE_IN_ANY_CASE)


def drop_index(apps, schema_editor):
    schema_editor.remove_constraint(apps.get_model("auth", "User"), EMAIL_UNIQUE_IN_ANY_CASE)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("feedback", "0013_pending_email_change"),
    ]

    operations = [migrations.RunPython(add_index, drop_index, elidable=False)]
