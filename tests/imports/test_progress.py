"""The progress bar: drawn on a terminal, never in logs or pipes, and alive through long steps."""

import io
import json
import re
import threading
import time

import pytest
from django.db import connection

from catalog.importers.reading import progress_bar, ticking
from tests.imports.conftest import DATA, Terminal, write_movielens

pytestmark = pytest.mark.django_db


def redraws(stream: io.StringIO) -> int:
    return stream.getvalue().count("\r")


def progress_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("progress of")]


def test_a_movielens_import_draws_a_bar_for_each_file_on_a_terminal(run_on_terminal, tmp_path):
    # In MovieLens' plain form, so that PostgreSQL takes its bulk path.
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama", "2,Beta (2002),Comedy", "x,Gamma (2003),Drama"],
        ratings=["1,1,4.0,1000000000", "1,999,3.0,1000000000", "2,2,5.0,1000000000"],
        tags=["1,1,moody,1000000000", "1,2,funny,1000000000"],
    )
    out, err = run_on_terminal("import_movielens", directory)

    for name, lines in (("movies.csv", 3), ("ratings.csv", 3), ("tags.csv", 2)):
        assert f"{name}: 100%|##########| {lines}/{lines} " in err, name
    # A rejection clears the bar's line, takes it, and the bar is drawn again below.
    assert "\rratings.csv:3: unknown movieId 999\n\rratings.csv:" in err
    assert "ratings: 2 created" in out  # the summary goes to stdout, bars or not
    if connection.vendor == "postgresql":
        # The bulk path names the steps that follow the file's last line.
        # Steps of SQL: the clock runs on, with no rate (the read's would stand still).
        assert re.search(r"\| 3/3 \[\d\d:\d\d, checking\]", err)
        assert re.search(r"\| 3/3 \[\d\d:\d\d, writing\]", err)


def test_a_bar_ends_at_the_end_of_its_file_whatever_its_lines_held(run_on_terminal, tmp_path):
    # Lines the reader itself refuses (too many columns, blank) and a last line without
    # its newline: the bar counts lines of the file, not rows imported.
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama", "2,Beta,(2002),Comedy", "", "3,Gamma (2003),Drama"],
        ratings=["1,1,4.0,1000000000", "1,3,3.0,1000000000,extra", "", "2,3,5.0,1000000000"],
    )
    ratings = directory / "ratings.csv"
    ratings.write_bytes(ratings.read_bytes().rstrip(b"\n"))

    out, err = run_on_terminal("import_movielens", directory)

    assert "movies.csv: 100%|##########| 4/4 " in err
    assert "ratings.csv: 100%|##########| 4/4 " in err
    assert "ratings: 2 created, 0 updated, 0 skipped, 1 rejected" in out


def test_json_imports_draw_a_bar_to_the_end_of_the_file(run_on_terminal):
    lines = (DATA / "tweets.jsonl").read_text(encoding="utf-8").splitlines()
    _, err = run_on_terminal("import_tweets", DATA / "tweets.jsonl")

    assert f"tweets.jsonl: 100%|##########| {len(lines)}/{len(lines)} " in err


def test_a_pretty_printed_json_document_fills_its_bar(run_on_terminal, tmp_path):
    path = tmp_path / "movie.json"
    path.write_text(
        json.dumps({"id": 348, "title": "Alien", "release_date": "1979-05-25"}, indent=2)
    )

    _, err = run_on_terminal("import_tmdb", path)

    assert "movie.json: 100%|##########| 5/5 " in err


def test_no_progress_draws_nothing_even_on_a_terminal(run_on_terminal):
    out, err = run_on_terminal("import_movielens", DATA / "movielens", no_progress=True)

    assert "%|" not in err
    assert "ratings:" in out


def test_a_bar_with_nothing_to_count_is_redrawn_until_the_step_ends():
    stream = Terminal()
    with progress_bar(stream, total=10, description="ratings.csv") as bar:
        bar.update(10)
        before = redraws(stream)
        with ticking(bar, every=0.01):
            deadline = time.monotonic() + 10
            while redraws(stream) < before + 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert redraws(stream) >= before + 3
        after = redraws(stream)
        assert not progress_threads()
        time.sleep(0.05)
        assert redraws(stream) == after


def test_a_bar_that_draws_nothing_starts_no_thread():
    bar = progress_bar(io.StringIO(), total=10, description="ratings.csv")
    with bar, ticking(bar, every=0.01):
        assert not progress_threads()
