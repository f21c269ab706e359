"""What move_to_postgres accepts as its target: an empty database, or one that Marquee
alone has migrated (with no rows: see move.occupied_tables).

A table of another application is refused before anything is migrated: the copy's proof
compares every table on both sides, so such a table, even empty, failed the move only after
Marquee's tables and migration records had been written into that other database.
"""

from backups.checksums import table_names
from backups.errors import BackupError

NAMED = 10  # tables named in the refusal; a line, not a listing


def foreign_tables(target, marquee_tables: set[str]) -> list[str]:
    """The target's tables that Marquee does not have: those the copy's proof would find
    unexpected (the same query as its checksums)."""
    with target.cursor() as cursor:
        return [table for table in table_names(cursor, "postgresql") if table not in marquee_tables]


def refuse_foreign_tables(target, marquee_tables: set[str], *, where: str) -> None:
    foreign = foreign_tables(target, marquee_tables)
    if not foreign:
        return
    named = ", ".join(foreign[:NAMED])
    if len(foreign) > NAMED:
        named += f" and {len(foreign) - NAMED} more"
    raise BackupError(
        f"{where} holds tables Marquee does not have ({named}): the move only fills an "
        "empty database, or one that only Marquee has migrated. Nothing was moved: create "
        "a new, empty database for Marquee."
    )
