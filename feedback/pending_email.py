"""A new email address waiting for its owner to follow the link mailed to it
(config/email_confirmation.py). One per person: asking again replaces it, and with it the
earlier link. Following the link deletes it, so a link works once.

The link's key itself is not kept, only its SHA-256: a copy of the database does not
give anyone a link that works.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Now
from django.db.models.lookups import Exact
from django.utils import timezone

KEY_DIGEST_LENGTH = 64  # hexadecimal SHA-256


def key_nobody_holds() -> str:
    """The digest of a key never sent: a change made without a link (in the admin) can
    only be confirmed by asking again."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


class PendingEmailChange(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pending_email_change",
    )
    email = models.EmailField("new address")
    replaces = models.EmailField(
        "address it replaces",
        blank=True,
        help_text="The account's address when it was asked for: once that changes, the "
        "link is spent.",
    )
    key_digest = models.CharField(
        max_length=KEY_DIGEST_LENGTH, unique=True, editable=False, default=key_nobody_holds
    )
    requested_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        verbose_name = "email change waiting for confirmation"
        verbose_name_plural = "email changes waiting for confirmation"
        constraints = [
            models.CheckConstraint(
                condition=~Q(email=""),
                name="feedback_pending_email_not_blank",
                violation_error_message="A new address is needed: removing one needs no link.",
            ),
            models.CheckConstraint(
                condition=Exact(Length("key_digest"), KEY_DIGEST_LENGTH),
                name="feedback_pending_email_key_digest_length",
                violation_error_message="The link's key is kept as a SHA-256 digest.",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.email}"
