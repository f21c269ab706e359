"""Password guessing is throttled: after AXES_FAILURE_LIMIT wrong passwords for one account
from one address, the right one is refused there too, with a page that says what to do,
until the cool-off has passed (django-axes, config/lockout.py)."""

import datetime as dt
import io
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
LOCKED_OUT_TEMPLATE = "registration/locked_out.html"
# The site's log-in and the admin's: a staff account can use either.
LOGIN_PAGES = [pytest.param("login", id="site"), pytest.param("admin:login", id="admin")]


@pytest.fixture
def alice(db):
    return UserFactory(username="Alice", staff=True)


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def log_in(client, username, password=DEFAULT_PASSWORD, page="login", **meta):
    return client.post(reverse(page), {"username": username, "password": password}, **meta)


def fail(client, username, times, page="login"):
    for _ in range(times):
        log_in(client, username, WRONG, page)


def assert_logged_in(response, client):
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" in client.session


def assert_locked_out(response, client):
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert LOCKED_OUT_TEMPLATE in [template.name for template in response.templates]
    assert "_auth_user_id" not in client.session


def test_the_defaults_are_five_failures_and_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_after_the_limit_the_right_password_gets_the_lockout_page(client, alice, limit, page):
    fail(client, "Alice", limit - 1, page)
    assert_locked_out(log_in(client, "Alice", WRONG, page), client)

    assert_locked_out(log_in(client, "Alice", page=page), client)
    # Either log-in page: the lockout is the account's, not the form's.
    assert_locked_out(log_in(client, "Alice", page="login"), client)
    assert_locked_out(log_in(client, "Alice", page="admin:login"), client)


def test_a_username_in_another_case_counts_towards_the_same_lockout(client, alice, limit):
    spellings = ["alice", "ALICE", "aLiCe", "Alice"]
    for attempt in range(limit):
        log_in(client, spellings[attempt % len(spellings)], WRONG)

    for spelling in spellings:
        assert_locked_out(log_in(client, spelling), client)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"Alice"}


def test_unknown_usernames_in_any_case_count_together(client, limit):
    fail(client, "Nobody", limit - 1)

    assert_locked_out(log_in(client, "NOBODY", WRONG), client)


def test_another_account_from_the_same_address_is_not_locked_out(client, alice, limit):
    bob = UserFactory(username="bob")
    fail(client, "Alice", limit)
    assert_locked_out(log_in(client, "Alice"), client)

    assert_logged_in(log_in(client, bob.username), client)


def test_the_same_account_from_another_address_is_not_locked_out(alice, limit):
    """So that a stranger guessing from elsewhere cannot lock the owner out."""
    stranger = Client(REMOTE_ADDR="198.51.100.7")
    fail(stranger, "Alice", limit)
    assert_locked_out(log_in(stranger, "Alice"), stranger)

    owner = Client(REMOTE_ADDR="203.0.113.20")
    assert_logged_in(log_in(owner, "Alice"), owner)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_a_success_before_the_limit_starts_the_count_again(client, alice, limit, page):
    fail(client, "Alice", limit - 1, page)
    assert_logged_in(log_in(client, "alice", page=page), client)
    client.logout()

    fail(client, "Alice", limit - 1, page)
    assert_logged_in(log_in(client, "Alice", page=page), client)
    client.logout()

    # Counted from zero again: the limit, not fewer, locks the account.
    fail(client, "Alice", limit - 1, page)
    assert_locked_out(log_in(client, "Alice", WRONG, page), client)


def test_after_the_cool_off_the_right_password_logs_in(client, alice, limit, settings):
    fail(client, "Alice", limit)
    wait = settings.AXES_COOLOFF_TIME

    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - wait + dt.timedelta(minutes=1)
    )
    assert_locked_out(log_in(client, "Alice"), client)

    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - wait - dt.timedelta(minutes=1)
    )
    assert_logged_in(log_in(client, "Alice"), client)


def test_tries_during_a_lockout_do_not_extend_it(client, alice, limit, settings):
    """The page says how long to wait; trying again meanwhile must not make that untrue."""
    fail(client, "Alice", limit)
    almost_over = dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=almost_over)

    fail(client, "Alice", 3)
    assert_locked_out(log_in(client, "Alice"), client)

    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == almost_over
    assert attempt.failures_since_start == limit


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_lockout_page_says_how_long_and_how_to_get_back_in(client, alice, limit, page):
    fail(client, "Alice", limit, page)

    response = log_in(client, "Alice", page=page)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "<h1>Too many attempts</h1>" in html
    assert "After 5 wrong passwords" in html
    assert "paused for 15 minutes" in html
    assert f'href="{reverse("password_reset")}"' in html
    assert 'class="site-header"' in html  # the site's own page, not a bare message


def test_the_lockout_page_follows_the_configured_wait(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=1)
    fail(client, "Alice", 3)

    html = log_in(client, "Alice").content.decode()

    assert "After 3 wrong passwords" in html
    assert "paused for 1 minute." in html


def test_a_new_password_from_a_reset_link_lifts_the_lockout(client, alice, limit):
    fail(client, "Alice", limit)
    assert_locked_out(log_in(client, "Alice"), client)
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)

    form = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    new_password = "a-fresh-and-unguessable-passphrase-7"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    assert done.status_code == HTTPStatus.FOUND
    assert done.url == reverse("password_reset_complete")
    assert_logged_in(log_in(client, "Alice", new_password), client)


def test_an_operator_unlocks_an_account_by_its_username(client, alice, limit):
    """As the README says: `manage.py axes_reset_username NAME`, the name the admin shows."""
    fail(client, "ALICE", limit)
    assert_locked_out(log_in(client, "Alice"), client)

    call_command("axes_reset_username", "Alice", stdout=io.StringIO())

    assert_logged_in(log_in(client, "Alice"), client)


def test_a_staff_member_sees_the_lockouts_in_the_admin(client, alice, limit):
    fail(Client(), "bob", limit)
    client.force_login(alice)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert "bob" in response.content.decode()


class TestBehindAProxy:
    """The client's address is REMOTE_ADDR unless MARQUEE_PROXY_COUNT says otherwise."""

    def test_by_default_x_forwarded_for_is_ignored(self, client, alice, limit):
        for attempt in range(limit):
            log_in(client, "Alice", WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")

        response = log_in(client, "Alice", HTTP_X_FORWARDED_FOR="198.51.100.200")

        assert_locked_out(response, client)

    def test_with_one_proxy_its_entry_names_the_client(self, alice, limit, settings):
        settings.MARQUEE_PROXY_COUNT = 1
        proxy = Client(REMOTE_ADDR="127.0.0.1")
        # What the client sends itself comes first; the proxy appends what it saw.
        for attempt in range(limit):
            forged = f"10.0.0.{attempt}, 203.0.113.9"
            log_in(proxy, "Alice", WRONG, HTTP_X_FORWARDED_FOR=forged)

        assert_locked_out(log_in(proxy, "Alice", HTTP_X_FORWARDED_FOR="203.0.113.9"), proxy)
        assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
        other = Client(REMOTE_ADDR="127.0.0.1")
        assert_logged_in(log_in(other, "Alice", HTTP_X_FORWARDED_FOR="203.0.113.10"), other)

    @pytest.mark.parametrize("forwarded", ["", "not-an-address", " , "])
    def test_a_missing_or_wrong_header_falls_back_to_the_proxys_address(
        self, client, alice, settings, forwarded
    ):
        settings.MARQUEE_PROXY_COUNT = 1
        log_in(client, "Alice", WRONG, HTTP_X_FORWARDED_FOR=forwarded)

        assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_a_name_longer_than_any_account_gets_the_form_error_and_is_counted(client, page):
    """django-axes' column holds 255 characters: a longer name, which no account can have,
    made PostgreSQL refuse the attempt's row (a 500)."""
    typed = "X" * 300

    response = log_in(client, typed, WRONG, page)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert AccessAttempt.objects.get().username == "x" * 255
