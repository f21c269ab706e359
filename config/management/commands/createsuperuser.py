"""Django's createsuperuser, refusing with its own one-line errors a username another
account has in another letter case (config/usernames.py), as it does an exact one, and an
email address another account has in any case (config/emails.py)."""

import os

from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError
from django.db import IntegrityError

from config.emails import TAKEN_BY_ANOTHER_ACCOUNT, email_taken
from config.usernames import TAKEN_IN_ANOTHER_CASE, username_taken

EMAIL_FIELD = "email"


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        self.database = options["database"]
        # The username and address as checked last, to name the one a race took.
        self.username = ""
        # An address given up front is cleaned by Django with no hook of ours: checked
        # here, as Django reads it (the option, else the environment with --noinput).
        self.email = options.get(EMAIL_FIELD) or ""
        if not options["interactive"]:
            self.email = self.email or os.environ.get(f"DJANGO_SUPERUSER_{EMAIL_FIELD.upper()}", "")
        if email_taken(self.email, using=self.database):
            raise CommandError(TAKEN_BY_ANOTHER_ACCOUNT)
        try:
            return super().handle(*args, **options)
        except IntegrityError:
            # Taken by another account between the checks and the save (hashing the
            # password takes a while): only the database's indexes saw it.
            if email_taken(self.email, using=self.database):
                raise CommandError(TAKEN_BY_ANOTHER_ACCOUNT) from None
            if username_taken(self.username, using=self.database):
                raise CommandError(TAKEN_IN_ANOTHER_CASE) from None
            raise

    # Django's hook for both the prompt (asked again) and --noinput (a CommandError).
    def _validate_username(self, username, verbose_field_name, database):
        self.username = username
        error = super()._validate_username(username, verbose_field_name, database)
        if error is None and username_taken(username, using=database):
            return f"Error: {TAKEN_IN_ANOTHER_CASE}"
        return error

    # Django's hook for the prompt: None asks again.
    def get_input_data(self, field, message, default=None):
        value = super().get_input_data(field, message, default)
        if field.name != EMAIL_FIELD or not value:
            return value
        if email_taken(value, using=self.database):
            self.stderr.write(f"Error: {TAKEN_BY_ANOTHER_ACCOUNT}")
            return None
        self.email = value
        return value
