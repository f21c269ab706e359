"""Failure mail for the backup commands that run unattended (cron).

dbbackup 5.4 addresses its mail with `[a[1] for a in ADMINS]`: with Django 6's list of
address strings that is the second *character* of each address (trap 5). Its own mail is
switched off in settings, and this sends to ADMINS as Django 6 defines it, read when the
failure happens.
"""

import logging
import smtplib
import traceback
from collections.abc import Sequence

from dbbackup import settings as dbbackup_settings
from django.conf import settings
from django.core.mail import EmailMessage

from backups.errors import one_line, reason

logger = logging.getLogger(__name__)


def admin_addresses() -> list[str]:
    # Tolerate the (name, address) pairs of older settings files as well.
    return [
        admin[1] if isinstance(admin, (list, tuple)) else str(admin) for admin in settings.ADMINS
    ]


def backup_failure_mail(*, command: str, error: BaseException, written: Sequence[str] = ()) -> bool:
    """Tell the admins a backup command failed, and which backups it wrote before it did
    (a cleanup can fail after the backup); True when a message was sent."""
    recipients = admin_addresses()
    if not recipients:
        return False
    host = dbbackup_settings.HOSTNAME
    details = "".join(traceback.format_exception(error))
    outcome = (
        f"Written before the failure: {', '.join(written)}."
        if written
        else "No new backup was written."
    )
    message = EmailMessage(
        subject=f"[Marquee] manage.py {command} failed on {host}",
        body=(
            f"manage.py {command} failed on {host}:\n\n    {reason(error)}\n\n"
            f"{outcome} Details:\n\n{details}"
        ),
        from_email=settings.SERVER_EMAIL,
        to=recipients,
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as mail_error:
        # The backup already failed; a mail server that is down must not bury why under
        # its own traceback: one line, and the command's error after it.
        logger.error(
            "Could not send the failure mail for manage.py %s: %s", command, one_line(mail_error)
        )
        return False
    return True
