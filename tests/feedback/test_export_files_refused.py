"""import_user_export refuses a file it cannot read on one line, naming where, and
writes nothing: each of these once ended in a traceback, or imported half the file."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from feedback.exports import export_csv_zip, export_json
from feedback.film_list_models import FilmList
from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    RatingFactory,
    WatchlistEntryFactory,
)
from tests.imports.unreadable_zips import UNKNOWN_METHOD, unreadable

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(user):
    """An export of a list of one film and a watchlist entry, then an empty Marquee."""
    film_list = FilmListFactory(user=user, name="Best of")
    FilmListEntryFactory(film_list=film_list)
    WatchlistEntryFactory(user=user)
    data = {"json": export_json(user), "zip": export_csv_zip(user)}
    get_user_model().objects.all().delete()
    return data


def refusal(tmp_path, name: str, data: bytes) -> str:
    """The one-line error of importing `data` as a file `name`; nothing was written."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_user_export", str(path), "--user", "back", "--create-user", stdout=io.StringIO()
        )
    message = str(refused.value)
    assert "\n" not in message
    assert not get_user_model().objects.exists()
    assert not FilmList.objects.exists()
    return message


def test_a_lone_surrogate_in_a_text_is_refused_in_words(exported, tmp_path):
    document = json.loads(exported["json"])
    document["lists"][0]["name"] = "\ud800"
    data = json.dumps(document).encode()  # the escape "\ud800", as the file held it

    assert refusal(tmp_path, "export.json", data) == (
        "export.json: lists row 1: name holds a lone surrogate (half a character, such as "
        "\\ud800), which is not text"
    )


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"encrypted": True}, "it is password-protected"),
        ({"method": UNKNOWN_METHOD}, "it is compressed by a method this import cannot read"),
    ],
)
def test_a_zip_whose_files_cannot_be_read_is_refused_naming_the_file(
    exported, tmp_path, headers, reason
):
    data = unreadable(exported["zip"], **headers)

    assert refusal(tmp_path, "export.zip", data) == (
        f"export.zip: feedback.csv cannot be read: {reason}"
    )


def test_a_csv_cell_past_the_reader_s_limit_is_refused_naming_file_and_line(exported, tmp_path):
    # Python's csv module reads no field past 131,072 characters: _csv.Error, a traceback.
    files = zip_files(exported["zip"])
    header = files["lists.csv"].splitlines()[0]
    files["lists.csv"] = header + b'\r\n"' + b"x" * 200_000 + b'",,2026-01-01T00:00:00+00:00,\r\n'

    assert refusal(tmp_path, "export.zip", zipped(files)) == (
        "export.zip: lists.csv:2: not valid CSV (field larger than field limit (131072))"
    )


def zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("version", [True, False, 7.0, "7", None])
def test_a_version_that_is_no_whole_number_is_refused_as_an_unknown_one(
    exported, tmp_path, version
):
    # True == 1 and 7.0 == 7 in Python: "version": true read as version 1 dropped the
    # watchlist, reviews, settings, lists and films turned down of a version 7 file, and
    # said nothing.
    document = json.loads(exported["json"])
    document["version"] = version

    assert refusal(tmp_path, "export.json", json.dumps(document).encode()) == (
        f"export.json: an export of version {version!r}, not 1, 2, 3, 4, 5, 6, 7 or 8"
    )


@pytest.mark.parametrize(
    ("kind", "column", "type_name"),
    [
        ("list_entries", "position", "int"),
        ("watchlist", "movie_year", "int"),
        ("list_entries", "note", "str"),
        ("lists", "name", "str"),
    ],
)
def test_a_json_bool_is_no_number_and_no_text(exported, tmp_path, kind, column, type_name):
    document = json.loads(exported["json"])
    document[kind][0][column] = True

    assert refusal(tmp_path, "export.json", json.dumps(document).encode()) == (
        f"export.json: {kind} row 1: {column} True is not a {type_name}"
    )


@pytest.mark.parametrize(
    ("kind", "column", "value", "type_name"),
    [
        ("list_entries", "position", "1", "int"),
        ("watchlist", "movie_year", 1979.0, "int"),
        ("lists", "name", 7, "str"),
        ("lists", "created_at", 1700000000, "datetime"),
    ],
)
def test_a_json_value_of_another_type_than_its_column_s_is_refused(
    exported, tmp_path, kind, column, value, type_name
):
    """JSON says what a value is: "1" is a text, not the number the column holds, and the
    export writes numbers as numbers, so such a file was edited by hand or by a program
    that means something else by it."""
    document = json.loads(exported["json"])
    document[kind][0][column] = value

    assert refusal(tmp_path, "export.json", json.dumps(document).encode()) == (
        f"export.json: {kind} row 1: {column} {value!r} is not a {type_name}"
    )


def test_a_json_bool_is_no_rating(user, tmp_path):
    RatingFactory(user=user)
    document = json.loads(export_json(user))
    get_user_model().objects.all().delete()
    document["ratings"][0]["value"] = True

    assert refusal(tmp_path, "export.json", json.dumps(document).encode()) == (
        "export.json: ratings row 1: value True is not a float"
    )


@pytest.mark.parametrize("rows", [True, 7, "lists"])
def test_a_kind_that_is_not_a_list_of_rows_is_refused(exported, tmp_path, rows):
    document = json.loads(exported["json"])
    document["lists"] = rows

    assert refusal(tmp_path, "export.json", json.dumps(document).encode()) == (
        "export.json: lists: expected a list of rows"
    )
