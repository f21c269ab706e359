"""A person's lists of films in their export (format version 6) and back: each list with
its films in order and their notes; an export from before version 6 leaves lists as
they are."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.bounds import INTEGER_MAX
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_csv_zip, export_json
from feedback.film_lists import film_list_entry_move
from feedback.models import FilmList, FilmListEntry
from tests.factories import FilmListEntryFactory, FilmListFactory, MovieFactory, UserFactory
from tests.feedback.test_exports import as_version

pytestmark = pytest.mark.django_db

BUILDS = [export_json, export_csv_zip]


@pytest.fixture
def lists(user):
    """Two lists; the first's films moved out of the order they were added in."""
    kids = FilmListFactory(user=user, name="Films to show the kids", description="Saturdays")
    for title in ("Totoro", "Paddington 2", "Wall-E"):
        FilmListEntryFactory(film_list=kids, movie=MovieFactory(title=title, year=2000))
    film_list_entry_move(entry=kids.entries.get(movie__title="Wall-E"), to_position=1)
    kids.entries.filter(movie__title="Totoro").update(note="=Bring tissues")
    FilmListFactory(user=user, name="Empty for now", description="")
    return user


def shown(user) -> list[tuple]:
    """The person's lists as their pages show them: name, description, films in order."""
    return [
        (
            film_list.name,
            film_list.description,
            [
                (entry.movie.title, entry.note)
                for entry in FilmListEntry.objects.in_order(film_list)
            ],
        )
        for film_list in FilmList.objects.filter(user=user).order_by("name")
    ]


def test_the_json_export_holds_the_lists_and_their_films_in_order(lists):
    exported = json.loads(export_json(lists))

    assert exported["version"] == 8
    assert [row["name"] for row in exported["lists"]] == [
        "Films to show the kids",
        "Empty for now",
    ]
    assert [
        (row["list_name"], row["position"], row["movie_title"], row["note"])
        for row in exported["list_entries"]
    ] == [
        ("Films to show the kids", 1, "Wall-E", ""),
        ("Films to show the kids", 2, "Totoro", "=Bring tissues"),
        ("Films to show the kids", 3, "Paddington 2", ""),
    ]


def test_the_csv_export_holds_lists_csv_and_list_entries_csv(lists):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(lists)))

    entries = list(
        csv.DictReader(io.StringIO(archive.read("list_entries.csv").decode("utf-8-sig")))
    )
    assert [row["movie_title"] for row in entries] == ["Wall-E", "Totoro", "Paddington 2"]
    assert entries[1]["note"] == "'=Bring tissues"  # never a formula in a spreadsheet
    names = list(csv.DictReader(io.StringIO(archive.read("lists.csv").decode("utf-8-sig"))))
    assert [row["name"] for row in names] == ["Films to show the kids", "Empty for now"]


def test_an_export_holds_nobody_elses_lists(lists, other_user):
    FilmListEntryFactory(film_list__user=other_user, film_list__name="Not my list")

    assert "Not my list" not in export_json(lists).decode()


@pytest.mark.parametrize("build", BUILDS)
def test_the_round_trip_restores_the_lists_in_their_order(lists, build):
    before = shown(lists)
    elsewhere = UserFactory()

    counts = user_export_import(user=elsewhere, rows=read_export(build(lists)))

    assert shown(elsewhere) == before
    assert (counts.created["lists"], counts.created["list_entries"]) == (2, 3)
    assert list(
        FilmListEntry.objects.filter(film_list__user=elsewhere)
        .order_by("film_list__name", "position")
        .values_list("position", flat=True)
    ) == [1, 2, 3]


def test_importing_the_same_export_again_changes_nothing(lists):
    rows = read_export(export_json(lists))
    before = shown(lists)

    counts = user_export_import(user=lists, rows=rows)

    assert not counts.created["lists"]
    assert not counts.created["list_entries"]
    assert (counts.unchanged["lists"], counts.unchanged["list_entries"]) == (2, 3)
    assert shown(lists) == before


def test_a_list_of_the_same_name_in_another_case_takes_the_films_it_lacks(lists):
    rows = read_export(export_json(lists))
    elsewhere = UserFactory()
    mine = FilmListFactory(user=elsewhere, name="FILMS TO SHOW THE KIDS")
    FilmListEntryFactory(film_list=mine, movie__title="Already mine")

    user_export_import(user=elsewhere, rows=rows)

    mine.refresh_from_db()
    assert mine.name == "Films to show the kids"
    assert [title for title, _ in shown(elsewhere)[1][2]] == [
        "Already mine",
        "Wall-E",
        "Totoro",
        "Paddington 2",
    ]


def test_films_join_a_list_whose_last_place_is_the_largest_the_column_holds(lists):
    rows = read_export(export_json(lists))
    elsewhere = UserFactory()
    mine = FilmListFactory(user=elsewhere, name="Films to show the kids")
    FilmListEntryFactory(film_list=mine, movie__title="Already mine", position=INTEGER_MAX)

    user_export_import(user=elsewhere, rows=rows)

    # Staff may set a place that high in the admin: the list closes up first.
    assert [title for title, _ in shown(elsewhere)[1][2]] == [
        "Already mine",
        "Wall-E",
        "Totoro",
        "Paddington 2",
    ]
    assert list(mine.entries.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"list_name": "Nowhere"},
            "list_entries row 1: list_name 'Nowhere' is none of the export's lists",
        ),
        ({"movie_title": None}, "list_entries row 1: a list entry names its film"),
        ({"note": "x" * 501}, "list_entries row 1: note: A note can be at most 500"),
    ],
)
def test_a_bad_entry_is_refused_and_nothing_is_imported(lists, change, message):
    rows = read_export(export_json(lists))
    rows["list_entries"][0] |= change
    elsewhere = UserFactory()

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=elsewhere, rows=rows)

    assert str(refused.value).startswith(message)
    assert not FilmList.objects.filter(user=elsewhere).exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_list_name_is_refused(lists, name):
    rows = read_export(export_json(lists))
    rows["lists"][0]["name"] = name

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows)

    assert str(refused.value).startswith("lists row 1: ")


def test_an_export_naming_one_list_twice_in_two_cases_is_refused(lists):
    rows = read_export(export_json(lists))
    rows["lists"][1]["name"] = "FILMS to show the kids"

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows)

    assert str(refused.value) == (
        "lists row 2: name 'FILMS to show the kids' is another row's list in another case"
    )


@pytest.mark.parametrize("build", BUILDS)
def test_an_export_of_version_5_leaves_the_lists_as_they_are(lists, build):
    exported = as_version(build(lists), 5)
    before = shown(lists)

    rows = read_export(exported)
    user_export_import(user=lists, rows=rows)

    assert rows["lists"] == rows["list_entries"] == []
    assert shown(lists) == before


@pytest.mark.parametrize(("mine", "theirs"), [("istanbul", "İstanbul"), ("straße", "STRAẞE")])
def test_a_list_named_in_a_case_only_lower_folds_finds_the_persons_list(
    lists, tmp_path, mine, theirs
):
    """PostgreSQL's lower() folds "İ" to "i" and "ẞ" to "ß", its upper() leaves them; the
    one-name-per-person UNIQUE is on Lower(name). Looked for by name__iexact (upper()),
    the person's list was not found, the export's was taken for a new one, and the
    UNIQUE refused it: the whole import lost. Looked for as the UNIQUE folds, it is the
    person's list, given the export's name and films. (On SQLite, Marquee's lower()
    leaves "İ" as it is, config/unicode_case.py: two lists there, as its UNIQUE allows.)"""
    FilmList.objects.filter(user=lists, name="Films to show the kids").update(name=theirs)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(lists))
    into = UserFactory()
    persons_list = FilmListFactory(user=into, name=mine)
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(%s) = lower(%s)", [mine, theirs])
        one_list = bool(cursor.fetchone()[0])

    call_command("import_user_export", str(path), "--user", into.username, stdout=io.StringIO())

    films = {name: [title for title, _ in entries] for name, _, entries in shown(into)}
    assert set(films) == {theirs, "Empty for now"} | (set() if one_list else {mine})
    assert films[theirs] == ["Wall-E", "Totoro", "Paddington 2"]
    assert FilmList.objects.filter(pk=persons_list.pk, name=theirs).exists() == one_list


def test_two_rows_whose_names_only_the_database_folds_together_are_refused(lists):
    """Python lowers "İstanbul" to "i̇stanbul", the database to "istanbul": the export's
    own check of its names let the second row through, and the database then found the
    first row's list for it, which it renamed and filled with both rows' films. (On
    SQLite the two are two lists, as its UNIQUE allows.)"""
    rows = read_export(export_json(lists))
    rows["lists"][0]["name"], rows["lists"][1]["name"] = "istanbul", "İstanbul"
    for entry in rows["list_entries"]:
        entry["list_name"] = "istanbul"
    into = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(%s) = lower(%s)", ["istanbul", "İstanbul"])
        one_list = bool(cursor.fetchone()[0])

    if one_list:
        with pytest.raises(ExportFormatError) as refused:
            user_export_import(user=into, rows=rows)
        assert str(refused.value) == (
            "lists row 2: name 'İstanbul' is another row's list in another case"
        )
    else:
        user_export_import(user=into, rows=rows)
        assert [name for name, _, _ in shown(into)] == ["istanbul", "İstanbul"]
