"""`manage.py import_letterboxd ZIP --user NAME`: a Letterboxd export, as NAME's."""

import io

import pytest
from django.core.management import CommandError, call_command

from feedback.models import UserFeedback, ViewingHistory
from tests.factories import MovieFactory, UserFactory
from tests.feedback.letterboxd_zips import diary, letterboxd_zip, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path):
    MovieFactory(title="Alien", year=1979)
    path = tmp_path / "letterboxd-alice.zip"
    path.write_bytes(
        letterboxd_zip(
            diary=[diary("2024-01-01", "Alien", 1979, "4")],
            ratings=[rating("2024-01-02", "Stalker", 1979, "5")],
        )
    )
    return path


def test_imports_into_the_account_named_in_any_case(export):
    alice = UserFactory(username="alice")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_letterboxd", export, "--user", "ALICE", stdout=out, stderr=err)

    assert ViewingHistory.objects.get(user=alice).media.movie.title == "Alien"
    assert UserFeedback.objects.get(user=alice).rating == 4
    assert "1 viewing added" in out.getvalue().splitlines()
    assert err.getvalue() == "ratings.csv:2: “Stalker” (1979): not found\n"


def test_a_second_run_says_nothing_changed(export):
    UserFactory(username="alice")
    call_command("import_letterboxd", export, "--user", "alice", stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_letterboxd", export, "--user", "alice", stdout=out)

    first = out.getvalue().splitlines()[0]
    assert first == "Nothing changed: everything in the file was there already."
    assert ViewingHistory.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        letterboxd_zip(ratings=[rating("2024-01-02", "Stalker", 1979, "5")]),
        letterboxd_zip(diary=[]),
    ],
    ids=["films-marquee-lacks", "header-only"],
)
def test_a_file_that_holds_nothing_to_import_says_so_not_that_it_was_there(tmp_path, data):
    UserFactory(username="alice")
    path = tmp_path / "letterboxd-alice.zip"
    path.write_bytes(data)
    out = io.StringIO()

    call_command("import_letterboxd", path, "--user", "alice", stdout=out, stderr=io.StringIO())

    assert out.getvalue().splitlines()[0] == "Nothing was imported."
    assert not UserFeedback.objects.exists()


@pytest.mark.parametrize(
    ("content", "user", "message"),
    [
        (None, "alice", r"^No user called 'bob'\.$"),
        (b"not a zip", "alice", r"^notes.txt: This file is not a ZIP: .*\.$"),
        ("missing", "alice", r"^Cannot read missing.zip: "),
    ],
    ids=["no-such-user", "not-a-zip", "no-such-file"],
)
def test_bad_input_stops_on_one_line_and_writes_nothing(tmp_path, export, content, user, message):
    UserFactory(username="alice")
    path = export
    if isinstance(content, bytes):
        path = tmp_path / "notes.txt"
        path.write_bytes(content)
    elif content == "missing":
        path = tmp_path / "missing.zip"
    name = "bob" if content is None else user

    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_letterboxd", path, "--user", name, stdout=io.StringIO())

    assert "\n" not in str(refused.value)
    assert not ViewingHistory.objects.exists()
