"""A new email address is the account's only once a link sent to it is followed: a typo
must not leave someone unable to reset their password, believing they can, and nobody
may point an account's password resets at an address that is not theirs."""

import re
import secrets
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from config import services
from config.accounts import EMAIL_IN_USE_MESSAGE
from feedback.pending_email import PendingEmailChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("account_settings")
EMAIL_URL = reverse("email_change")


def another_account_takes_the_address_once_checked(monkeypatch, email: str) -> None:
    """The race for an address: another account gets it just after this one's change was
    checked, before it is saved. Only the database's index sees it then."""
    checked = services.account_email_checked

    def check_then_lose_the_race(**kwargs):
        address = checked(**kwargs)
        UserFactory(username="quicker", email=email)
        return address

    monkeypatch.setattr(services, "account_email_checked", check_then_lose_the_race)


def ask_for(client, email, password):
    return client.post(EMAIL_URL, {"email": email, "password": password})


def link_in(message) -> str:
    """The path of the confirmation link in a sent message."""
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def asked_link(client, user, email, password) -> str:
    ask_for(client, email, password)
    (message,) = [sent for sent in mail.outbox if sent.to == [email]]
    return link_in(message)


class TestAskingForAChange:
    def test_sends_a_link_to_the_new_address_and_keeps_the_old_one_meanwhile(
        self, user_client, user, password
    ):
        before = user.email

        response = ask_for(user_client, "New.Address@EXAMPLE.org", password)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == SETTINGS_URL
        user.refresh_from_db()
        assert user.email == before
        (message,) = mail.outbox
        assert message.to == ["New.Address@example.org"]  # as the account would keep it
        assert user.username in message.body
        assert link_in(message).startswith("/accounts/settings/email/confirm/")
        html = user_client.get(response.url).content.decode()
        assert "We sent a link to New.Address@example.org" in html
        assert f"Your address stays {before} until you follow it" in html

    def test_removing_the_address_needs_no_link(self, user_client, user, password):
        ask_for(user_client, "", password)

        user.refresh_from_db()
        assert user.email == ""
        assert mail.outbox == []

    def test_an_address_in_use_is_refused_before_anything_is_sent(
        self, user_client, other_user, password
    ):
        response = ask_for(user_client, other_user.email.upper(), password)

        assert response.context["form"].has_error("email", code="email_in_use")
        assert mail.outbox == []

    def test_a_wrong_password_sends_nothing(self, user_client):
        ask_for(user_client, "new@example.com", "not-my-password")

        assert mail.outbox == []

    def test_mail_that_cannot_be_sent_is_said_on_the_form_and_changes_nothing(
        self, user_client, user, password, settings
    ):
        settings.MAILERS = {"default": {"BACKEND": "tests.config.mailers.RefusingBackend"}}
        before = user.email

        response = ask_for(user_client, "new@example.com", password)

        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert "The link could not be sent to new@example.com" in html
        assert 'value="new@example.com"' in html  # kept, to try again
        user.refresh_from_db()
        assert user.email == before
        assert not PendingEmailChange.objects.exists()  # no link went out to follow


class TestFollowingTheLink:
    def test_the_link_asks_before_it_changes_anything(self, user_client, user, password):
        before = user.email
        link = asked_link(user_client, user, "new@example.com", password)

        # Mail scanners open links: a GET only shows what the button would do.
        html = user_client.get(link).content.decode()

        assert "new@example.com" in html
        assert 'name="csrfmiddlewaretoken"' in html
        user.refresh_from_db()
        assert user.email == before

    def test_confirming_changes_the_address_and_tells_the_old_one(
        self, user_client, user, password
    ):
        before = user.email
        link = asked_link(user_client, user, "new@example.com", password)

        response = user_client.post(link)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == SETTINGS_URL
        user.refresh_from_db()
        assert user.email == "new@example.com"
        notice = mail.outbox[-1]
        assert notice.to == [before]
        assert "new@example.com" in notice.body
        html = user_client.get(SETTINGS_URL).content.decode()
        assert "Your email address is now new@example.com." in html

    def test_an_account_without_an_address_gets_one_and_then_its_reset_links(
        self, client, password
    ):
        person = UserFactory(email="")
        client.force_login(person)
        link = asked_link(client, person, "late@example.com", password)

        client.post(link)
        client.post(reverse("logout"))
        mail.outbox.clear()
        client.post(reverse("password_reset"), {"email": "late@example.com"})

        (message,) = mail.outbox  # no notice: there was no address to tell
        assert message.to == ["late@example.com"]
        assert person.username in message.body

    def test_a_link_works_once(self, user_client, user, password):
        link = asked_link(user_client, user, "new@example.com", password)
        user_client.post(link)

        response = user_client.post(link)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "a link works once" in response.content.decode()

    def test_a_link_followed_does_not_work_again_once_the_old_address_is_back(
        self, user_client, user, password
    ):
        # Found by review: a link checked only the address it replaced, so it worked again
        # once the account had that address again, without a password.
        user.email = ""
        user.save()
        link = asked_link(user_client, user, "dave@example.com", password)
        user_client.post(link)
        ask_for(user_client, "", password)  # the address removed

        response = user_client.post(link)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "a link works once" in response.content.decode()
        user.refresh_from_db()
        assert user.email == ""

    def test_asking_again_spends_the_earlier_link(self, user_client, user, password):
        first = asked_link(user_client, user, "first@example.com", password)
        asked_link(user_client, user, "second@example.com", password)

        response = user_client.post(first)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        user.refresh_from_db()
        assert user.email != "first@example.com"

    def test_the_key_itself_is_not_kept(self, user_client, user, password):
        link = asked_link(user_client, user, "new@example.com", password)
        key = link.rstrip("/").rsplit("/", 1)[1]

        pending = PendingEmailChange.objects.get(user=user)

        assert key not in pending.key_digest
        assert (pending.email, pending.replaces) == ("new@example.com", user.email)

    def test_of_two_links_only_the_first_followed_counts(self, user_client, user, password):
        first = asked_link(user_client, user, "first@example.com", password)
        second = asked_link(user_client, user, "second@example.com", password)

        user_client.post(second)
        response = user_client.post(first)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        user.refresh_from_db()
        assert user.email == "second@example.com"

    def test_an_address_changed_meanwhile_by_staff_spends_the_link(
        self, user_client, user, password
    ):
        link = asked_link(user_client, user, "new@example.com", password)
        user.email = "set.by.staff@example.com"
        user.save()

        response = user_client.post(link)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "your address has changed since" in response.content.decode()
        user.refresh_from_db()
        assert user.email == "set.by.staff@example.com"

    def test_needs_the_account_it_was_sent_for(self, client, user, other_user, password):
        client.force_login(user)
        link = asked_link(client, user, "new@example.com", password)
        someone_else = Client()
        someone_else.force_login(other_user)
        before = other_user.email

        response = someone_else.post(link)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        html = response.content.decode()
        assert "sent for another account" in html
        assert "new@example.com" not in html
        other_user.refresh_from_db()
        assert other_user.email == before

    def test_a_visitor_logs_in_first_and_comes_back(self, client, user, password):
        client.force_login(user)
        link = asked_link(client, user, "new@example.com", password)
        client.post(reverse("logout"))

        response = client.get(link)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{reverse('login')}?next={quote(link, safe='/')}"

    def test_an_expired_link_changes_nothing(self, user_client, user, password, settings):
        link = asked_link(user_client, user, "new@example.com", password)
        settings.EMAIL_CHANGE_TIMEOUT = -1  # every link is older than that

        response = user_client.post(link)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "expired" in response.content.decode()
        user.refresh_from_db()
        assert user.email != "new@example.com"

    def test_an_address_taken_meanwhile_is_refused(self, user_client, user, password):
        link = asked_link(user_client, user, "new@example.com", password)
        UserFactory(email="NEW@example.com")

        response = user_client.post(link)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert EMAIL_IN_USE_MESSAGE in response.content.decode()
        user.refresh_from_db()
        assert user.email != "new@example.com"

    def test_an_address_taken_at_the_same_moment_is_refused_in_words(
        self, user_client, user, password, monkeypatch
    ):
        before = user.email
        link = asked_link(user_client, user, "new@example.com", password)
        another_account_takes_the_address_once_checked(monkeypatch, "NEW@example.com")

        response = user_client.post(link)

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert EMAIL_IN_USE_MESSAGE in response.content.decode()
        user.refresh_from_db()
        assert user.email == before
        # The link is not spent: nothing of the person's changed.
        assert PendingEmailChange.objects.filter(user=user, email="new@example.com").exists()

    @pytest.mark.parametrize(
        "key", ["nonsense", "a:b:c", "x" * 10_000, "\N{SNOWMAN}", secrets.token_urlsafe(32)]
    )
    def test_a_forged_or_mangled_link_is_a_clear_refusal(self, user_client, user, key):
        before = user.email
        path = reverse("email_confirm", args=[key])

        for response in (user_client.get(path), user_client.post(path)):
            assert response.status_code == HTTPStatus.BAD_REQUEST
            assert "not a valid link" in response.content.decode()
        user.refresh_from_db()
        assert user.email == before

    def test_confirming_needs_the_page_s_csrf_token(self, user, password):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        html = client.get(EMAIL_URL).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        client.post(
            EMAIL_URL,
            {"email": "new@example.com", "password": password, "csrfmiddlewaretoken": token},
        )
        link = link_in(mail.outbox[0])

        refused = client.post(link)
        page = client.get(link).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        accepted = client.post(link, {"csrfmiddlewaretoken": token})

        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert accepted.status_code == HTTPStatus.FOUND
        user.refresh_from_db()
        assert user.email == "new@example.com"

    def test_the_page_and_the_change_cost_fixed_queries(
        self, user_client, user, password, django_assert_num_queries
    ):
        link = asked_link(user_client, user, "new@example.com", password)

        # The session and its user, then the change the link's key names.
        with django_assert_num_queries(3):
            user_client.get(link)
        # The same, then in a savepoint (2) holding account_email_change's own (2): the
        # address in use by another account, the update, and the pending change deleted.
        with django_assert_num_queries(10):
            user_client.post(link)


class TestInTheAdmin:
    def test_staff_cannot_change_the_address_a_link_will_confirm(
        self, user_client, user, password, staff_user
    ):
        staff_client = Client()  # user_client is the test's one `client`, logged in as user
        staff_client.force_login(staff_user)
        link = asked_link(user_client, user, "new@example.com", password)
        pending = PendingEmailChange.objects.get(user=user)
        change_url = reverse("admin:feedback_pendingemailchange_change", args=[pending.pk])

        staff_client.post(
            change_url,
            {
                "user": user.pk,
                "email": "someone.else@example.com",
                "replaces": pending.replaces,
                "requested_at_0": "2026-01-01",
                "requested_at_1": "10:00:00",
            },
        )
        pending.refresh_from_db()
        assert pending.email == "new@example.com"
        # Staff still read it (and may delete it, which spends the link).
        assert staff_client.get(change_url).status_code == HTTPStatus.OK

        user_client.post(link)

        # The link confirms only the address it was sent to.
        user.refresh_from_db()
        assert user.email == "new@example.com"
