"""A bulk load on PostgreSQL: a table's indexes and foreign keys dropped, then built again.

PostgreSQL's own advice for loading many rows ("Populating a Database"): keeping an index
up to date row by row costs far more than building it once from sorted data, and a
foreign key checked once for the whole table costs far less than a check per row. On a
million MovieLens ratings: about 6 s of index upkeep and 5 s of per-row key checks,
against 4 s to build the indexes and 0.5 s to check the keys afterwards.

Everything happens in the caller's transaction. PostgreSQL's DDL is transactional, so a
load that fails or is interrupted puts the indexes back as they were; and the definitions
are read from the catalog and replayed as they are, so the schema after the load is the
one the migrations made, names included. The cost: the table is locked (ACCESS
EXCLUSIVE) until the transaction ends, so readers of the table wait for the load.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

# Building an index sorts the whole table; PostgreSQL's default of 64 MB spills a sort of
# a million ratings to disk. Only this transaction gets more.
SORT_MEMORY = "256MB"


@dataclass(frozen=True)
class TableKeys:
    """What is dropped for the load and built again after it, each as PostgreSQL wrote it."""

    table: str
    constraints: list[tuple[str, str]]  # (name, definition): primary key and unique ones
    indexes: list[tuple[str, str]]  # (name, CREATE INDEX statement): the others
    foreign_keys: list[tuple[str, str]]  # (name, definition)


CONSTRAINTS = """
SELECT k.conname, pg_get_constraintdef(k.oid), k.contype
FROM pg_constraint k
WHERE k.conrelid = %(table)s::regclass AND k.contype IN ('p', 'u', 'f')
  -- A key that another table's foreign key points at cannot be dropped: it stays.
  AND NOT (k.contype IN ('p', 'u') AND EXISTS (
      SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid))
ORDER BY k.contype DESC, k.conname
"""
INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = %(table)s::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                  AND k.contype IN ('p', 'u', 'x'))
ORDER BY c.relname
"""


def table_keys(table: str) -> TableKeys:
    with connection.cursor() as cursor:
        cursor.execute(CONSTRAINTS, {"table": table})
        constraints = cursor.fetchall()
        cursor.execute(INDEXES, {"table": table})
        indexes = cursor.fetchall()
    return TableKeys(
        table=table,
        constraints=[(name, text) for name, text, kind in constraints if kind != "f"],
        indexes=indexes,
        foreign_keys=[(name, text) for name, text, kind in constraints if kind == "f"],
    )


@contextmanager
def indexes_rebuilt_after(table: str):
    """Run the body with `table` stripped of its indexes and keys; build them again after.

    Call inside a transaction (transaction.atomic()). Check constraints stay: they cost
    little per row and are what keeps a bad row out.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The lock first, so that no other transaction can come between the reading of
        # the definitions and their dropping.
        cursor.execute(f"LOCK TABLE {quote(table)} IN ACCESS EXCLUSIVE MODE")
        keys = table_keys(table)
        # Foreign keys are deferred: rows written earlier in this transaction still have
        # their checks queued, and PostgreSQL alters no table with checks pending. Run
        # them now, then let later rows defer theirs again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _ in keys.foreign_keys + keys.constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in keys.indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield keys
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{SORT_MEMORY}'")
        for name, definition in keys.constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for _, statement in keys.indexes:
            cursor.execute(statement)
        for name, definition in keys.foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
