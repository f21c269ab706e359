#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

SERVING_COMMANDS = {"runserver"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now, to report a bad one plainly
    except ImproperlyConfigured as error:
        sys.exit(f"Marquee cannot start: {error}")
    if SERVING_COMMANDS.intersection(sys.argv[1:2]):
        from config.serving import exit_unless_ready_to_serve

        exit_unless_ready_to_serve()
    try:
        execute_from_command_line(sys.argv)
    except OperationalError:
        exit_if_the_database_is_unreachable()
        raise


def exit_if_the_database_is_unreachable():
    """A database Marquee cannot connect to at all (a DATABASE_URL naming one that does not
    exist, a server that is down, a SQLite file that cannot be opened) is the operator's to
    fix: say so on one line. Any other OperationalError keeps its traceback for whoever
    debugs it."""
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        reason = " ".join(str(error).split())  # psycopg's spans lines and doubles spaces
        sys.exit(
            f"Marquee cannot connect to its database {connection.settings_dict['NAME']}: {reason}"
        )


if __name__ == "__main__":
    main()
