"""`manage.py import_imdb --ratings FILE --watchlist FILE --user NAME`: IMDb's exports,
as NAME's."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from feedback.models import UserFeedback, WatchlistEntry
from tests.factories import MovieFactory, UserFactory
from tests.feedback.imdb_csvs import listed, rated, ratings_csv, watchlist_csv

pytestmark = pytest.mark.django_db

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


@pytest.fixture
def exports(tmp_path):
    MovieFactory(title="Alien", year=1979, imdb_id="tt0078748")
    MovieFactory(title="Heat", year=1995, imdb_id="tt0113277")
    ratings, watchlist = tmp_path / "ratings.csv", tmp_path / "WATCHLIST.csv"
    ratings.write_bytes(
        ratings_csv(
            rated("tt0078748", "Alien", 1979, 8),
            rated("tt0079944", "Stalker", 1979, 10),
        )
    )
    watchlist.write_bytes(watchlist_csv(listed("tt0113277", "Heat", 1995)))
    return ratings, watchlist


def test_imports_both_files_into_the_account_named_in_any_case(exports):
    alice = UserFactory(username="alice")
    ratings, watchlist = exports
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_imdb", "--ratings", ratings, "--watchlist", watchlist, "--user", "ALICE",
        stdout=out, stderr=err,
    )  # fmt: skip

    assert UserFeedback.objects.get(user=alice).rating == 4
    assert WatchlistEntry.objects.get(user=alice).movie.title == "Heat"
    assert "1 rating set" in out.getvalue().splitlines()
    assert err.getvalue() == "ratings.csv:3: “Stalker” (1979): not found\n"


def test_one_file_is_enough(exports):
    alice = UserFactory(username="alice")

    call_command("import_imdb", "--watchlist", exports[1], "--user", "alice", stdout=io.StringIO())

    assert WatchlistEntry.objects.filter(user=alice).count() == 1
    assert not UserFeedback.objects.exists()


def test_a_second_run_says_nothing_changed(exports):
    UserFactory(username="alice")
    arguments = ["--ratings", exports[0], "--watchlist", exports[1], "--user", "alice"]
    call_command("import_imdb", *arguments, stdout=io.StringIO())
    out = io.StringIO()

    call_command("import_imdb", *arguments, stdout=out)

    first = out.getvalue().splitlines()[0]
    assert first == "Nothing changed: everything in the files was there already."
    assert UserFeedback.objects.count() == WatchlistEntry.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [ratings_csv(rated("tt0079944", "Stalker", 1979, 10)), ratings_csv()],
    ids=["films-marquee-lacks", "header-only"],
)
def test_files_that_hold_nothing_to_import_say_so_not_that_it_was_there(tmp_path, data):
    UserFactory(username="alice")
    path = tmp_path / "ratings.csv"
    path.write_bytes(data)
    out = io.StringIO()

    call_command(
        "import_imdb", "--ratings", path, "--user", "alice", stdout=out, stderr=io.StringIO()
    )

    assert out.getvalue().splitlines()[0] == "Nothing was imported."
    assert not UserFeedback.objects.exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-such-user", r"^No user called 'bob'\.$"),
        ("no-file", r"^Give --ratings FILE, --watchlist FILE or both\.$"),
        ("missing", r"^Cannot read missing.csv: "),
        ("not-imdb", r"^notes.csv is not an IMDb ratings or watchlist export: "),
        ("empty", r"^notes.csv is empty: it is not an IMDb ratings or watchlist export\.$"),
        ("two-ratings", r"^Both files are IMDb ratings exports: "),
    ],
)
def test_bad_input_stops_on_one_line_and_writes_nothing(tmp_path, exports, case, message):
    UserFactory(username="alice")
    ratings, watchlist = exports
    notes = tmp_path / "notes.csv"
    notes.write_text("Date,Name\n2024-01-01,Alien\n" if case == "not-imdb" else "")
    arguments = {
        "no-such-user": ["--ratings", ratings, "--user", "bob"],
        "no-file": ["--user", "alice"],
        "missing": ["--ratings", tmp_path / "missing.csv", "--user", "alice"],
        "not-imdb": ["--ratings", ratings, "--watchlist", notes, "--user", "alice"],
        "empty": ["--ratings", ratings, "--watchlist", notes, "--user", "alice"],
        "two-ratings": ["--ratings", ratings, "--watchlist", ratings, "--user", "alice"],
    }[case]

    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_imdb", *arguments, stdout=io.StringIO())

    assert "\n" not in str(refused.value)
    assert refused.value.returncode == 1
    assert not UserFeedback.objects.exists()
    assert not WatchlistEntry.objects.exists()


def test_from_the_shell_a_refusal_exits_non_zero_on_one_line(tmp_path):
    # Checked before the database is opened, so the real command line can be run.
    for arguments in (["--user", "alice"], ["--ratings", tmp_path / "nope.csv", "--user", "a"]):
        done = subprocess.run(
            [sys.executable, MANAGE, "import_imdb", *map(str, arguments)],
            # A data folder of the test's own: the checkout's holds its owner's database.
            env=os.environ | {"MARQUEE_DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            check=False,
        )

        assert done.returncode == 1
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1
        assert done.stderr.startswith("CommandError: ")
