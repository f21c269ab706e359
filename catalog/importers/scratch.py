"""A temporary table an import keeps for the whole file, beside its batches' transactions.

What a file has said so far (the rating pairs and tags met) can grow to millions of rows:
the database keeps it, not Python, so that memory stays flat as the file grows. The table
lives for the import's connection and is dropped when the import ends, however it ends.
"""

import contextlib

from django.db import DatabaseError, connection


class ScratchTable:
    """A context manager for the temporary table `name`, made by `create` (SQL)."""

    name: str
    create: str

    def __enter__(self):
        with connection.cursor() as cursor:
            # Tests run inside one transaction, where an earlier import's table remains.
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(self.create)
        return self

    def __exit__(self, *exc_info):
        # After a failure the connection may refuse even this: the table goes with it.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
