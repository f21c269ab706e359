"""A Letterboxd export's lists/ imported as the person's lists of films: found by name in
any case or made, films added at the end in the file's order with their notes, what
cannot be read reported by file and line, and a second import changing nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.urls import reverse

from feedback.film_list_models import LIST_NAME_BLANK_MESSAGE, LIST_NAME_TOO_LONG_MESSAGE
from feedback.letterboxd_import import letterboxd_import
from feedback.models import FilmList, FilmListEntry, UserFeedback
from tests.factories import FilmListEntryFactory, FilmListFactory, MovieFactory, UserFactory
from tests.feedback.letterboxd_zips import letterboxd_zip, rating

pytestmark = pytest.mark.django_db

# Written by hand, as Letterboxd writes them (export v7).
BEST_OF_2023 = """Letterboxd list export v7
Date,Name,Tags,URL,Description
2023-01-05,Best of 2023,,https://boxd.it/abcd,"My favourites, in order"

Position,Name,Year,URL,Description
1,Past Lives,2023,https://boxd.it/xyz1,"the note for this film"
2,Anatomy of a Fall,2023,https://boxd.it/xyz2,
3,Aftersun,2022,https://boxd.it/xyz3,"a note
on two lines"
"""
# Unranked, version 5, without Tags or URL columns, its films out of title order.
COMFORT = """Letterboxd list export v5
Date,Name,Description
2020-02-02,comfort rewatches,

Name,Year,Description
Aftersun,2022,
Past Lives,2023,
"""


@pytest.fixture
def films():
    return {
        "past": MovieFactory(title="Past Lives", year=2023),
        "anatomy": MovieFactory(title="Anatomy of a Fall", year=2023),
        "aftersun": MovieFactory(title="Aftersun", year=2022),
    }


def export(**lists: str) -> bytes:
    """A ZIP with these lists (best_of=... is lists/best-of.csv) beside a ratings.csv."""
    files = {f"lists/{slug.replace('_', '-')}.csv": text for slug, text in lists.items()}
    return letterboxd_zip(extra=files, ratings=[])


def films_on(film_list: FilmList) -> list[tuple[str, str]]:
    entries = film_list.entries.order_by("position").select_related("movie")
    return [(entry.movie.title, entry.note) for entry in entries]


def test_a_list_is_created_with_its_films_in_order_and_their_notes(user, films):
    summary = letterboxd_import(user=user, data=export(best_of_2023=BEST_OF_2023))

    film_list = FilmList.objects.get(user=user)
    assert (film_list.name, film_list.description) == ("Best of 2023", "My favourites, in order")
    assert films_on(film_list) == [
        ("Past Lives", "the note for this film"),
        ("Anatomy of a Fall", ""),
        ("Aftersun", "a note\non two lines"),
    ]
    assert list(film_list.entries.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
    ]
    assert (summary.lists_created, summary.list_entries_added) == (1, 3)
    assert "1 list created" in summary.lines()
    assert "3 films added to lists" in summary.lines()


def test_positions_order_a_ranked_list_and_the_file_an_unranked_one(user, films):
    ranked = BEST_OF_2023.replace("1,Past Lives", "3,Past Lives").replace(
        "3,Aftersun", "1,Aftersun"
    )

    letterboxd_import(user=user, data=export(ranked=ranked, comfort=COMFORT))

    titles = {
        film_list.name: [title for title, _ in films_on(film_list)]
        for film_list in FilmList.objects.filter(user=user)
    }
    assert titles == {
        "Best of 2023": ["Aftersun", "Anatomy of a Fall", "Past Lives"],
        "comfort rewatches": ["Aftersun", "Past Lives"],
    }


def test_a_film_not_found_is_reported_with_file_and_line_and_counted_once(user, films):
    text = BEST_OF_2023 + "4,Stalker,1979,https://boxd.it/s,\n"
    data = letterboxd_zip(
        extra={"lists/best-of-2023.csv": text},
        ratings=[rating("2024-01-01", "Stalker", 1979, "4")],
    )

    summary = letterboxd_import(user=user, data=data)

    assert summary.not_found == [
        "ratings.csv:2: “Stalker” (1979): not found",
        "lists/best-of-2023.csv:10: “Stalker” (1979): not found",
    ]
    assert "1 film not found" in summary.lines()
    assert summary.list_entries_added == 3


def test_a_second_import_changes_nothing_and_says_so(user, films):
    data = export(best_of_2023=BEST_OF_2023, comfort=COMFORT)
    letterboxd_import(user=user, data=data)
    before = list(FilmList.objects.values_list("pk", "updated_at"))
    entries = list(FilmListEntry.objects.values_list("pk", "position", "note"))

    summary = letterboxd_import(user=user, data=data)

    assert not summary.changed
    assert summary.unchanged_said("file") == (
        "Nothing changed: everything in the file was there already."
    )
    assert (summary.lists_unchanged, summary.list_entries_there) == (2, 5)
    assert summary.lines() == ["2 lists unchanged", "5 films on their list already"]
    assert list(FilmList.objects.values_list("pk", "updated_at")) == before
    assert list(FilmListEntry.objects.values_list("pk", "position", "note")) == entries


def test_a_list_of_the_name_in_another_case_gets_only_the_new_films(user, films):
    mine = FilmListFactory(user=user, name="BEST OF 2023", description="Mine")
    FilmListEntryFactory(film_list=mine, movie=MovieFactory(title="Rye Lane"), position=1)
    FilmListEntryFactory(film_list=mine, movie=films["anatomy"], position=2, note="my words")

    summary = letterboxd_import(user=user, data=export(best_of_2023=BEST_OF_2023))

    assert FilmList.objects.get(user=user) == mine
    mine.refresh_from_db()
    assert (mine.name, mine.description) == ("BEST OF 2023", "Mine")
    assert films_on(mine) == [
        ("Rye Lane", ""),
        ("Anatomy of a Fall", "my words"),
        ("Past Lives", "the note for this film"),
        ("Aftersun", "a note\non two lines"),
    ]
    assert (summary.lists_created, summary.lists_added_to) == (0, 1)
    assert (summary.list_entries_added, summary.list_entries_there) == (2, 1)
    assert "1 list you had given films" in summary.lines()


@pytest.mark.parametrize(("mine", "theirs"), [("istanbul", "İstanbul"), ("οδοσ", "ΟΔΟΣ")])
def test_a_name_the_database_folds_unlike_python_finds_the_list_it_means(user, films, mine, theirs):
    """Python lowers "İ" to two characters and "Σ" at a word's end to "ς"; PostgreSQL
    lowers them to "i" and "σ". Matched by Python's, the file's list was taken for a new
    one, which the UNIQUE on Lower(name) then refused: a 500, and the whole import lost.
    The database decides now (on SQLite, whose lower() of config/unicode_case.py leaves
    "İ" alone, since Python lowers it to two characters, "istanbul" and "İstanbul" are
    two lists, as its UNIQUE allows)."""
    FilmListFactory(user=user, name=mine)
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(%s) = lower(%s)", [mine, theirs])
        one_list = bool(cursor.fetchone()[0])

    letterboxd_import(user=user, data=export(best=BEST_OF_2023.replace("Best of 2023", theirs)))

    names = sorted(FilmList.objects.filter(user=user).values_list("name", flat=True))
    assert names == ([mine] if one_list else sorted([mine, theirs]))
    target = FilmList.objects.get(user=user, name=mine if one_list else theirs)
    assert [title for title, _ in films_on(target)] == [
        "Past Lives",
        "Anatomy of a Fall",
        "Aftersun",
    ]


def test_two_files_of_one_name_in_any_case_fill_one_list(user, films):
    second = BEST_OF_2023.replace("Best of 2023", "Comfort Rewatches")

    summary = letterboxd_import(user=user, data=export(comfort=COMFORT, comfort_1=second))

    film_list = FilmList.objects.get(user=user)
    assert (film_list.name, film_list.description) == ("comfort rewatches", "")
    assert films_on(film_list) == [
        ("Aftersun", ""),
        ("Past Lives", ""),
        ("Anatomy of a Fall", ""),
    ]
    assert (summary.lists_created, summary.list_entries_added) == (1, 3)
    assert summary.list_entries_there == 2


def test_another_person_s_list_of_the_name_is_not_theirs(user, other_user, films):
    theirs = FilmListFactory(user=other_user, name="Best of 2023")

    letterboxd_import(user=user, data=export(best_of_2023=BEST_OF_2023))

    assert not theirs.entries.exists()
    assert FilmList.objects.get(user=user).entries.count() == 3


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Date,Name,Description\n", "1: not a Letterboxd list (“Letterboxd list export”)"),
        ("", "1: not a Letterboxd list (“Letterboxd list export”)"),
        (
            BEST_OF_2023.replace("Tags,URL,Description", "Tags,URL"),
            "2: no column Description",
        ),
        ("Letterboxd list export v7\nDate,Name,Description\n", "3: no list under its header"),
        (BEST_OF_2023.replace("Position,Name,Year", "Position,Title,Year"), "5: no column Name"),
        (BEST_OF_2023.replace("2023-01-05,Best", '2023-01-05,"Best'), "3: not CSV"),
        (BEST_OF_2023.replace("Best of 2023", "   "), f"3: {LIST_NAME_BLANK_MESSAGE}"),
        (BEST_OF_2023.replace("Best of 2023", "B" * 101), f"3: {LIST_NAME_TOO_LONG_MESSAGE}"),
        (
            BEST_OF_2023.replace("My favourites", "M" * 1001),
            "3: A list's description can be at most 1,000 characters long.",
        ),
    ],
    ids=[
        "no-format-line",
        "empty",
        "no-description",
        "no-list",
        "films-header",
        "not-csv",
        "blank-name",
        "long-name",
        "long-description",
    ],
)
def test_a_malformed_list_file_is_refused_with_its_line_and_nothing_of_it_written(
    user, films, text, said
):
    summary = letterboxd_import(user=user, data=export(best_of_2023=text, comfort=COMFORT))

    assert len(summary.rejected) == 1
    assert summary.rejected[0].startswith(f"lists/best-of-2023.csv:{said.removesuffix('.')}")
    assert summary.rejected[0].endswith(": the file was not read")
    assert ".:" not in summary.rejected[0], "a full stop before the colon"
    assert list(FilmList.objects.values_list("name", flat=True)) == ["comfort rewatches"]


def test_a_film_s_bad_line_is_refused_alone(user, films):
    text = (
        BEST_OF_2023
        + "4,Stalker,19x9,,\n"
        + "x,Aftersun,2022,,\n"
        + f"5,Anatomy of a Fall,2023,,{'n' * 501}\n"
    )

    summary = letterboxd_import(user=user, data=export(best_of_2023=text))

    assert summary.rejected == [
        "lists/best-of-2023.csv:10: Year '19x9' is not a year",
        "lists/best-of-2023.csv:11: Position 'x' is not a number",
        "lists/best-of-2023.csv:12: A note can be at most 500 characters long.",
    ]
    assert len(films_on(FilmList.objects.get())) == 3


def test_the_lists_are_written_with_the_rest_or_not_at_all(user, films, monkeypatch):
    written = []

    def failing(**_):
        written.append(FilmList.objects.exists())
        raise DatabaseError("the disk is full")

    # The last step, after the lists are written.
    monkeypatch.setattr("feedback.letterboxd_import.marquee_ratings_sync", failing)
    data = letterboxd_zip(
        extra={"lists/best-of-2023.csv": BEST_OF_2023},
        ratings=[rating("2024-01-01", "Past Lives", 2023, "4")],
    )

    with pytest.raises(DatabaseError):
        letterboxd_import(user=user, data=data)

    assert written == [True]
    assert not FilmList.objects.exists()
    assert not FilmListEntry.objects.exists()
    assert not UserFeedback.objects.exists()


def test_lists_in_the_folder_of_an_export_zipped_again_are_read(user, films):
    data = letterboxd_zip(
        extra={"letterboxd-me/lists/comfort.csv": COMFORT}, folder="letterboxd-me/", ratings=[]
    )

    letterboxd_import(user=user, data=data)

    assert FilmList.objects.get(user=user).name == "comfort rewatches"


def a_list(number: int, films: list) -> str:
    lines = [f"{at},{film.title},{film.year},,note {at}" for at, film in enumerate(films, 1)]
    return (
        f"Letterboxd list export v7\nDate,Name,Tags,URL,Description\n"
        f"2023-01-05,List {number},,,\n\nPosition,Name,Year,URL,Description\n" + "\n".join(lines)
    )


@pytest.mark.parametrize("size", [2, 20])
def test_the_queries_do_not_grow_with_the_lists_or_their_films(
    user, django_assert_num_queries, size
):
    movies = [MovieFactory(title=f"Film {n}", year=1990 + n % 20) for n in range(size * 2)]
    # Half the lists are the person's already, each with a film of the file's.
    for number in range(0, size, 2):
        mine = FilmListFactory(user=user, name=f"list {number}")
        FilmListEntryFactory(film_list=mine, movie=movies[number], position=1)
    lists = {f"list_{n}": a_list(n, movies[n : n + size]) for n in range(size)}

    with django_assert_num_queries(LIST_QUERIES):
        summary = letterboxd_import(user=user, data=export(**lists))

    assert (summary.lists_created, summary.lists_added_to) == (size // 2, size // 2)
    assert summary.list_entries_added == size * size - size // 2


# A savepoint and its release; the person locked, their zone; the films of the years
# named; the person's reviews, feedback, viewings and watchlist; the files' list names
# as the database lowers them; their lists, locked, and the films on those the files
# name; lists and entries inserted, the lists given films marked changed.
LIST_QUERIES = 15


def test_the_page_shows_what_the_lists_became(user_client, user, films):
    data = export(best_of_2023=BEST_OF_2023)
    upload = {"file": io.BytesIO(data)}
    upload["file"].name = "letterboxd.zip"

    html = user_client.post(reverse("letterboxd_import"), upload).content.decode()

    assert "<li>1 list created</li>" in html
    assert "<li>3 films added to lists</li>" in html
    assert FilmList.objects.get(user=user).entries.count() == 3


def test_the_command_imports_the_lists_and_says_so(tmp_path, films):
    alice = UserFactory(username="alice")
    path = tmp_path / "letterboxd-alice.zip"
    path.write_bytes(export(best_of_2023=BEST_OF_2023))
    out = io.StringIO()

    call_command("import_letterboxd", path, "--user", "alice", stdout=out, stderr=io.StringIO())

    assert len(films_on(FilmList.objects.get(user=alice))) == 3
    assert "1 list created" in out.getvalue().splitlines()
