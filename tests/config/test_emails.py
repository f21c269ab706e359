"""The admin's account page and createsuperuser refuse an email address another account
has in any letter case in words, before the database's index would (config/emails.py);
createsuperuser says so too when another account takes it at the same moment."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.management.commands import createsuperuser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from config.emails import TAKEN_BY_ANOTHER_ACCOUNT
from tests.at_once import at_once
from tests.config.test_usernames import change_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "a-quite-unguessable-passphrase-42"


class SomeoneTakesTheEmailWhileHashing(MD5PasswordHasher):
    """createsuperuser hashes the password after checking the address: another account
    takes it meanwhile, and only the database's index sees it."""

    def encode(self, password, salt):
        User.objects.get_or_create(username="quicker", email="ROOT@example.com")
        return super().encode(password, salt)


class TestTheAdmin:
    def test_refuses_an_address_another_account_has_in_any_case(self, admin_client):
        UserFactory(username="alice", email="alice@example.com")
        bob = UserFactory(username="bob", email="bob@example.com")
        url = reverse("admin:auth_user_change", args=[bob.pk])

        response = admin_client.post(url, change_form(bob) | {"email": "ALICE@example.com"})

        assert response.status_code == HTTPStatus.OK
        assert response.context["adminform"].form.has_error("email", code="email_in_use")
        assert TAKEN_BY_ANOTHER_ACCOUNT in response.content.decode()
        bob.refresh_from_db()
        assert bob.email == "bob@example.com"

    def test_takes_a_change_of_case_of_the_account_s_own_address_and_shared_blanks(
        self, admin_client
    ):
        UserFactory(username="alice", email="")
        bob = UserFactory(username="bob", email="bob@example.com")
        url = reverse("admin:auth_user_change", args=[bob.pk])

        recased = admin_client.post(url, change_form(bob) | {"email": "Bob@example.com"})
        cleared = admin_client.post(url, change_form(bob) | {"email": ""})

        assert recased.status_code == cleared.status_code == HTTPStatus.FOUND
        bob.refresh_from_db()
        assert bob.email == ""

    @pytest.mark.django_db(transaction=True)
    def test_two_accounts_given_one_address_at_once_one_gets_the_field_s_error(self, admin_user):
        """The second page checks the address free, then its save waits for the first's
        commit and is refused by the index: it answers with the form's error. (SQLite: its
        IMMEDIATE transaction waits at BEGIN, then its check sees the first's address.)"""
        accounts = [UserFactory(username=name) for name in ("alice", "bob")]
        pages = []
        for account in accounts:
            client = Client()
            client.force_login(admin_user)
            url = reverse("admin:auth_user_change", args=[account.pk])
            pages.append((client, url, change_form(account) | {"email": "Shared@example.com"}))
        responses = []

        errors = at_once(
            *(
                lambda client=client, url=url, data=data: responses.append(client.post(url, data))
                for client, url, data in pages
            )
        )

        assert errors == []
        assert sorted(response.status_code for response in responses) == [
            HTTPStatus.OK,
            HTTPStatus.FOUND,
        ]
        (refused,) = [r for r in responses if r.status_code == HTTPStatus.OK]
        assert refused.context["adminform"].form.has_error("email", code="email_in_use")
        assert User.objects.filter(email__iexact="shared@example.com").count() == 1


class TestCreateSuperuser:
    @pytest.fixture(autouse=True)
    def password(self, monkeypatch):
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    def test_noinput_refuses_an_address_taken_in_any_case_in_one_line(self):
        UserFactory(username="alice", email="alice@example.com")

        with pytest.raises(CommandError) as refused:
            call_command("createsuperuser", "--noinput", username="root", email="Alice@EXAMPLE.com")

        assert str(refused.value) == TAKEN_BY_ANOTHER_ACCOUNT
        assert list(User.objects.values_list("username", flat=True)) == ["alice"]

    def test_noinput_refuses_one_from_the_environment_too(self, monkeypatch):
        UserFactory(username="alice", email="alice@example.com")
        monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ALICE@example.com")

        with pytest.raises(CommandError, match=TAKEN_BY_ANOTHER_ACCOUNT):
            call_command("createsuperuser", "--noinput", username="root")

        assert not User.objects.filter(username="root").exists()

    def test_the_prompt_asks_again(self, monkeypatch, capsys):
        UserFactory(username="alice", email="alice@example.com")
        answers = iter(["ALICE@example.com", "root@example.com"])
        monkeypatch.setattr("builtins.input", lambda message: next(answers))
        monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": PASSWORD)

        call_command("createsuperuser", username="root", stdin=Terminal(), verbosity=0)

        assert f"Error: {TAKEN_BY_ANOTHER_ACCOUNT}" in capsys.readouterr().err
        assert User.objects.get(username="root").email == "root@example.com"

    def test_empty_addresses_do_not_clash(self):
        UserFactory(username="alice", email="")

        call_command("createsuperuser", "--noinput", username="root", email="", verbosity=0)

        assert User.objects.filter(email="").count() == 2

    @pytest.mark.django_db(transaction=True)
    def test_an_address_taken_at_the_same_moment_is_a_one_line_refusal(self, settings):
        hasher = SomeoneTakesTheEmailWhileHashing
        settings.PASSWORD_HASHERS = [f"{hasher.__module__}.{hasher.__name__}"]

        with pytest.raises(CommandError) as refused:
            call_command("createsuperuser", "--noinput", username="root", email="root@example.com")

        assert str(refused.value) == TAKEN_BY_ANOTHER_ACCOUNT
        assert not User.objects.filter(username="root").exists()


class Terminal:
    """What createsuperuser wants of stdin before it prompts."""

    def isatty(self):
        return True
