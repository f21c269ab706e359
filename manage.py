#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

SERVING_COMMANDS = {"runserver"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now, to report a bad one plainly
    except ImproperlyConfigured as error:
        sys.exit(f"Marquee cannot start: {error}")
    if SERVING_COMMANDS.intersection(sys.argv[1:2]):
        from config.serving import exit_unless_ready_to_serve

        exit_unless_ready_to_serve()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
