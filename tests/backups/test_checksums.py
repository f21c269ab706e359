"""Checksums compare data, not the way an engine happens to store it."""

import datetime as dt
import decimal
import sqlite3
import uuid

import pytest

from backups.checksums import database_digests, digest_differences, normalised

PARIS = dt.timezone(dt.timedelta(hours=2))


@pytest.mark.parametrize(
    ("kind", "as_sqlite_stores_it", "as_postgresql_returns_it"),
    [
        ("bool", 1, True),
        ("bool", 0, False),
        (
            "datetime",
            "2024-05-01 10:00:00.250000",
            dt.datetime(2024, 5, 1, 12, 0, 0, 250000, PARIS),
        ),
        ("datetime", "2024-05-01 10:00:00", dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)),
        ("date", "2024-01-31", dt.date(2024, 1, 31)),
        ("uuid", "0f" * 16, uuid.UUID("0f" * 16)),
        ("json", '{"b": 1, "a": [true, null, 0.5]}', '{"a": [true, null, 0.5], "b": 1}'),
        # Numbers as Python writes them into SQLite, and as jsonb writes them out.
        ("json", '{"n": 1e+20}', '{"n": 100000000000000000000}'),
        ("json", "[1.2345678901234567e+25]", "[12345678901234567000000000]"),
        ("json", "[-0.0, 1e-07]", "[0.0, 0.0000001]"),
        ("duration", 90_000_000, dt.timedelta(seconds=90)),
        ("decimal", 1.5, decimal.Decimal("1.50")),
        ("float", 4.0, 4.0),
        ("text", "Zoë ★", "Zoë ★"),
    ],
)
def test_one_value_normalises_the_same_from_either_engine(
    kind, as_sqlite_stores_it, as_postgresql_returns_it
):
    assert normalised(kind, as_sqlite_stores_it) == normalised(kind, as_postgresql_returns_it)


def test_null_is_not_an_empty_string_nor_false():
    assert (
        len(
            {
                repr(normalised("text", None)),
                repr(normalised("text", "")),
                repr(normalised("bool", 0)),
            }
        )
        == 3
    )


def database(rows, *, columns="id INTEGER PRIMARY KEY, title TEXT, seen bool"):
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE TABLE films ({columns})")
    for row in rows:
        connection.execute("INSERT INTO films (id, title, seen) VALUES (?, ?, ?)", row)
    return connection


def test_row_and_column_order_do_not_matter_but_every_value_does():
    rows = [(1, "Alien", 1), (2, "東京物語", 0), (3, None, None)]
    reference = database_digests(database(rows), "sqlite")
    reordered = database(rows[::-1], columns="seen bool, title TEXT, id INTEGER PRIMARY KEY")
    changed = database([(1, "Alien", 1), (2, "東京物語", 1), (3, None, None)])

    assert database_digests(reordered, "sqlite") == reference
    assert reference[0].rows == 3
    assert digest_differences(reference, database_digests(changed, "sqlite")) == [
        "films: same 3 rows, different contents"
    ]
