"""The session store: Django's database sessions, where a cookie's key that no session
can have is no session, before it reaches the database.

Django takes any key of 8 characters or more and looks it up. A key holding a NUL (a
quoted cookie value, "aaaaaaaa\\000", which Python's cookie parser unescapes) made
PostgreSQL refuse the query, so every page, the log-in's included, answered 500 to
anyone sending it, and each request mailed the admins a traceback. Django makes its keys
of VALID_KEY_CHARS alone: any other is no session of ours, as an unknown key is.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and KEY_CHARACTERS.issuperset(key)
