"""The account page: what it shows and what it costs, and changing the email address,
which asks for the password and follows sign-up's rule for an address in use (the link
that confirms a new one: test_email_confirmation)."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from config.account_settings import WRONG_PASSWORD_MESSAGE
from config.accounts import EMAIL_IN_USE_MESSAGE
from config.services import STAFF_DELETION_MESSAGE, account_email_change
from feedback.services import feedback_record
from tests.factories import (
    FilmListEntryFactory,
    MediaFactory,
    NotInterestedFactory,
    RecommendationLogFactory,
    ReviewFactory,
    UserFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("account_settings")
EMAIL_URL = reverse("email_change")
# The session, its user, then one query counting all that is the person's own.
SETTINGS_QUERIES = 3
# The account page reads the person's time zone afresh too, for its form and the session.
ACCOUNT_PAGE_QUERIES = SETTINGS_QUERIES + 1


def give_rows(user, films: int) -> None:
    """Feedback (and with it a rating), a viewing, a watchlist entry, a logged pick, a
    review, a list (with a film) and a film turned down for each of `films` films."""
    for _ in range(films):
        media = MediaFactory()
        feedback_record(user=user, media=media, rating=4)
        ViewingHistoryFactory(user=user, media=media)
        WatchlistEntryFactory(user=user)
        RecommendationLogFactory(user=user, media=media)
        ReviewFactory(member=True, user=user)
        FilmListEntryFactory(film_list__user=user)
        NotInterestedFactory(user=user)


def change_email(client, email, password):
    return client.post(EMAIL_URL, {"email": email, "password": password})


class TestAccountPage:
    def test_needs_an_account(self, client):
        response = client.get(SETTINGS_URL)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{reverse('login')}?next={SETTINGS_URL}"

    def test_shows_the_account_and_links_to_what_can_be_done_with_it(self, user_client, user):
        html = user_client.get(SETTINGS_URL).content.decode()

        assert f"<dd>{user.username}</dd>" in html
        assert f"<dd>{user.email}</dd>" in html
        for url in (
            EMAIL_URL,
            reverse("password_change"),
            reverse("exports:download", args=["csv"]),
            reverse("exports:download", args=["json"]),
            reverse("account_delete"),
        ):
            assert f'href="{url}"' in html, url

    def test_says_the_download_holds_the_reviews_time_zone_lists_and_films_turned_down(
        self, user_client
    ):
        html = user_client.get(SETTINGS_URL).content.decode()

        assert (
            "Download your feedback, history, ratings, watchlist, the recommendations you "
            "were shown, your reviews, your time zone, your lists and the films you turned "
            "down:"
        ) in html

    def test_an_account_without_an_email_is_told_what_that_means(self, client):
        client.force_login(UserFactory(email=""))

        html = client.get(SETTINGS_URL).content.decode()

        assert "None: if you forget your password, it cannot be reset." in html
        assert "Add an email address" in html

    def test_the_menu_links_to_it_on_every_page(self, user_client):
        html = user_client.get(reverse("catalog:movie_list")).content.decode()

        assert f'<a href="{SETTINGS_URL}">Account</a>' in html

    def test_a_staff_account_is_pointed_to_the_admin_instead_of_deleting_itself(self, staff_client):
        html = staff_client.get(SETTINGS_URL).content.decode()

        assert STAFF_DELETION_MESSAGE in html
        assert reverse("account_delete") not in html

    def test_counts_only_the_person_s_own_rows_in_a_fixed_number_of_queries(
        self, user_client, user, other_user, django_assert_num_queries
    ):
        give_rows(user, films=6)
        give_rows(other_user, films=2)

        with django_assert_num_queries(ACCOUNT_PAGE_QUERIES):
            response = user_client.get(SETTINGS_URL)

        assert response.context["own_rows"] == {
            "feedback": 6,
            "viewings": 6,
            "watchlist": 6,
            "ratings": 6,
            "recommendations": 6,
            "reviews": 6,
            "lists": 6,
            "not_interested": 6,
        }
        assert "6 viewings" in response.content.decode()
        assert "6 lists of films" in response.content.decode()
        assert "6 films Marquee will not suggest" in response.content.decode()

    def test_an_account_with_nothing_yet_counts_zeros(self, user_client):
        own_rows = user_client.get(SETTINGS_URL).context["own_rows"]

        assert set(own_rows.values()) == {0}


class TestEmailChange:
    def test_needs_an_account(self, client):
        response = client.get(EMAIL_URL)

        assert response.url == f"{reverse('login')}?next={EMAIL_URL}"

    def test_the_form_starts_from_the_current_address(self, user_client, user):
        html = user_client.get(EMAIL_URL).content.decode()

        assert f'value="{user.email}"' in html
        assert '<label for="id_password">Your password</label>' in html

    def test_the_address_can_be_filled_in_by_the_browser(self, user_client):
        html = user_client.get(EMAIL_URL).content.decode()

        (field,) = re.findall(r'<input[^>]*name="email"[^>]*>', html)
        assert 'autocomplete="email"' in field

    def test_a_wrong_password_changes_nothing(self, user_client, user):
        before = user.email

        response = change_email(user_client, "other@example.com", "not-my-password")

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].has_error("password", code="password_incorrect")
        html = response.content.decode()
        assert f'id="id_password_error"><p class="error">{WRONG_PASSWORD_MESSAGE}</p>' in html
        assert 'value="other@example.com"' in html  # what was typed stays to correct
        user.refresh_from_db()
        assert user.email == before

    def test_a_missing_password_changes_nothing(self, user_client, user):
        response = user_client.post(EMAIL_URL, {"email": "other@example.com"})

        assert response.context["form"].has_error("password", code="required")
        user.refresh_from_db()
        assert user.email != "other@example.com"

    def test_refuses_an_address_another_account_has_in_another_case(
        self, user_client, user, other_user, password
    ):
        other_user.email = "film.lover@example.com"
        other_user.save()
        before = user.email

        response = change_email(user_client, "Film.Lover@EXAMPLE.com", password)

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].has_error("email", code="email_in_use")
        html = response.content.decode()
        assert f'id="id_email_error"><p class="error">{EMAIL_IN_USE_MESSAGE}</p>' in html
        assert other_user.username not in html
        user.refresh_from_db()
        assert user.email == before

    def test_the_own_address_in_another_case_is_not_in_use(self, user_client, user, password):
        response = change_email(user_client, user.email.upper(), password)

        # Not refused: a link goes to it, as to any other address (test_email_confirmation).
        assert response.status_code == HTTPStatus.FOUND
        (message,) = mail.outbox
        assert message.to[0].split("@")[0] == user.username.upper()

    def test_an_empty_address_removes_it_and_says_what_that_means(
        self, user_client, user, password
    ):
        response = change_email(user_client, "", password)

        assert response.status_code == HTTPStatus.FOUND
        user.refresh_from_db()
        assert user.email == ""
        assert mail.outbox == []
        html = user_client.get(response.url).content.decode()
        assert "Your account has no email address now. If you forget your password" in html

    def test_the_same_address_again_changes_nothing_and_says_so(self, user_client, user, password):
        response = change_email(user_client, user.email, password)

        html = user_client.get(response.url).content.decode()
        assert "Nothing changed: your account already had that address." in html

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("not-an-address", "Enter a valid email address."),
            ("a@b@example.com", "Enter a valid email address."),
            ("x" * 250 + "@example.com", "Ensure this value has at most 254 characters"),
            ("nul\x00@example.com", "Null characters are not allowed."),
        ],
    )
    def test_a_malformed_address_is_shown_next_to_its_field(
        self, user_client, user, password, typed, message
    ):
        before = user.email

        response = change_email(user_client, typed, password)

        assert response.status_code == HTTPStatus.OK
        assert message in response.content.decode()
        user.refresh_from_db()
        assert user.email == before

    def test_needs_the_form_s_csrf_token(self, user, password):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)

        refused = change_email(client, "forged@example.com", password)
        html = client.get(EMAIL_URL).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        accepted = client.post(
            EMAIL_URL,
            {"email": "mine@example.com", "password": password, "csrfmiddlewaretoken": token},
        )

        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert accepted.status_code == HTTPStatus.FOUND
        (message,) = mail.outbox  # the link; the address changes when it is followed
        assert message.to == ["mine@example.com"]


class TestEmailChangeService:
    def test_refuses_an_address_in_use_on_the_email_and_leaves_the_object_as_it_was(
        self, user, other_user
    ):
        before = user.email

        with pytest.raises(ValidationError) as refused:
            account_email_change(user=user, email=other_user.email.upper())

        assert refused.value.error_dict["email"][0].code == "email_in_use"
        assert user.email == before

    def test_accounts_without_an_address_do_not_clash(self, user):
        UserFactory(email="")

        assert account_email_change(user=user, email="") is True
        assert get_user_model().objects.filter(email="").count() == 2
