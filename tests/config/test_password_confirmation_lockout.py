"""The pages that ask a logged-in person for their password again (the email form, deleting
the account, changing the password) count a wrong one as a failed log-in: a session left
open is no way round the lockout (config/lockout.py, django-axes)."""

from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.config.test_lockout import WRONG, assert_locked_out, fail, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quite-unguessable-passphrase-42"
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


def change_email(client, password, email="new@example.com"):
    return client.post(reverse("email_change"), {"email": email, "password": password})


def delete_account(client, password):
    return client.post(reverse("account_delete"), {"password": password})


def change_password(client, password):
    return client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


# Each page that asks for the password, as a wrong or right password sent to it.
CONFIRMING_PAGES = [
    pytest.param(change_email, id="email"),
    pytest.param(delete_account, id="delete"),
    pytest.param(change_password, id="password"),
]


def assert_refused_as_locked_out(response):
    """The log-in's own lockout page, the session kept (the person is still logged in)."""
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "registration/locked_out.html" in [template.name for template in response.templates]


def failures_of(username) -> int:
    return sum(row.failures_since_start for row in AccessAttempt.objects.filter(username=username))


@pytest.fixture
def alice(db):
    return UserFactory(username="Alice", email="alice@example.com")


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("send", CONFIRMING_PAGES)
def test_wrong_passwords_there_lock_the_account_out_of_log_in(alice_client, alice, limit, send):
    for _ in range(limit - 1):
        assert send(alice_client, WRONG).status_code == HTTPStatus.OK

    assert_refused_as_locked_out(send(alice_client, WRONG))

    assert_locked_out(log_in(Client(), "alice"), Client())
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert alice.check_password(DEFAULT_PASSWORD)


def test_five_wrong_passwords_on_the_email_form_lock_out_log_in_with_the_right_one(
    alice_client, limit
):
    for _ in range(limit):
        change_email(alice_client, WRONG)

    client = Client()
    assert_locked_out(log_in(client, "Alice"), client)


def test_a_locked_out_person_s_right_password_does_not_delete_the_account(
    alice_client, alice, limit
):
    fail(Client(), "alice", limit)

    response = delete_account(alice_client, DEFAULT_PASSWORD)

    assert_refused_as_locked_out(response)
    assert get_user_model().objects.filter(pk=alice.pk).exists()


def test_the_lockout_page_tells_a_logged_in_person_what_is_paused(alice_client, limit):
    fail(Client(), "Alice", limit)

    page = delete_account(alice_client, DEFAULT_PASSWORD).content.decode()

    assert "your password is not checked from here" in page
    assert "then log in again" not in page  # they are logged in
    assert f'href="{reverse("account_settings")}"' in page


@pytest.mark.parametrize("send", CONFIRMING_PAGES)
def test_locked_out_the_right_password_changes_nothing_and_adds_no_failure(
    alice_client, alice, limit, send
):
    fail(Client(), "Alice", limit)

    assert_refused_as_locked_out(send(alice_client, DEFAULT_PASSWORD))

    alice.refresh_from_db()
    assert (alice.email, alice.check_password(DEFAULT_PASSWORD)) == ("alice@example.com", True)
    # As at log-in: tries during the lockout do not lengthen it.
    assert failures_of("Alice") == limit


def test_the_lockout_is_the_account_s_from_that_address_only(alice_client, alice, limit):
    UserFactory(username="bob")
    for _ in range(limit):
        change_email(alice_client, WRONG)

    assert log_in(Client(), "bob").status_code == HTTPStatus.FOUND
    assert log_in(Client(), "Alice", **ELSEWHERE).status_code == HTTPStatus.FOUND


def test_the_right_password_starts_this_count_again_as_a_log_in_does(alice_client, limit):
    fail(Client(), "Alice", limit - 1)
    fail_elsewhere = Client(**ELSEWHERE)
    fail(fail_elsewhere, "Alice", limit - 1)
    fail(Client(), "bob", limit - 1)

    assert change_email(alice_client, DEFAULT_PASSWORD).status_code == HTTPStatus.FOUND

    # Only this account's count from this address: someone guessing elsewhere, or at
    # another account, gets no fresh tries from the owner typing their password here.
    assert failures_of("Alice") == limit - 1
    assert not AccessAttempt.objects.filter(username="Alice", ip_address="127.0.0.1").exists()
    assert failures_of("bob") == limit - 1


def test_the_password_fields_are_not_kept_with_the_failure(alice_client):
    change_password(alice_client, WRONG)
    change_email(alice_client, WRONG)

    kept = "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert WRONG not in kept
    assert NEW_PASSWORD not in kept


def test_the_admin_s_password_change_counts_too(client, limit):
    staff = UserFactory(username="Boss", staff=True)
    client.force_login(staff)
    url = reverse("admin:password_change")
    form = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(limit - 1):
        assert client.post(url, form | {"old_password": WRONG}).status_code == HTTPStatus.OK

    assert_refused_as_locked_out(client.post(url, form | {"old_password": WRONG}))

    assert_refused_as_locked_out(client.post(url, form | {"old_password": DEFAULT_PASSWORD}))
    staff.refresh_from_db()
    assert staff.check_password(DEFAULT_PASSWORD)
