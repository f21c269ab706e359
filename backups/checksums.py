"""Row counts and content checksums per table, equal on SQLite and PostgreSQL for equal data.

Each engine stores the same value differently (a boolean is 0/1 or true/false, a timestamp
text or timestamptz, a UUID 32 hex characters or a uuid, JSON text or jsonb), so every value
is first normalised by what the column holds: the model field's type when a model owns the
table, the declared column type otherwise. Rows are hashed in primary-key order, text keys
in byte order on both engines, columns by name (their physical order may differ).
"""

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder

BATCH = 5000
# Past 10**308 no float can have written a number; such a number is compared as a float.
FLOAT_DIGITS = 308

FIELD_KINDS = {
    "AutoField": "int",
    "BigAutoField": "int",
    "SmallAutoField": "int",
    "IntegerField": "int",
    "BigIntegerField": "int",
    "SmallIntegerField": "int",
    "PositiveIntegerField": "int",
    "PositiveBigIntegerField": "int",
    "PositiveSmallIntegerField": "int",
    "FloatField": "float",
    "BooleanField": "bool",
    "NullBooleanField": "bool",
    "DateTimeField": "datetime",
    "DateField": "date",
    "TimeField": "time",
    "UUIDField": "uuid",
    "JSONField": "json",
    "DecimalField": "decimal",
    "DurationField": "duration",
    "BinaryField": "bytes",
}
# Declared column types, for tables no installed model owns (SQLite's, then PostgreSQL's).
DECLARED_KINDS = (
    ("bool", "bool"),
    ("datetime", "datetime"),
    ("timestamp", "datetime"),
    ("date", "date"),
    ("time", "time"),
    ("char(32)", "uuid"),
    ("uuid", "uuid"),
    ("json", "json"),
    ("decimal", "decimal"),
    ("numeric", "decimal"),
    ("real", "float"),
    ("double", "float"),
    ("float", "float"),
    ("interval", "duration"),
    ("blob", "bytes"),
    ("bytea", "bytes"),
    ("int", "int"),
)
TEXT_TYPES = ("char", "text")


@dataclass(frozen=True)
class TableDigest:
    table: str
    rows: int
    checksum: str


def field_kind(field) -> str:
    while field.is_relation:
        field = field.target_field
    return FIELD_KINDS.get(field.get_internal_type(), "text")


def model_column_kinds() -> dict[str, dict[str, str]]:
    kinds: dict[str, dict[str, str]] = {}
    for model in [*apps.get_models(include_auto_created=True), MigrationRecorder.Migration]:
        columns = kinds.setdefault(model._meta.db_table, {})
        for field in model._meta.local_concrete_fields:
            columns[field.column] = field_kind(field)
    return kinds


def declared_kind(declared: str) -> str:
    declared = declared.lower()
    for fragment, kind in DECLARED_KINDS:
        if fragment in declared:
            return kind
    return "text"


def as_utc(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def json_number(text: str) -> int | float:
    """A JSON number by its value, whatever its spelling: jsonb keeps numbers as exact
    decimals and writes them out its own way (1e+20 comes back 100000000000000000000,
    3.0 as 3.0, -0.0 as 0.0), where SQLite keeps the text Python wrote."""
    number = decimal.Decimal(text)
    if abs(number.adjusted()) <= FLOAT_DIGITS and number == number.to_integral_value():
        return int(number)
    return float(number)


def normalised_json(value):
    # JSON arrives as text from both engines through Django's connections (its psycopg
    # setup loads jsonb as text); jsonb reorders keys, so compare the parsed document.
    if isinstance(value, str):
        parsed = json.loads(value, parse_int=json_number, parse_float=json_number)
    else:
        parsed = value
    return json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


NORMALISERS = {
    "int": int,
    "float": float,
    "bool": bool,
    "text": str,
    "datetime": lambda value: as_utc(value).isoformat(timespec="microseconds"),
    "date": lambda value: value if isinstance(value, str) else value.isoformat(),
    "time": lambda value: value if isinstance(value, str) else value.isoformat(),
    "uuid": lambda value: uuid.UUID(str(value)).hex,
    "json": normalised_json,
    "decimal": lambda value: format(decimal.Decimal(str(value)).normalize(), "f"),
    "duration": lambda value: (
        value // dt.timedelta(microseconds=1) if isinstance(value, dt.timedelta) else int(value)
    ),
    "bytes": lambda value: bytes(value).hex(),
}


def normalised(kind: str, value):
    if value is None:
        return None
    try:
        return NORMALISERS[kind](value)
    except (TypeError, ValueError, decimal.InvalidOperation):
        # SQLite lets any column hold anything: keep the oddity visible in the checksum.
        return ["unexpected", type(value).__name__, repr(value)]


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_columns(cursor, table: str) -> list[tuple[str, str, bool]]:
    cursor.execute(f"PRAGMA table_info({quoted(table)})")
    return [(name, declared or "", pk > 0) for _, name, declared, _, _, pk in cursor.fetchall()]


def postgres_columns(cursor, table: str) -> list[tuple[str, str, bool]]:
    cursor.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
        " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid"
        "         AND i.indisprimary AND a.attnum = ANY(i.indkey))"
        " FROM pg_attribute a"
        " WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(%s))"
        " AND a.attnum > 0 AND NOT a.attisdropped",
        [table],
    )
    return list(cursor.fetchall())


def table_names(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite~_%' "
            "ESCAPE '~'"
        )
    else:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
    return sorted(row[0] for row in cursor.fetchall())


def ordering(vendor: str, columns: list[tuple[str, str, bool]]) -> str:
    keys = [(name, declared) for name, declared, is_pk in columns if is_pk]
    parts = []
    for name, declared in keys:
        textual = any(word in declared.lower() for word in TEXT_TYPES)
        # Byte order on both engines: PostgreSQL would otherwise sort by its locale.
        collate = ' COLLATE "C"' if vendor == "postgresql" and textual else ""
        parts.append(quoted(name) + collate)
    return " ORDER BY " + ", ".join(parts) if parts else ""


def rows_of(connection, vendor: str, query: str):
    if vendor == "postgresql":
        cursor = connection.cursor(name="marquee_checksum", withhold=True)
        cursor.itersize = BATCH
    else:
        cursor = connection.cursor()
    try:
        cursor.execute(query)
        while batch := cursor.fetchmany(BATCH):
            yield from batch
    finally:
        cursor.close()


def table_digest(connection, vendor: str, table: str, kinds: dict[str, str]) -> TableDigest:
    cursor = connection.cursor()
    try:
        columns = (sqlite_columns if vendor == "sqlite" else postgres_columns)(cursor, table)
    finally:
        cursor.close()
    columns = sorted(columns)
    column_kinds = [kinds.get(name) or declared_kind(declared) for name, declared, _ in columns]
    names = ", ".join(quoted(name) for name, _, _ in columns)
    query = f"SELECT {names} FROM {quoted(table)}{ordering(vendor, columns)}"  # noqa: S608
    digest = hashlib.sha256(json.dumps([name for name, _, _ in columns]).encode())
    rows = 0
    unordered = []
    has_key = any(is_pk for _, _, is_pk in columns)
    for row in rows_of(connection, vendor, query):
        line = json.dumps(
            [normalised(kind, value) for kind, value in zip(column_kinds, row, strict=True)],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        rows += 1
        if has_key:
            digest.update(line.encode() + b"\n")
        else:
            unordered.append(line)
    for line in sorted(unordered):
        digest.update(line.encode() + b"\n")
    return TableDigest(table=table, rows=rows, checksum=digest.hexdigest())


def database_digests(connection, vendor: str) -> list[TableDigest]:
    """Every table of a database (a DB-API connection: sqlite3's, or psycopg's through
    Django), with its row count and checksum, sorted by table name."""
    kinds = model_column_kinds()
    cursor = connection.cursor()
    try:
        tables = table_names(cursor, vendor)
    finally:
        cursor.close()
    return [table_digest(connection, vendor, table, kinds.get(table, {})) for table in tables]


def digest_differences(expected: list[TableDigest], actual: list[TableDigest]) -> list[str]:
    """Tables whose rows differ, with how, for a report; empty when all are equal."""
    mine = {digest.table: digest for digest in expected}
    theirs = {digest.table: digest for digest in actual}
    problems = []
    for table in sorted(mine.keys() | theirs.keys()):
        if table not in theirs:
            problems.append(f"{table}: missing")
        elif table not in mine:
            problems.append(f"{table}: unexpected table")
        elif mine[table].rows != theirs[table].rows:
            problems.append(
                f"{table}: {mine[table].rows} rows expected, {theirs[table].rows} found"
            )
        elif mine[table].checksum != theirs[table].checksum:
            problems.append(f"{table}: same {mine[table].rows} rows, different contents")
    return problems
