"""Moving everything from the SQLite database to an empty PostgreSQL database, with proof.

The target is migrated by Django, then every table is copied in one PostgreSQL
transaction (COPY, in foreign-key order; Django's foreign keys are deferred to the commit
anyway), sequences are reset, and every table's row count and checksum are compared on
both sides *before* the commit: a move that does not match is rolled back and leaves the
target empty. The SQLite side is read inside one write-locked transaction, so a site that
was left running cannot change it half-way.
"""

import itertools
import re
import traceback
from dataclasses import dataclass

import dj_database_url
import psycopg
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast

from backups.checksums import TableDigest, database_digests, digest_differences, quoted
from backups.connections import described, temporary_alias
from backups.errors import BackupError, one_line, sentence
from backups.migration_history import refuse_newer_migrations
from backups.move_target import refuse_foreign_tables
from backups.services import unapplied_migrations
from backups.sqlite import refuse_missing_database_file
from backups.stopping import Stopped

BATCH = 2000
# PostgreSQL's context for a value it refused in a COPY: "COPY catalog_movie, line 40,
# column title: ..." (the line counted from 1 in that COPY; no column for a whole row).
COPY_LINE = re.compile(r"COPY [^,]+, line (\d+)(?:, column ([^:]+))?")
# What reading a row raises on a value its column's type cannot hold, which SQLite stores
# all the same: an impossible date (SQLite's converter), text in a UUID (Django's).
READ_ERRORS = (ValueError, TypeError, ArithmeticError)
# Rows `migrate` writes into a new database by itself; the source's replace them.
MIGRATE_FILLS = {"django_migrations", "django_content_type", "auth_permission"}


@dataclass(frozen=True)
class MoveReport:
    target: str
    tables: list[TableDigest]


def models_in_copy_order() -> list:
    """Every table's model, each after the models its foreign keys point to."""
    models = {}
    for model in [*apps.get_models(include_auto_created=True), MigrationRecorder.Migration]:
        if model._meta.managed and not model._meta.proxy:
            models.setdefault(model._meta.db_table, model)
    ordered, seen = [], set()

    def visit(model):
        if model._meta.db_table in seen:
            return
        seen.add(model._meta.db_table)
        for field in model._meta.local_concrete_fields:
            if field.is_relation and field.related_model is not model:
                target = models.get(field.related_model._meta.db_table)
                if target is not None:
                    visit(target)
        ordered.append(model)

    for table in sorted(models):
        visit(models[table])
    return ordered


def occupied_tables(target) -> list[str]:
    with target.cursor() as cursor:
        tables = target.introspection.table_names(cursor)
        occupied = []
        for table in tables:
            if table in MIGRATE_FILLS:
                continue
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted(table)})")  # noqa: S608
            if cursor.fetchone()[0]:
                occupied.append(table)
    return occupied


def refuse_migrations_the_source_lacks(target, source, *, where: str) -> None:
    """A target migrated by a newer Marquee has tables or columns the SQLite database does
    not: the copy could not match, and the move would drop the record of its migrations."""
    refuse_newer_migrations(
        sorted(
            MigrationRecorder(target).applied_migrations().keys()
            - MigrationRecorder(source).applied_migrations().keys()
        ),
        where=where,
        lacking="the SQLite database lacks",
        remedy="Upgrade this Marquee and migrate the SQLite database first, or move into a "
        "new, empty database.",
    )


def table_copy(model, *, source_alias: str, target) -> None:
    """Copy a table in COPY statements of BATCH rows each: PostgreSQL names a row it
    refuses by its line in the COPY, and the keys of one COPY's rows are few to keep."""
    fields = model._meta.local_concrete_fields
    columns = ", ".join(quoted(field.column) for field in fields)
    rows = (
        model._base_manager.using(source_alias)
        .order_by()
        .values_list(*[field.attname for field in fields])
        .iterator(chunk_size=BATCH)
    )
    statement = f"COPY {quoted(model._meta.db_table)} ({columns}) FROM STDIN"
    try:
        for batch in read_in_batches(model, rows, source_alias=source_alias):
            batch_copy(model, batch, statement=statement, target=target)
    finally:
        rows.close()  # while the SQLite connection is still open


def read_in_batches(model, rows, *, source_alias: str):
    """`rows` in batches of BATCH; a value that cannot be read is refused as one that
    PostgreSQL refuses, by its row and column. (Only the reading: a refusal of the copy,
    raised where the batches are used, does not pass through here.)"""
    try:
        yield from itertools.batched(rows, BATCH)
    except READ_ERRORS as error:
        # A converter of Django's raises above the SQLite cursor, which the error's frames
        # then hold open until the process ends, after the connection: cleared, the cursor
        # closes now, rather than print an error of its own after the refusal.
        traceback.clear_frames(error.__traceback__)
        raise refusal(*unreadable_at(model, error, source_alias=source_alias)) from error


def batch_copy(model, batch, *, statement: str, target) -> None:
    fields = model._meta.local_concrete_fields
    key = fields.index(model._meta.pk)
    # Each row's primary key, in the order given to the COPY: line N is sent[N - 1]. (Kept
    # before the write: a write can send this row and meet the server's error at once.)
    sent = []
    field = row = None
    try:
        with target.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in batch:
                values = []
                for field, value in zip(fields, row, strict=True):
                    values.append(field.get_db_prep_save(value, connection=target))
                field = None  # the row as a whole, from here
                sent.append(row[key])
                copy.write_row(values)
    except (ValueError, TypeError, ValidationError, psycopg.DataError) as error:
        raise refusal(*refused_at(model, error, sent=sent, row=row, field=field)) from error


def refusal(where: str, reason: str) -> BackupError:
    return BackupError(
        f"{where} cannot move to PostgreSQL: {sentence(one_line(reason))} Mend it in the "
        "SQLite database and run the move again; nothing was moved."
    )


def refused_at(model, error, *, sent: list, row, field) -> tuple[str, str]:
    """The table, row and column of a value that could not be copied, and why.

    PostgreSQL refuses a value (too long for its column, say) in a row sent earlier, and
    says where in its error's context; Python refuses one in the row in hand (SQLite lets
    a column hold a value of any type, and text hold NUL).
    """
    fields = model._meta.local_concrete_fields
    context = getattr(getattr(error, "diag", None), "context", None) or ""
    if found := COPY_LINE.match(context):
        line, column = int(found[1]), found[2]
        # A line beyond what was sent cannot be: name no row rather than fail on it.
        key = sent[line - 1] if 0 < line <= len(sent) else None
        reason = error.diag.message_primary
    else:
        key = row[fields.index(model._meta.pk)] if row is not None else None
        if field is None and row is not None:
            field = next((f for f, v in zip(fields, row, strict=True) if "\x00" in str(v)), None)
        column, reason = (field.column if field else None), str(error)
    return located(model, key, column), reason


def unreadable_at(model, error, *, source_alias: str) -> tuple[str, str]:
    """The table, row and column of a stored value that cannot be read, and why.

    Reading a chunk of rows fails without naming the row, so the rows are read again:
    by batches, then halves of the batch that fails, down to one row, then column by
    column. A move that fails pays for it; the move that succeeds reads each row once.
    """
    rows = model._base_manager.using(source_alias).order_by()
    fields = model._meta.local_concrete_fields

    def read_error(keys, *names):
        try:
            list(rows.filter(pk__in=keys).values_list(*names))
        except READ_ERRORS as failure:
            return failure
        return None

    try:
        keys = list(rows.values_list(model._meta.pk.attname, flat=True))
    except READ_ERRORS:
        return located(model, None, model._meta.pk.column), str(error)
    names = [field.attname for field in fields]
    failing = next((b for b in itertools.batched(keys, BATCH) if read_error(b, *names)), None)
    if failing is None:  # read this time: name what is known
        return located(model, None, None), str(error)
    while len(failing) > 1:
        half = failing[: len(failing) // 2]
        failing = half if read_error(half, *names) else failing[len(half) :]
    (key,) = failing
    for field in fields:
        if failure := read_error(failing, field.attname):
            text = Cast(field.attname, models.TextField())  # as stored, past the converters
            raw = rows.filter(pk=key).values_list(text, flat=True).get()
            return located(model, key, field.column), f"{raw!r} cannot be read: {failure}"
    return located(model, key, None), str(error)


def located(model, key, column: str | None) -> str:
    where = model._meta.db_table
    if key is not None:
        where += f" row {model._meta.pk.attname}={key!r}"
    if column:
        where += f", column {column}"
    return where


def database_move_to_postgres(*, target_url: str, source_alias: str = "default") -> MoveReport:
    source = connections[source_alias]
    if source.vendor != "sqlite":
        raise BackupError(f"The database is already {source.vendor}: this moves a SQLite database.")
    try:
        target_settings = dj_database_url.parse(target_url)
    except ValueError as error:
        raise BackupError(f"Not a database URL: {error}") from error
    if target_settings.get("ENGINE") != "django.db.backends.postgresql":
        raise BackupError("The target must be a postgres:// URL.")
    if not target_settings.get("NAME"):
        raise BackupError(
            "The URL names no database: end it with one, e.g. postgres://USER@HOST:5432/marquee"
        )
    # Before anything opens the source: a mistyped or unset MARQUEE_DATA_DIR would gain an
    # empty database, which `migrate` (the advice below) would then make look movable.
    refuse_missing_database_file(source.settings_dict, consequence="Nothing was moved.")
    missing = unapplied_migrations(source_alias)
    if missing:
        raise BackupError(
            f"Run manage.py migrate first: the database lacks {missing} migration(s)."
        )
    where = described(target_settings)

    with temporary_alias(target_settings) as alias:
        target = connections[alias]
        try:
            target.ensure_connection()
        except (DatabaseError, psycopg.Error) as error:
            raise BackupError(f"Cannot connect to {where}: {one_line(error)}") from error
        occupied = occupied_tables(target)
        if occupied:
            raise BackupError(
                f"{where} is not empty ({', '.join(occupied[:5])} hold rows): "
                "the move only fills an empty database."
            )
        refuse_migrations_the_source_lacks(target, source, where=where)
        # After that refusal: a newer Marquee's new tables are better explained by it.
        models = models_in_copy_order()
        refuse_foreign_tables(target, {model._meta.db_table for model in models}, where=where)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        try:
            arrived = rows_copied(models, source, target, source_alias, alias, where=where)
        except Stopped as stopped:
            raise BackupError(
                f"{stopped}: the copy was rolled back, so nothing was moved ({where} holds "
                "Marquee's tables as migrate makes them); run the move again."
            ) from stopped
    return MoveReport(target=where, tables=arrived)


def rows_copied(models, source, target, source_alias, alias, *, where):
    """Every row into the emptied target tables, in one transaction on each side; their
    digests, once they match the source's (refused, rolled back, when they do not)."""
    with transaction.atomic(using=source_alias), transaction.atomic(using=alias):
        tables = ", ".join(quoted(model._meta.db_table) for model in models)
        with target.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        for model in models:
            table_copy(model, source_alias=source_alias, target=target)
        with target.cursor() as cursor:
            for statement in target.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        source.ensure_connection()
        expected = database_digests(source.connection, "sqlite")
        arrived = database_digests(target.connection, "postgresql")
        differences = digest_differences(expected, arrived)
        if differences:
            raise BackupError(
                f"The copy in {where} does not match, so it was rolled back: "
                + "; ".join(differences[:5])
            )
    return arrived
