"""Sign-up; log in, log out and password changes are Django's own views, the first two
held to a `next` that is a path on this site; the old password of a password change is
counted as a log-in; a new password set from a reset link lifts the account's lockouts."""

from urllib.parse import urlsplit

from axes.utils import reset as reset_lockouts
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.views.decorators.debug import sensitive_variables
from django.views.generic import CreateView

from config.emails import email_taken
from config.lockout import password_confirmed
from config.redirects import local_path, next_path
from config.usernames import username_taken

# Saying the address is taken tells a visitor that it has an account here, as the
# username's error already does for usernames; it names no account, and the owner learns
# how to get in. Taking it quietly would give two accounts one password reset mail.
EMAIL_IN_USE_MESSAGE = (
    "An account already uses this email address. If it is yours, log in or reset its password."
)


def refuse_email_in_use(email: str, *, account=None) -> None:
    """Refuse an address that an account other than `account` has, in any letter case.

    The database refuses it too (config/emails.py); this says so first, in the form. An
    empty address is never in use."""
    if email_taken(email, other_than=None if account is None else account.pk):
        raise ValidationError(EMAIL_IN_USE_MESSAGE, code="email_in_use")


# Each password form's confirmation field, and the field the password is typed in first.
TYPED_IN_FIELD = {"password2": "password1", "new_password2": "new_password1"}


class ValidatorErrorsUnderTheTypedPassword:
    """Django checks a new password against AUTH_PASSWORD_VALIDATORS in its confirmation
    field, so "This password is too common." showed under "Password confirmation" while
    the weak password was typed in "Password". The password typed first is checked, and
    its errors shown under it; a mismatch of the two stays under the confirmation."""

    def validate_password_for_user(self, user, password_field_name="password2"):  # noqa: S107 (a field's name)
        typed_in = TYPED_IN_FIELD.get(password_field_name, password_field_name)
        # By keyword: the admin's forms' SetUnusablePasswordMixin takes it only so.
        super().validate_password_for_user(user, password_field_name=typed_in)


class SignUpForm(ValidatorErrorsUnderTheTypedPassword, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {
            "email": "Optional: only used to send you a link if you forget your password."
        }
        # So that a browser or a password manager offers the person's address.
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def clean_email(self):
        email = self.cleaned_data["email"]
        refuse_email_in_use(email)
        return email


class SignUpView(CreateView):
    form_class = SignUpForm
    template_name = "registration/signup.html"

    def dispatch(self, request, *args, **kwargs):
        # Someone already logged in has an account: send them on rather than make another.
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # Hashing the password (slow on purpose, and outside the transaction so that
        # SQLite's write lock is not held meanwhile) leaves time for the same form sent a
        # moment earlier, a double click, or one for the name or the address in another
        # case, to create an account: only the database sees the username or the email
        # taken then (its unique indexes on the upper-cased name and address, feedback
        # migrations 0011 and 0014), and the second request gets the form's own errors.
        user = form.save(commit=False)
        try:
            with transaction.atomic():
                user.save()
                form.save_m2m()
        except IntegrityError:
            # auth_user's two unique rules the form fills: anything else is not this.
            if not taken_meanwhile(form, user):
                raise
            return self.form_invalid(form)
        self.object = user
        # Named: the first backend is django-axes', which only watches log-ins.
        login(self.request, user, backend="config.backends.AnyCaseUsernameBackend")
        messages.success(self.request, signed_up_message(user))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        # Like the login view: go back where the visitor was heading, if that is on this site.
        return next_path(self.request) or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"next": next_path(self.request)}


def taken_meanwhile(form, user) -> bool:
    """Give the sign-up form the error of the username or the email another account took
    since the form was checked; False if neither was."""
    if username_taken(user.get_username()):
        form.add_error("username", user.unique_error_message(type(user), ["username"]))
    if email_taken(user.email):
        form.add_error("email", ValidationError(EMAIL_IN_USE_MESSAGE, code="email_in_use"))
    return bool(form.errors)


class LocalNextMixin:
    """Django's views follow any `next` without a foreign host, a relative one too:
    "library" after logging in went to /accounts/library, a 404. Only a path from the
    root is followed, as everywhere else (config/redirects.py)."""

    def get_redirect_url(self):
        return local_path(super().get_redirect_url())


def signed_up_message(user) -> str:
    return (
        f"Welcome to Marquee, {user.get_username()}. Rate a few films you have seen, and "
        "Tonight will have picks for you."
    )


def logged_in_message(user) -> str:
    return f"Logged in as {user.get_username()}."


LOGGED_OUT_MESSAGE = "You are logged out."


class LogInForm(AuthenticationForm):
    # Django's words say both fields "may be case-sensitive": Marquee's usernames are
    # not ("Alice" is "alice", config/backends.py), so they say which one is.
    error_messages = AuthenticationForm.error_messages | {
        "invalid_login": (
            "Please enter a correct username and password. The password is case-sensitive; "
            "the username is not."
        ),
    }


# Where a log-in can land without a page: a download, which the browser saves and no
# page shows the message of. Said there, it waited for the next page opened, an import
# page or another, and told of a log-in long past.
DOWNLOADS = {"exports:download"}


def is_download(url: str) -> bool:
    try:
        return resolve(urlsplit(url).path).view_name in DOWNLOADS
    except Resolver404:
        return False


class LogInView(LocalNextMixin, auth_views.LoginView):
    form_class = LogInForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if not is_download(response.url):
            messages.success(self.request, logged_in_message(form.get_user()))
        return response


class LogOutView(LocalNextMixin, auth_views.LogoutView):
    """Logging out takes a POST (Django's rule: otherwise any page could log a visitor out
    with an image). A GET, such as /accounts/logout/ typed in, asks with a button."""

    http_method_names = ["get", "head", "post", "options"]

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:  # told after the session is flushed, so that it outlives it
            messages.success(request, LOGGED_OUT_MESSAGE)
        return response

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        return TemplateResponse(
            request, "registration/logout_confirm.html", {"next": next_path(request)}
        )


class CountedPasswordChangeForm(ValidatorErrorsUnderTheTypedPassword, PasswordChangeForm):
    """Django's form, its old password checked as a log-in is: wrong ones lead to the
    lockout, as on the account page (config/lockout.py)."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    @sensitive_variables("old_password")
    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_confirmed(self.request, user=self.user, password=old_password):
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}


class ResetPasswordForm(ValidatorErrorsUnderTheTypedPassword, SetPasswordForm):
    """Django's form for the new password of a reset link, its errors where it is typed."""


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The lockout page offers a password reset: the emailed link proves the account is the
    reader's, so choosing a new password through it lifts the account's lockouts at once
    rather than leaving its owner to wait them out."""

    form_class = ResetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_lockouts(username=form.user.get_username())
        return response
