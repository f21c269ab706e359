"""The gate every way of serving Marquee goes through: WSGI, ASGI and runserver."""

import sys

from django.conf import settings

# gunicorn's "worker failed to boot": its master then stops instead of respawning the
# worker forever. Any non-zero code would do for runserver.
BOOT_ERROR_EXIT_CODE = 3


def exit_unless_ready_to_serve() -> None:
    """In production mode, refuse to serve without a real secret key and host names,
    with one line that says which is missing (not a traceback)."""
    if settings.SERVING_REFUSAL:
        print(f"Marquee cannot start: {settings.SERVING_REFUSAL}", file=sys.stderr)
        sys.exit(BOOT_ERROR_EXIT_CODE)
