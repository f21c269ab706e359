"""A new email address becomes the account's only when a link sent to it is followed.

The address is where password reset links go: taken on trust, a typo would leave
someone unable to reset their password while believing they can, and an address that
is not theirs would receive their reset links. The link carries the change itself,
signed (django.core.signing), so nothing waits in the database: it names the account,
the new address and the address it replaces, and it expires as password reset links do.
Once the account's address has changed, by this link or another, the link is spent.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config import services

logger = logging.getLogger(__name__)

SALT = "marquee.accounts.email-change"
TEMPLATE = "accounts/email_confirm.html"

NOT_VALID = (
    "This is not a valid link. Check that the whole link from the email was opened, "
    "or ask for a new one from your account page."
)
EXPIRED = "This link has expired. Ask for a new one from your account page."
ANOTHER_ACCOUNT = "This link was sent for another account. Log in as that account to confirm it."
SPENT = (
    "This link is spent: your address has changed since it was sent. "
    "Your account page shows the address you have."
)


class LinkRefused(Exception):
    """The link cannot change this account's address; the message says why."""


def link_days() -> int:
    return settings.EMAIL_CHANGE_TIMEOUT // (24 * 60 * 60)


def link_send(request, *, email: str) -> None:
    """Mail the person's confirmation link to `email`. Raises OSError (smtplib's errors
    are OSErrors) when the mail server does not take it."""
    user = request.user
    token = signing.dumps({"user": user.pk, "email": email, "from": user.email}, salt=SALT)
    context = {
        "user": user,
        "email": email,
        "link": request.build_absolute_uri(reverse("email_confirm", args=[token])),
        "days": link_days(),
    }
    body = render_to_string("accounts/email_confirm_email.txt", context, request=request)
    send_mail("Confirm your email address for Marquee", body, None, [email])


def link_change(token: str, user) -> str:
    """The address the link gives `user`, or LinkRefused."""
    try:
        change = signing.loads(token, salt=SALT, max_age=settings.EMAIL_CHANGE_TIMEOUT)
    except signing.SignatureExpired:
        raise LinkRefused(EXPIRED) from None
    except signing.BadSignature:
        raise LinkRefused(NOT_VALID) from None
    if not isinstance(change, dict) or not {"user", "email", "from"} <= change.keys():
        raise LinkRefused(NOT_VALID)
    if change["user"] != user.pk:
        raise LinkRefused(ANOTHER_ACCOUNT)
    if change["from"] != user.email:
        raise LinkRefused(SPENT)
    return change["email"]


def previous_address_tell(request, *, previous: str) -> None:
    """Tell the address the account had that it has another now: the owner learns of a
    change they did not make. The change is done either way, so a failure is logged."""
    if not previous:
        return
    context = {"user": request.user, "email": request.user.email}
    body = render_to_string("accounts/email_changed_email.txt", context, request=request)
    try:
        send_mail("Your Marquee email address was changed", body, None, [previous])
    except OSError:
        logger.warning("Could not tell %s of the account's new address.", previous, exc_info=True)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_confirm(request, token):
    try:
        email = link_change(token, request.user)
    except LinkRefused as refused:
        return render(request, TEMPLATE, {"problem": str(refused)}, status=400)
    # A GET only shows the button: mail scanners open the links in the messages they pass.
    if request.method != "POST":
        return render(request, TEMPLATE, {"email": email})
    previous = request.user.email
    try:
        services.account_email_change(user=request.user, email=email)
    except ValidationError as error:
        # Taken by another account since the link was sent.
        return render(request, TEMPLATE, {"problem": error.messages[0]}, status=400)
    previous_address_tell(request, previous=previous)
    messages.success(request, f"Your email address is now {email}.")
    return HttpResponseRedirect(reverse("account_settings"))
