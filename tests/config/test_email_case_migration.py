"""Email addresses are unique in any letter case in the database itself (feedback
migration 0014, an index on auth_user's upper-cased address, empty addresses aside), and
the migration refuses, naming them, accounts that already share an address rather than
fail on them opaquely."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.config.test_username_case_migration import account_row
from tests.conftest import assert_refused_by_database, insert_and_check_constraints
from tests.factories import UserFactory
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("feedback", "0013_pending_email_change")


def test_the_database_refuses_an_email_taken_in_another_case():
    UserFactory(username="alice", email="Alice@Example.com")

    assert_refused_by_database("auth_user", **account_row("bob") | {"email": "aLICE@example.COM"})


def test_the_database_takes_many_accounts_without_an_email():
    UserFactory(username="alice", email="")

    for name in ("bob", "carol"):
        insert_and_check_constraints("auth_user", account_row(name) | {"email": ""})


def test_refuses_accounts_that_share_an_address_naming_them_and_what_to_do():
    with models_before(*BEFORE) as apps:
        User = apps.get_model("auth", "User")
        for name, email in [
            ("alice", "film@example.com"),
            ("Bob", "FILM@example.com"),
            ("carol", "film@EXAMPLE.com"),
            ("dave", "dave@example.com"),
            ("erin", "Dave@example.com"),
            ("frank", "frank@example.com"),
            ("gina", ""),
            ("hal", ""),
        ]:
            User.objects.create(username=name, email=email)

        with pytest.raises(CommandError) as refused:
            call_command("migrate", "feedback", verbosity=0)

        message = str(refused.value)
        assert '"Bob", "alice", "carol"' in message
        assert '"dave", "erin"' in message
        for alone in ("frank", "gina", "hal"):
            assert alone not in message
        assert "Users" in message
        assert "migrate again" in message
        # Nothing was changed: the accounts are all there, and still at the state before.
        assert User.objects.filter(email__iexact="film@example.com").count() == 3
        assert "0014_emails_unique_in_any_case" not in applied_migrations("feedback")

        # As the message says: all but one changed, the migration goes through.
        User.objects.filter(username="Bob").update(email="bob@example.com")
        User.objects.filter(username="carol").update(email="")
        User.objects.filter(username="erin").update(email="erin@example.com")
        call_command("migrate", "feedback", verbosity=0)

    assert_refused_by_database("auth_user", **account_row("ivy") | {"email": "FRANK@example.com"})
