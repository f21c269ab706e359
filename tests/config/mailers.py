"""Mail backends for tests: the ways a real mail server lets a site down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that answers but refuses every message, as a relay that does not
    know the site does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"new@example.com": (550, b"relay denied")})
