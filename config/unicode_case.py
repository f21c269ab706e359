"""Letter case compared by Unicode on SQLite, as PostgreSQL compares it.

Usernames, email addresses, genre names and list names are unique in any letter case
(unique indexes on UPPER() or LOWER() of the column), and the forms look for a clash with
`__iexact`. SQLite's own UPPER, LOWER and LIKE fold ASCII letters only: on SQLite "Émile"
and "émile" could both exist where PostgreSQL refuses the second, and `move_to_postgres`
or an export imported into a PostgreSQL site then failed on them.

So every SQLite connection Marquee opens gets UPPER and LOWER of its own, which replace
SQLite's built-in ones (SQLite lets an application override them), and `__iexact` reads
`UPPER(column) = UPPER(value)` there, as Django writes it for PostgreSQL. Letters are
mapped one by one, as PostgreSQL maps them through the C library (`towupper`): "ß" stays
"ß" where Python's own upper() makes "SS".

A tool that opens the file without these functions (the `sqlite3` shell, `dbshell`) uses
SQLite's built-in ones: its `PRAGMA integrity_check` reports rows with such letters as
missing from those indexes, and names it writes with such letters are indexed
ASCII-folded. Marquee's own checks install the functions first (backups/sqlite_checks.py),
and feedback migration 0015 indexed the existing rows again when this came in.
"""

import sqlite3

from django.db.models.lookups import BuiltinLookup, IExact


def _one_by_one(text: str, change) -> str:
    # A letter whose case mapping is more than one letter ("ß", "ŉ") is left as it is.
    return "".join(mapped if len(mapped := change(letter)) == 1 else letter for letter in text)


def upper(value):
    """SQL UPPER: text upper-cased letter by letter; NULL stays NULL, numbers become text."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text.upper() if text.isascii() else _one_by_one(text, str.upper)


def lower(value):
    """SQL LOWER: text lower-cased letter by letter (a final Σ becomes σ, as on PostgreSQL)."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text.lower() if text.isascii() else _one_by_one(text, str.lower)


def install_unicode_case(db: sqlite3.Connection) -> None:
    """Give a SQLite connection Marquee's UPPER and LOWER. Deterministic, as SQLite
    requires of a function an index is built on."""
    db.create_function("upper", 1, upper, deterministic=True)
    db.create_function("lower", 1, lower, deterministic=True)


def on_connection_created(sender, connection, **kwargs) -> None:
    """connection_created receiver (config/apps.py): every Django SQLite connection."""
    if connection.vendor == "sqlite":
        install_unicode_case(connection.connection)


class UnicodeIExact(IExact):
    """`__iexact` as UPPER() on both sides on SQLite, where Django writes a LIKE (ASCII
    case only). On PostgreSQL Django already writes UPPER(column) = UPPER(value)."""

    def as_sqlite(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        # BuiltinLookup's, not IExact's: that one escapes % and _ for a LIKE pattern.
        rhs_sql, rhs_params = BuiltinLookup.process_rhs(self, compiler, connection)
        return f"UPPER({lhs_sql}) = UPPER({rhs_sql})", (*lhs_params, *rhs_params)
