"""The account page (/accounts/settings/): the person's username and email address, where
to change the password and download their data (reviews included: feedback/exports.py);
changing the email address and the time zone their pages use, and deleting the account.
The email and the deletion ask for the password, as Django's password change does: a
session left open on a shared computer is not enough to take or close an account.
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from catalog.models import Rating, Review
from config import email_confirmation, services
from config.actions import post_action
from config.lockout import password_confirmed
from feedback import time_zones
from feedback.forms import add_service_errors
from feedback.models import (
    TIME_ZONE_MESSAGE,
    FilmList,
    NotInterested,
    UserFeedback,
    ViewingHistory,
    WatchlistEntry,
)
from recommendations.models import RecommendationLog

logger = logging.getLogger(__name__)
require_form_methods = require_http_methods(["GET", "HEAD", "POST"])
# Django's password change form says "old password"; here nothing is old.
WRONG_PASSWORD_MESSAGE = "Your password was entered incorrectly. Please enter it again."  # noqa: S105

# What is the person's own, each counted on the account page: deleting the account
# deletes all of these (each has its user's ForeignKey on CASCADE).
OWN_ROWS = {
    "feedback": UserFeedback,
    "viewings": ViewingHistory,
    "watchlist": WatchlistEntry,
    "ratings": Rating,
    "recommendations": RecommendationLog,
    "reviews": Review,
    "lists": FilmList,
    "not_interested": NotInterested,
}


def own_row_counts(user) -> dict[str, int]:
    """How many rows of each of OWN_ROWS the account has, in one query."""
    # Named apart from the user's fields: "feedback" is the reverse relation's name.
    counts = {
        f"{name}_count": Coalesce(
            Subquery(
                model._default_manager.filter(user=OuterRef("pk"))
                .order_by()
                .values("user")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        )
        for name, model in OWN_ROWS.items()
    }
    row = get_user_model()._default_manager.filter(pk=user.pk).values(**counts).get()
    return {name: row[f"{name}_count"] for name in OWN_ROWS}


class CurrentPasswordForm(forms.Form):
    """A form that asks for the account's password before it changes the account."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = request.user
        super().__init__(*args, **kwargs)

    @sensitive_variables("password")
    def clean_password(self):
        password = self.cleaned_data["password"]
        # Counted as a log-in: wrong ones lead to the lockout (config/lockout.py).
        if not password_confirmed(self.request, user=self.user, password=password):
            raise ValidationError(WRONG_PASSWORD_MESSAGE, code="password_incorrect")
        return password


EMAIL_FIELD = get_user_model()._meta.get_field("email")


class EmailChangeForm(CurrentPasswordForm):
    # The model's field, so that the form checks the format and length the table keeps.
    email = EMAIL_FIELD.formfield(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=(
            "Only used to send you a link if you forget your password. A new address is "
            "yours once you follow the link we send to it. Leave it empty to have none: "
            "a forgotten password then cannot be reset."
        ),
    )
    field_order = ["email", "password"]


def email_link_sent_message(*, email: str, current: str) -> str:
    kept = f"Your address stays {current}" if current else "Your account has no address"
    return (
        f"We sent a link to {email}: follow it within "
        f"{email_confirmation.link_days()} days to make it your address. "
        f"{kept} until you follow it."
    )


def email_unsent_message(email: str) -> str:
    return (
        f"The link could not be sent to {email}: the site's mail server refused it or "
        "did not answer. Nothing changed; try again later, or tell the site's operator."
    )


def email_changed_message(*, email: str, changed: bool) -> str:
    if not changed:
        return "Nothing changed: your account already had that address."
    if not email:
        return (
            "Your account has no email address now. If you forget your password, it "
            "cannot be reset: add an address here whenever you like."
        )
    return f"Your email address is now {email}."


class TimeZoneForm(forms.Form):
    """The zone the person's pages use; no password asked: it changes only how they see
    their own times, and is changed back as easily."""

    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        choices=time_zones.time_zone_choices,
        error_messages={"invalid_choice": TIME_ZONE_MESSAGE},
        help_text="Your pages show times in it, and read the times you type in it.",
    )

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The select names each place's zone once; an older name the person chose stays
        # theirs, shown and accepted, until they pick another.
        self.fields["time_zone"].choices = time_zones.time_zone_choices(keep=current)


def time_zone_changed_message(*, name: str, changed: bool) -> str:
    said = time_zones.time_zone_said(name)
    if not changed:
        return f"Nothing changed: your pages already show times in {said}."
    return f"Your pages now show times in {said}."


def deletion_context(user) -> dict:
    """What the account page and the deletion page say about deleting the account."""
    return {
        "own_rows": own_row_counts(user),
        "deletable": services.account_deletable_here(user),
        "staff_message": services.STAFF_DELETION_MESSAGE,
    }


@login_required
@require_form_methods
def account_page(request):
    # Read afresh, not from the session: a zone changed in another browser or by an
    # import reaches this session here (feedback/time_zones.py).
    name = time_zones.time_zone_of(request.user)
    time_zones.time_zone_remember(request, name)
    form = TimeZoneForm(initial={"time_zone": name}, current=name)
    return render(request, "accounts/settings.html", account_page_context(request.user, form))


def account_page_context(user, time_zone_form: TimeZoneForm) -> dict:
    return {"time_zone_form": time_zone_form} | deletion_context(user)


def account_page_url(**kwargs) -> str:
    return reverse("account_settings")


# An action (config/actions.py): its address opened with a GET, as after logging in from a
# session that had expired under the form, is the account page, not a bare 405 on which
# the log-in's message would wait for whatever page came next.
@post_action(account_page_url)
def time_zone_change(request):
    # The zone the session holds, read at log-in or on the account page: no query.
    form = TimeZoneForm(request.POST, current=request.session.get(time_zones.SESSION_KEY, ""))
    if form.is_valid():
        name = form.cleaned_data["time_zone"]
        try:
            changed = time_zones.time_zone_set(user=request.user, name=name)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            time_zones.time_zone_remember(request, name)
            messages.success(request, time_zone_changed_message(name=name, changed=changed))
            return HttpResponseRedirect(reverse("account_settings"))
    context = account_page_context(request.user, form)
    return render(request, "accounts/settings.html", context)


@login_required
@require_form_methods
def email_change(request):
    data = request.POST if request.method == "POST" else None
    form = EmailChangeForm(request, data, initial={"email": request.user.email})
    if form.is_valid():
        try:
            email = services.account_email_checked(
                user=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sent = email_change_start(request, form, email=email)
            if sent:
                return HttpResponseRedirect(reverse("account_settings"))
    return render(request, "accounts/email_form.html", {"form": form})


def email_change_start(request, form, *, email: str) -> bool:
    """Remove the address at once, or mail a link that gives the account the new one:
    False, with the reason on the form, when the mail server did not take it."""
    current = request.user.email
    if not email or email == current:
        changed = services.account_email_change(user=request.user, email=email)
        messages.success(request, email_changed_message(email=email, changed=changed))
        return True
    try:
        email_confirmation.link_send(request, email=email)
    except OSError:
        logger.warning("Could not send the email change link to %s.", email, exc_info=True)
        form.add_error(None, email_unsent_message(email))
        return False
    messages.success(request, email_link_sent_message(email=email, current=current))
    return True


@login_required
@require_form_methods
def account_delete(request):
    data = request.POST if request.method == "POST" else None
    form = CurrentPasswordForm(request, data)
    if form.is_valid():
        username = request.user.get_username()
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(
                request,
                f"The account {username} is deleted, with everything that was yours in it.",
            )
            return HttpResponseRedirect(reverse("catalog:home"))
    return render(request, "accounts/delete.html", {"form": form} | deletion_context(request.user))
