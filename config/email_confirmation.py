"""A new email address becomes the account's only when a link sent to it is followed.

The address is where password reset links go: taken on trust, a typo would leave
someone unable to reset their password while believing they can, and an address that
is not theirs would receive their reset links. Asking for an address keeps it, with the
SHA-256 of a random key, as the person's one pending change (feedback/pending_email.py);
the link carries the key. Following it, logged in as that person, within the time a
password reset link works and while the account still has the address it had when they
asked, makes the address theirs and deletes the pending change: a link works once, and
asking again spends the earlier one.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config import services
from feedback.pending_email import PendingEmailChange

logger = logging.getLogger(__name__)

TEMPLATE = "accounts/email_confirm.html"

EXPIRED = "This link has expired. Ask for a new one from your account page."
ANOTHER_ACCOUNT = "This link was sent for another account. Log in as that account to confirm it."
SPENT = (
    "This link is spent: your address has changed since it was sent. "
    "Your account page shows the address you have."
)
NOT_VALID = (
    "This is not a valid link, or not one that works any more: a link works once, and "
    "asking for another address spends the one before. Your account page shows the "
    "address you have, and asks for a new link."
)


class LinkRefused(Exception):
    """The link cannot change this account's address; the message says why."""


def link_days() -> int:
    return settings.EMAIL_CHANGE_TIMEOUT // (24 * 60 * 60)


def link_send(request, *, email: str) -> None:
    """Keep `email` as the person's pending change and mail its link there. Raises OSError
    (smtplib's errors are OSErrors) when the mail server does not take it; the pending
    change is then not kept either."""
    user = request.user
    key = secrets.token_urlsafe(32)
    context = {
        "user": user,
        "email": email,
        "link": request.build_absolute_uri(reverse("email_confirm", args=[key])),
        "days": link_days(),
    }
    body = render_to_string("accounts/email_confirm_email.txt", context, request=request)
    # Kept before the mail goes, rather than in a transaction around the sending: that
    # would hold SQLite's write lock while a mail server answers.
    PendingEmailChange.objects.update_or_create(
        user=user,
        defaults={
            "email": email,
            "replaces": user.email,
            "key_digest": digest(key),
            "requested_at": timezone.now(),
        },
    )
    try:
        send_mail("Confirm your email address for Marquee", body, None, [email])
    except OSError:
        PendingEmailChange.objects.filter(key_digest=digest(key)).delete()
        raise


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def link_change(key: str, user) -> PendingEmailChange:
    """The pending change the link's key names for `user`, or LinkRefused."""
    pending = PendingEmailChange.objects.filter(key_digest=digest(key)).first()
    if pending is None:
        raise LinkRefused(NOT_VALID)
    if pending.user_id != user.pk:
        raise LinkRefused(ANOTHER_ACCOUNT)
    if pending.requested_at + timedelta(seconds=settings.EMAIL_CHANGE_TIMEOUT) < timezone.now():
        raise LinkRefused(EXPIRED)
    if pending.replaces != user.email:
        raise LinkRefused(SPENT)
    return pending


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
def email_confirm(request, key):
    try:
        pending = link_change(key, request.user)
    except LinkRefused as refused:
        return render(request, TEMPLATE, {"problem": str(refused)}, status=400)
    # A GET only shows the button: mail scanners open the links in the messages they pass.
    if request.method != "POST":
        return render(request, TEMPLATE, {"email": pending.email})
    previous = request.user.email
    try:
        with transaction.atomic():
            services.account_email_change(user=request.user, email=pending.email)
            pending.delete()
    except ValidationError as error:
        # Taken by another account since the link was sent, or as this one was saved
        # (account_email_change says so in the same words either way).
        return render(request, TEMPLATE, {"problem": error.messages[0]}, status=400)
    previous_address_tell(request, previous=previous)
    messages.success(request, f"Your email address is now {request.user.email}.")
    return HttpResponseRedirect(reverse("account_settings"))
