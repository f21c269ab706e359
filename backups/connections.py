"""A Django connection to a database that is not in settings, for as long as it is needed.

The move to PostgreSQL and verify_backup read and write databases other than the live one
(a target server, a scratch database) through Django, so that Django's own type handling
and migrations apply to them exactly as they do to the live database.
"""

import contextlib
import secrets
from collections.abc import Iterator

from django.db import connections


@contextlib.contextmanager
def temporary_alias(settings_dict: dict) -> Iterator[str]:
    alias = f"marquee_{secrets.token_hex(4)}"
    configured = connections.configure_settings({"default": dict(settings_dict)})["default"]
    connections.settings[alias] = configured
    try:
        yield alias
    finally:
        if alias in connections.settings:
            with contextlib.suppress(Exception):
                connections[alias].close()
            with contextlib.suppress(AttributeError):
                del connections[alias]
            del connections.settings[alias]


def described(settings_dict: dict) -> str:
    """A PostgreSQL database, for messages: never its password."""
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{host}{port}/{settings_dict.get('NAME')}"
