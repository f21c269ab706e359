"""The admin's own password forms ("Add user", a member's "Change password") show a weak
password's errors under "Password", where it was typed, as the site's forms do; a
mismatch stays under the confirmation."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss_client():
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == HTTPStatus.OK  # shown again, not saved
    # The add page wraps its form in an AdminForm; the password page passes it bare.
    form = (
        response.context["form"]
        if "form" in response.context
        else response.context["adminform"].form
    )
    return {field: list(errors) for field, errors in form.errors.items()}


def test_adding_a_user_with_a_common_password(boss_client):
    response = boss_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "password123",
            "password2": "password123",
        },
    )

    assert form_errors(response) == {"password1": ["This password is too common."]}
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_changing_a_member_s_password_to_a_short_one(boss_client):
    member = UserFactory(username="erin")
    url = reverse("admin:auth_user_password_change", args=[member.pk])

    response = boss_client.post(
        url, {"usable_password": "true", "password1": "a1b2", "password2": "a1b2"}
    )

    errors = form_errors(response)
    assert list(errors) == ["password1"]
    assert "This password is too short." in errors["password1"][0]


def test_a_mismatch_stays_under_the_confirmation(boss_client):
    member = UserFactory(username="erin")
    url = reverse("admin:auth_user_password_change", args=[member.pk])

    response = boss_client.post(
        url,
        {"usable_password": "true", "password1": "a long Passphrase 1", "password2": "other"},
    )

    assert list(form_errors(response)) == ["password2"]
