"""Accounts: sign up, log in, log out and change password, landing where the visitor
was going; and anonymous visitors browse and search the catalog without one."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from config.accounts import (
    EMAIL_IN_USE_MESSAGE,
    LOGGED_OUT_MESSAGE,
    CountedPasswordChangeForm,
    SignUpForm,
    logged_in_message,
    signed_up_message,
)
from tests.factories import GenreFactory, MovieFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quite-unguessable-passphrase-42"
EVIL = "https://evil.example/steal"
# Each a `next` that is not a path on this site; redirect() took the words for URL names.
NOT_LOCAL = ["last", "library", "catalog:movie_list", "movies/", "//evil.example/"]


class SomeoneSignsUpWhileHashing(MD5PasswordHasher):
    """Hashing the password is where a sign-up spends its time: the same form sent a
    moment earlier (a double click) creates the account meanwhile, after this one's
    form found the username free."""

    username = "twice"

    def encode(self, password, salt):
        get_user_model().objects.get_or_create(username=self.username)
        return super().encode(password, salt)


class SomeoneSignsUpInAnotherCaseWhileHashing(SomeoneSignsUpWhileHashing):
    """The same race, lost to the same name in another letter case: only the database's
    index on the upper-cased username sees it (feedback migration 0011)."""

    username = "TWICE"


class SomeoneTakesTheEmailWhileHashing(MD5PasswordHasher):
    """The race for an address: another sign-up takes it, in another letter case, after
    this one's form found it free. Only the database's index on the upper-cased address
    sees it (feedback migration 0014)."""

    def encode(self, password, salt):
        get_user_model().objects.get_or_create(username="quicker", email="SHARED@example.com")
        return super().encode(password, salt)


def said(response) -> list[str]:
    """The messages a page shows."""
    return [str(message) for message in response.context["messages"]]


def errors_shown_under(response, field: str) -> str | None:
    """The HTML of the errors the page shows under a field, None if it shows none."""
    found = re.search(
        rf'<div class="errors" id="id_{field}_error">(.*?)</div>', response.content.decode()
    )
    return found and found[1]


def reset_link_form_url(client, user) -> str:
    """Ask for a password reset, follow the emailed link: the new password form's URL."""
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.url == reverse("password_reset_done")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)
    return client.get(link).url  # Django swaps the token for a session marker


def logged_in_user(client):
    return get_user_model().objects.filter(pk=client.session.get("_auth_user_id")).first()


class TestSignUp:
    url = reverse("signup")

    def test_the_form_has_labels_and_an_optional_email(self, client):
        html = client.get(self.url).content.decode()

        for name in ("username", "email", "password1", "password2"):
            assert f'<label for="id_{name}">' in html
        assert "Optional: only used to send you a link" in html

    def test_the_address_can_be_filled_in_by_the_browser(self, client):
        html = client.get(self.url).content.decode()

        (field,) = re.findall(r'<input[^>]*name="email"[^>]*>', html)
        assert 'autocomplete="email"' in field

    def test_creates_the_account_logs_in_and_goes_where_the_visitor_was_heading(self, client):
        movie = MovieFactory()
        target = movie.get_absolute_url()

        response = client.post(
            f"{self.url}?next={target}",
            {
                "username": "cinephile",
                "email": "",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "next": target,
            },
        )

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == target
        user = get_user_model().objects.get(username="cinephile")
        assert user.check_password(NEW_PASSWORD)
        assert logged_in_user(client) == user
        assert said(client.get(target)) == [signed_up_message(user)]

    def test_without_next_lands_on_the_films(self, client):
        response = client.post(
            self.url,
            {
                "username": "a",
                "email": "a@example.com",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

        assert response.url == reverse("catalog:home")
        assert get_user_model().objects.get(username="a").email == "a@example.com"

    def test_refuses_to_send_the_visitor_off_site(self, client):
        response = client.post(
            self.url,
            {"username": "b", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "next": EVIL},
        )

        assert response.url == reverse("catalog:home")

    def test_errors_are_shown_next_to_the_fields_and_next_is_kept(self, client, user):
        response = client.post(
            f"{self.url}?next=/movies/",
            {
                "username": user.username,
                "password1": NEW_PASSWORD,
                "password2": "something else",
                "next": "/movies/",
            },
        )

        assert response.status_code == HTTPStatus.OK
        assert set(response.context["form"].errors) == {"username", "password2"}
        html = response.content.decode()
        assert (
            'id="id_username_error"><p class="error">A user with that username already exists.'
        ) in html
        assert (
            'id="id_password2_error"><p class="error">The two password fields didn’t match.'
        ) in html
        assert '<input type="hidden" name="next" value="/movies/">' in html
        assert f'value="{user.username}"' in html

    def test_every_error_of_a_field_is_read_with_it(self, client):
        """A password too short, too common and all digits: three errors, each read out
        by a screen reader with the field (aria-describedby names one id, which held the
        first of three elements sharing it)."""
        response = client.post(
            self.url, {"username": "erin", "password1": "123", "password2": "123"}
        )

        html = response.content.decode()
        assert len(response.context["form"].errors["password1"]) == 3
        assert html.count('id="id_password1_error"') == 1
        described = re.search(r'<input[^>]*id="id_password1"[^>]*>', html)[0]
        assert "id_password1_error" in re.search(r'aria-describedby="([^"]*)"', described)[1]
        errors = re.search(r'<div class="errors" id="id_password1_error">(.*?)</div>', html)[1]
        assert errors.count('<p class="error">') == 3

    @pytest.mark.parametrize(
        ("password", "error"),
        [
            ("password123", "This password is too common."),
            ("short", "This password is too short."),
            ("48151623429876", "This password is entirely numeric."),
            ("erin-the-user", "The password is too similar to the username."),
        ],
    )
    def test_a_weak_password_is_refused_under_the_field_it_was_typed_in(
        self, client, password, error
    ):
        """The validators' errors belong to "Password", where the weak password was typed;
        Django put them under "Password confirmation"."""
        response = client.post(
            self.url, {"username": "erin-the-user", "password1": password, "password2": password}
        )

        assert response.status_code == HTTPStatus.OK
        assert f'<p class="error">{error}' in errors_shown_under(response, "password1")
        assert errors_shown_under(response, "password2") is None
        assert not get_user_model().objects.filter(username="erin-the-user").exists()

    def test_the_form_puts_a_weak_password_s_errors_on_password_and_a_mismatch_on_its_confirmation(
        self,
    ):
        form = SignUpForm({"username": "erin", "password1": "123", "password2": "124"})

        assert not form.is_valid()
        assert [error.code for error in form.errors.as_data()["password1"]] == [
            "password_too_short",
            "password_too_common",
            "password_entirely_numeric",
        ]
        assert [error.code for error in form.errors.as_data()["password2"]] == ["password_mismatch"]

    @pytest.mark.parametrize(
        "hasher", [SomeoneSignsUpWhileHashing, SomeoneSignsUpInAnotherCaseWhileHashing]
    )
    def test_a_username_taken_while_the_password_is_hashed_is_a_form_error(
        self, client, settings, hasher
    ):
        settings.PASSWORD_HASHERS = [f"{hasher.__module__}.{hasher.__name__}"]

        response = client.post(
            self.url,
            {"username": "twice", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert (
            'id="id_username_error"><p class="error">A user with that username already exists.</p>'
            in html
        )
        assert get_user_model().objects.filter(username__iexact="twice").count() == 1
        assert logged_in_user(client) is None

    def test_an_email_taken_while_the_password_is_hashed_is_the_email_s_error(
        self, client, settings
    ):
        hasher = SomeoneTakesTheEmailWhileHashing
        settings.PASSWORD_HASHERS = [f"{hasher.__module__}.{hasher.__name__}"]

        response = client.post(
            self.url,
            {
                "username": "slower",
                "email": "shared@example.com",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

        assert response.status_code == HTTPStatus.OK
        assert set(response.context["form"].errors) == {"email"}
        html = response.content.decode()
        assert f'id="id_email_error"><p class="error">{EMAIL_IN_USE_MESSAGE}</p>' in html
        assert 'value="shared@example.com"' in html  # kept, to correct
        assert not get_user_model().objects.filter(username="slower").exists()
        assert logged_in_user(client) is None

    def test_refuses_an_email_another_account_uses_in_any_case(self, client, user):
        user.email = "film.lover@example.com"
        user.save()

        response = client.post(
            self.url,
            {
                "username": "newcomer",
                "email": "Film.Lover@EXAMPLE.com",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].has_error("email", code="email_in_use")
        html = response.content.decode()
        assert (
            'id="id_email_error"><p class="error">An account already uses this email address.'
            in html
        )
        assert user.username not in html
        assert not get_user_model().objects.filter(username="newcomer").exists()

    def test_accounts_without_an_email_do_not_clash(self, client):
        get_user_model().objects.create_user("first", email="")

        response = client.post(
            self.url,
            {
                "username": "second",
                "email": "",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

        assert response.status_code == HTTPStatus.FOUND
        assert get_user_model().objects.filter(username="second").exists()

    def test_someone_logged_in_is_sent_on(self, user_client):
        assert user_client.get(self.url).url == reverse("catalog:home")

    @pytest.mark.parametrize("target", NOT_LOCAL)
    def test_someone_logged_in_with_a_next_that_is_not_a_local_path_lands_on_the_films(
        self, user_client, target
    ):
        response = user_client.get(self.url, {"next": target})

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == reverse("catalog:home")

    def test_someone_logged_in_with_a_local_next_is_sent_there(self, user_client):
        assert user_client.get(self.url, {"next": "/movies/?page=2"}).url == "/movies/?page=2"

    @pytest.mark.parametrize("target", NOT_LOCAL)
    def test_a_next_that_is_not_a_local_path_is_neither_kept_nor_followed(self, client, target):
        html = client.get(self.url, {"next": target}).content.decode()
        response = client.post(
            self.url,
            {"username": "c", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "next": target},
        )

        assert '<input type="hidden" name="next" value="">' in html
        assert response.url == reverse("catalog:home")
        assert get_user_model().objects.filter(username="c").exists()


class TestLogIn:
    url = reverse("login")

    def test_lands_where_the_visitor_was_going(self, client, user, password):
        html = client.get(self.url, {"next": "/accounts/password_change/"}).content.decode()
        assert '<input type="hidden" name="next" value="/accounts/password_change/">' in html

        response = client.post(
            self.url,
            {"username": user.username, "password": password, "next": "/accounts/password_change/"},
        )

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/accounts/password_change/"
        assert logged_in_user(client) == user
        assert said(client.get(response.url)) == [logged_in_message(user)]

    def test_a_log_in_landing_on_a_download_leaves_no_message_for_a_later_page(
        self, client, user, password
    ):
        """An export's link opened logged out logs in, then downloads: no page shows the
        log-in's message, which waited for the next page opened (an import page) and told
        of a log-in long past."""
        export = reverse("exports:download", args=["json"])

        response = client.post(
            self.url, {"username": user.username, "password": password, "next": export}
        )

        assert response.url == export
        assert client.get(export)["Content-Type"] == "application/json"
        assert said(client.get(reverse("letterboxd_import"))) == []

    def test_a_time_zone_sent_logged_out_logs_in_back_to_the_account_page_saying_so(
        self, client, user, password
    ):
        """A session that expired under the account page's time zone form: the log-in
        lands on the account page with its message, not on the form's address, a bare
        405 that left the message to a later page."""
        sent = client.post(reverse("time_zone_change"), {"time_zone": "Europe/Berlin"})
        login_page = client.get(sent.url)
        next_url = login_page.context["next"]

        response = client.post(
            self.url, {"username": user.username, "password": password, "next": next_url}
        )

        assert response.url == reverse("account_settings")
        assert said(client.get(response.url)) == [logged_in_message(user)]
        assert said(client.get(reverse("letterboxd_import"))) == []

    def test_without_next_lands_on_the_films(self, client, user, password):
        response = client.post(self.url, {"username": user.username, "password": password})

        assert response.url == reverse("catalog:home")

    def test_refuses_to_send_the_visitor_off_site(self, client, user, password):
        response = client.post(
            self.url, {"username": user.username, "password": password, "next": EVIL}
        )

        assert response.url == reverse("catalog:home")

    @pytest.mark.parametrize("target", NOT_LOCAL)
    def test_a_next_that_is_not_a_local_path_is_neither_kept_nor_followed(
        self, client, user, password, target
    ):
        html = client.get(self.url, {"next": target}).content.decode()
        response = client.post(
            self.url, {"username": user.username, "password": password, "next": target}
        )

        assert '<input type="hidden" name="next" value="">' in html
        assert response.url == reverse("catalog:home")
        assert logged_in_user(client) == user

    def test_a_wrong_password_is_explained(self, client, user):
        response = client.post(self.url, {"username": user.username, "password": "nope"})

        assert response.status_code == HTTPStatus.OK
        assert logged_in_user(client) is None
        assert (
            "Please enter a correct username and password. The password is case-sensitive; "
            "the username is not."
        ) in response.content.decode()
        assert f'value="{user.username}"' in response.content.decode()

    @pytest.mark.parametrize("typed", ["DEMO", "Demo", "demo"])
    def test_the_username_may_be_typed_in_any_case(self, client, password, typed):
        demo = UserFactory(username="demo")

        response = client.post(self.url, {"username": typed, "password": password})

        assert response.status_code == HTTPStatus.FOUND
        assert logged_in_user(client) == demo

    def test_any_case_still_needs_the_password_and_an_active_account(self, client, password):
        UserFactory(username="demo")
        UserFactory(username="gone", is_active=False)

        wrong = client.post(self.url, {"username": "DEMO", "password": "nope"})
        inactive = client.post(self.url, {"username": "GONE", "password": password})

        assert wrong.status_code == inactive.status_code == HTTPStatus.OK
        assert logged_in_user(client) is None

    def test_the_admin_takes_any_case_too(self, client, staff_user, password):
        response = client.post(
            reverse("admin:login"),
            {"username": staff_user.username.upper(), "password": password, "next": "/admin/"},
        )

        assert response.url == "/admin/"
        assert logged_in_user(client) == staff_user
        assert client.get("/admin/").status_code == HTTPStatus.OK

    def test_a_movie_page_sends_anonymous_raters_here_and_back(self, client, user, password):
        movie = MovieFactory()
        html = client.get(movie.get_absolute_url()).content.decode()
        login_link = re.search(r'href="([^"]+)">Log in to rate this film', html).group(1)
        assert login_link == f"{self.url}?next={movie.get_absolute_url()}"

        response = client.post(
            login_link,
            {"username": user.username, "password": password, "next": movie.get_absolute_url()},
        )

        assert response.url == movie.get_absolute_url()


class TestLogOut:
    def test_post_logs_out_and_lands_on_the_films(self, user_client):
        response = user_client.post(reverse("logout"))

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == reverse("catalog:home")
        assert logged_in_user(user_client) is None
        assert said(user_client.get(response.url)) == [LOGGED_OUT_MESSAGE]

    @pytest.mark.parametrize("target", NOT_LOCAL)
    def test_a_next_that_is_not_a_local_path_lands_on_the_films(self, user_client, target):
        response = user_client.post(reverse("logout"), {"next": target})

        assert response.url == reverse("catalog:home")
        assert logged_in_user(user_client) is None

    def test_a_local_next_is_followed(self, user_client):
        assert user_client.post(reverse("logout"), {"next": "/search/"}).url == "/search/"

    def test_get_asks_with_a_button_and_does_not_log_out(self, user_client, user):
        response = user_client.get(reverse("logout"), {"next": "/search/"})

        assert response.status_code == HTTPStatus.OK
        assert logged_in_user(user_client) == user
        html = response.content.decode()
        assert "<h1>Log out?</h1>" in html
        assert 'class="site-header"' in html  # on the site's own pages
        form = html.split(f'<form method="post" action="{reverse("logout")}">')[1]
        form = form.split("</form>")[0]
        assert 'name="csrfmiddlewaretoken"' in form
        assert '<input type="hidden" name="next" value="/search/">' in form
        assert '<button type="submit">Log out</button>' in form

    def test_the_asking_page_s_button_logs_out(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        html = client.get(reverse("logout")).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

        response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token, "next": ""})

        assert response.url == reverse("catalog:home")
        assert logged_in_user(client) is None

    def test_get_without_an_account_goes_on(self, client):
        assert client.get(reverse("logout")).url == reverse("catalog:home")
        assert client.get(reverse("logout"), {"next": "/search/"}).url == "/search/"

    def test_every_page_offers_a_log_out_form_with_its_token(self, user_client):
        html = user_client.get(reverse("catalog:movie_list")).content.decode()

        form = html.split(f'action="{reverse("logout")}"')[1].split("</form>")[0]
        assert 'name="csrfmiddlewaretoken"' in form


class TestPasswordChange:
    url = reverse("password_change")

    def test_needs_an_account(self, client):
        response = client.get(self.url)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{reverse('login')}?next={self.url}"

    def test_changes_the_password(self, user_client, user, password):
        response = user_client.post(
            self.url,
            {
                "old_password": password,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

        assert response.url == reverse("password_change_done")
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert logged_in_user(user_client) == user  # the session survives the change
        assert "Password changed" in user_client.get(response.url).content.decode()

    def test_a_wrong_old_password_is_shown_next_to_its_field(self, user_client, user, password):
        response = user_client.post(
            self.url,
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

        assert response.status_code == HTTPStatus.OK
        assert 'id="id_old_password_error"' in response.content.decode()
        user.refresh_from_db()
        assert user.check_password(password)

    def test_a_weak_new_password_is_refused_under_the_field_it_was_typed_in(
        self, user_client, user, password
    ):
        response = user_client.post(
            self.url,
            {
                "old_password": password,
                "new_password1": "password123",
                "new_password2": "password123",
            },
        )

        assert response.status_code == HTTPStatus.OK
        too_common = '<p class="error">This password is too common.'
        assert too_common in errors_shown_under(response, "new_password1")
        assert errors_shown_under(response, "new_password2") is None
        user.refresh_from_db()
        assert user.check_password(password)

    def test_the_form_keeps_a_mismatch_under_the_confirmation(self, rf, user, password):
        form = CountedPasswordChangeForm(
            user,
            {"old_password": password, "new_password1": "1234", "new_password2": "12345"},
            request=rf.post(self.url),
        )

        assert not form.is_valid()
        assert "password_entirely_numeric" in [
            error.code for error in form.errors.as_data()["new_password1"]
        ]
        assert [error.code for error in form.errors.as_data()["new_password2"]] == [
            "password_mismatch"
        ]


def test_password_reset_mails_a_link_that_sets_a_new_password(client, user):
    form_url = reset_link_form_url(client, user)
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_weak_password_from_a_reset_link_is_refused_under_the_field_it_was_typed_in(
    client, user, password
):
    form_url = reset_link_form_url(client, user)
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == HTTPStatus.OK
    numeric = '<p class="error">This password is entirely numeric.'
    assert numeric in errors_shown_under(response, "new_password1")
    assert errors_shown_under(response, "new_password2") is None
    user.refresh_from_db()
    assert user.check_password(password)


def test_anonymous_visitors_browse_and_search(client):
    genre = GenreFactory(slug="drama")
    movie = MovieFactory(genres=[genre])

    for url in (
        reverse("catalog:home"),
        reverse("catalog:movie_list"),
        reverse("catalog:search") + "?q=film",
        movie.get_absolute_url(),
        genre.get_absolute_url(),
    ):
        assert client.get(url).status_code == HTTPStatus.OK, url
