"""The admin's account page and createsuperuser refuse a username another account has in
another letter case in words, before the database's index would (config/usernames.py)."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from config.usernames import TAKEN_IN_ANOTHER_CASE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_form(user) -> dict:
    """What the admin's account page sends back unchanged."""
    return {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }


def test_the_admin_refuses_a_rename_to_a_name_taken_in_another_case(admin_client):
    UserFactory(username="alice")
    bob = UserFactory(username="bob")
    url = reverse("admin:auth_user_change", args=[bob.pk])

    response = admin_client.post(url, change_form(bob) | {"username": "ALICE"})

    assert response.status_code == HTTPStatus.OK
    assert TAKEN_IN_ANOTHER_CASE in response.content.decode()
    bob.refresh_from_db()
    assert bob.username == "bob"


def test_the_admin_takes_a_change_of_case_of_the_account_s_own_name(admin_client):
    bob = UserFactory(username="bob")
    url = reverse("admin:auth_user_change", args=[bob.pk])

    response = admin_client.post(url, change_form(bob) | {"username": "Bob"})

    assert response.status_code == HTTPStatus.FOUND
    bob.refresh_from_db()
    assert bob.username == "Bob"


def test_createsuperuser_refuses_a_name_taken_in_another_case(monkeypatch):
    UserFactory(username="alice")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-quite-unguessable-passphrase-42")

    with pytest.raises(CommandError, match=TAKEN_IN_ANOTHER_CASE):
        call_command("createsuperuser", "--noinput", username="Alice", email="a@example.com")

    assert list(get_user_model().objects.values_list("username", flat=True)) == ["alice"]


def test_createsuperuser_still_makes_a_new_name(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-quite-unguessable-passphrase-42")

    call_command(
        "createsuperuser", "--noinput", username="Root", email="r@example.com", verbosity=0
    )

    assert get_user_model().objects.get(username="Root").is_superuser
