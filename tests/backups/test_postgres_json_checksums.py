"""JSON numbers checksum the same whether SQLite holds Python's text or jsonb its decimals.

Collected in the PostgreSQL session only (see conftest.py): jsonb's own spelling of a
number is what is compared, so the server writes it."""

import json

import pytest
from django.db import connection

from backups.checksums import normalised

# What a JSONField on SQLite holds: the text json.dumps wrote for these values.
DOCUMENTS = [
    {"n": 1e20},
    {"n": 1.2345678901234567e25, "m": -0.0, "small": 1e-7, "exact": 3.0},
    {"huge": 2**70, "list": [0.1, 1.5e300, -(2**63)]},
]


@pytest.mark.django_db
@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_json_document_checksums_the_same_from_jsonb(document):
    as_sqlite_holds_it = json.dumps(document)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb::text", [as_sqlite_holds_it])
        (as_jsonb_returns_it,) = cursor.fetchone()

    assert normalised("json", as_sqlite_holds_it) == normalised("json", as_jsonb_returns_it)


def test_different_numbers_still_differ():
    assert normalised("json", "[1e+20]") != normalised("json", "[1.0000000000000001e+20]")
    assert normalised("json", "[0.5]") != normalised("json", "[0.25]")
