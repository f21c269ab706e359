"""`manage.py import_trakt FILE [FILE ...] --user NAME`: Trakt's history, ratings and
watchlist, as NAME's, from JSON files or their ZIP."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from feedback.models import UserFeedback, ViewingHistory, WatchlistEntry
from tests.factories import MovieFactory, UserFactory
from tests.feedback.test_trakt_read import (
    STATS,
    episode_watched,
    json_file,
    listed,
    movie,
    rated,
    trakt_zip,
    watched,
)

pytestmark = pytest.mark.django_db

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)
HEAT = movie("Heat", 1995, imdb="tt0113277", tmdb=949)


@pytest.fixture
def exports(tmp_path):
    MovieFactory(title="Alien", year=1979, tmdb_id=348)
    MovieFactory(title="Heat", year=1995, tmdb_id=None, imdb_id="tt0113277")
    history, ratings, watchlist = (
        tmp_path / name for name in ("h.json", "r.json", "watchlist.json")
    )
    history.write_bytes(json_file(watched(ALIEN), episode_watched()))
    ratings.write_bytes(json_file(rated(ALIEN, 8), rated(movie("Stalker", 1979, tmdb=1398), 10)))
    watchlist.write_bytes(json_file(listed(HEAT)))
    return history, ratings, watchlist


def zipped(tmp_path, exports) -> Path:
    """The files in a ZIP, in its folder, as Trakt's export packs them, with its stats."""
    files = {f"trakt/{path.name}": path.read_bytes() for path in exports}
    path = tmp_path / "trakt.zip"
    path.write_bytes(trakt_zip({**files, "trakt/stats.json": json.dumps(STATS).encode()}))
    return path


@pytest.mark.parametrize("packed", [False, True], ids=["files", "zip"])
def test_imports_every_file_into_the_account_named_in_any_case(tmp_path, exports, packed):
    alice = UserFactory(username="alice")
    out, err = io.StringIO(), io.StringIO()
    given = [zipped(tmp_path, exports)] if packed else exports

    call_command("import_trakt", *given, "--user", "ALICE", stdout=out, stderr=err)

    assert ViewingHistory.objects.get(user=alice).media.movie.title == "Alien"
    assert UserFeedback.objects.get(user=alice).rating == 4
    assert WatchlistEntry.objects.get(user=alice).movie.title == "Heat"
    said = out.getvalue().splitlines()
    assert "1 viewing added" in said
    assert "1 rating set" in said
    assert "1 item was a show or episode, not a film" in said
    skipped = "1 file skipped, not history, ratings or watchlist: stats.json"
    assert (skipped in said) is packed
    assert err.getvalue() == "r.json, item 2: “Stalker” (1979): not found\n"


def test_a_second_run_says_nothing_changed(exports):
    UserFactory(username="alice")
    call_command(
        "import_trakt", *exports, "--user", "alice", stdout=io.StringIO(), stderr=io.StringIO()
    )
    out = io.StringIO()

    call_command("import_trakt", *exports, "--user", "alice", stdout=out, stderr=io.StringIO())

    assert out.getvalue().splitlines()[0] == (
        "Nothing changed: everything in the files was there already."
    )
    assert ViewingHistory.objects.count() == UserFeedback.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-such-user", r"^No user called 'bob'\.$"),
        ("no-file", r"^Give one Trakt JSON file or more: history, ratings, watchlist\.$"),
        ("missing", r"^Cannot read missing.json: "),
        ("not-json", r"^notes.json is not JSON: it is not a Trakt history, ratings or watchlist"),
        ("not-an-array", r"^notes.json is not a JSON array of items: "),
        ("zip-beside-a-file", r"^trakt.zip is a ZIP, which is imported alone: "),
    ],
)
def test_bad_input_stops_on_one_line_and_writes_nothing(tmp_path, exports, case, message):
    UserFactory(username="alice")
    notes = tmp_path / "notes.json"
    notes.write_text('{"watched_at": 1}' if case == "not-an-array" else "Alien, 1979")
    arguments = {
        "no-such-user": [*exports, "--user", "bob"],
        "no-file": ["--user", "alice"],
        "missing": [tmp_path / "missing.json", "--user", "alice"],
        "not-json": [*exports, notes, "--user", "alice"],
        # Beside the others it would be skipped: alone, it is refused.
        "not-an-array": [notes, "--user", "alice"],
        "zip-beside-a-file": [*exports, zipped(tmp_path, exports), "--user", "alice"],
    }[case]

    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_trakt", *arguments, stdout=io.StringIO())

    assert "\n" not in str(refused.value)
    assert refused.value.returncode == 1
    assert not UserFeedback.objects.exists()
    assert not ViewingHistory.objects.exists()


def test_from_the_shell_a_refusal_exits_non_zero_on_one_line(tmp_path):
    # Checked before the database is opened, so the real command line can be run.
    for arguments in (["--user", "alice"], [tmp_path / "nope.json", "--user", "a"]):
        done = subprocess.run(
            [sys.executable, MANAGE, "import_trakt", *map(str, arguments)],
            # A data folder of the test's own: the checkout's holds its owner's database.
            env=os.environ | {"MARQUEE_DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            check=False,
        )

        assert done.returncode != 0
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert (
            done.stderr.strip()
            .splitlines()[-1]
            .startswith(("CommandError: ", "manage.py import_trakt: error: "))
        )
