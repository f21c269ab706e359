"""Usernames are unique in any letter case in the database itself (feedback migration 0011,
an index on auth_user's upper-cased username), and the migration refuses, naming them,
accounts that already differ only in case rather than fail on them opaquely."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.conftest import assert_refused_by_database
from tests.factories import UserFactory
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("feedback", "0010_user_time_zone")


def account_row(username: str) -> dict:
    """An auth_user row as plain SQL writes it, every NOT NULL column filled."""
    return {
        "username": username,
        "password": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_superuser": False,
        "is_staff": False,
        "is_active": True,
        "date_joined": timezone.now(),
    }


def test_the_database_refuses_a_username_taken_in_another_case():
    UserFactory(username="Alice")

    assert_refused_by_database("auth_user", **account_row("aLICE"))


def test_refuses_accounts_that_differ_only_in_case_naming_them_and_what_to_do():
    with models_before(*BEFORE) as apps:
        User = apps.get_model("auth", "User")
        for name in ("Alice", "alice", "ALICE", "bob", "Bob", "carol"):
            User.objects.create(username=name)

        with pytest.raises(CommandError) as refused:
            call_command("migrate", "feedback", verbosity=0)

        message = str(refused.value)
        assert '"ALICE", "Alice", "alice"' in message
        assert '"Bob", "bob"' in message
        assert "carol" not in message
        assert "Rename" in message
        # Nothing was changed: the accounts are all there, and still at the state before.
        assert User.objects.count() == 6
        assert "0011_usernames_unique_in_any_case" not in applied_migrations("feedback")

        # As the message says: renamed, the migration goes through.
        User.objects.filter(username="alice").update(username="alice2")
        User.objects.filter(username="ALICE").update(username="alice3")
        User.objects.filter(username="Bob").update(username="bobby")
        call_command("migrate", "feedback", verbosity=0)

    assert_refused_by_database("auth_user", **account_row("CAROL"))
