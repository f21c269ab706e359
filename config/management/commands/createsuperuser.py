"""Django's createsuperuser, refusing a username another account has in another letter
case (config/usernames.py) with its own one-line error, as it does an exact one."""

from django.contrib.auth.management.commands import createsuperuser

from config.usernames import TAKEN_IN_ANOTHER_CASE, username_taken


class Command(createsuperuser.Command):
    # Django's hook for both the prompt (asked again) and --noinput (a CommandError).
    def _validate_username(self, username, verbose_field_name, database):
        error = super()._validate_username(username, verbose_field_name, database)
        if error is None and username_taken(username, using=database):
            return f"Error: {TAKEN_IN_ANOTHER_CASE}"
        return error
