import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.importers import movielens_bulk

DATA = Path(__file__).parent / "data"

# Tests of the PostgreSQL-only paths are collected in the PostgreSQL session only.
collect_ignore_glob = [] if connection.vendor == "postgresql" else ["test_postgres_*.py"]


@pytest.fixture
def row_by_row(monkeypatch):
    """MovieLens ratings through the row-by-row path, on PostgreSQL too.

    There it is the path of files not in MovieLens' plain form; the bulk path steps aside
    for them exactly so.
    """
    monkeypatch.setattr(movielens_bulk, "load_ratings", lambda *args: False)


@pytest.fixture
def run_import():
    """Run an import command; (stdout, stderr). The progress bar is off: no terminal."""

    def run(command: str, path, **options) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command(command, str(path), stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    return run


class Terminal(io.StringIO):
    """What the command's stderr is when an operator runs it by hand: bars are drawn."""

    def isatty(self):
        return True


@pytest.fixture
def run_on_terminal():
    """Run an import command with stderr on a terminal; (stdout, stderr with the bars)."""

    def run(command: str, path, **options) -> tuple[str, str]:
        out, err = io.StringIO(), Terminal()
        call_command(command, str(path), stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    return run


def write_movielens(directory: Path, **files: list[str]) -> Path:
    """A MovieLens directory from lines per file: write_movielens(d, movies=[...], ...)."""
    directory.mkdir(parents=True, exist_ok=True)
    headers = {
        "movies": "movieId,title,genres",
        "links": "movieId,imdbId,tmdbId",
        "ratings": "userId,movieId,rating,timestamp",
        "tags": "userId,movieId,tag,timestamp",
    }
    for name, lines in files.items():
        text = "\n".join([headers[name], *lines]) + "\n"
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def small_movielens(tmp_path):
    """Three films and ten clean ratings: batches of four make three batches."""
    ratings = [
        f"{user},{movie},{(user + movie) % 10 / 2 + 0.5},{1_000_000_000 + user * 10 + movie}"
        for user in (1, 2, 3, 4)
        for movie in (1, 2, 3)
    ][:10]
    return write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama", "2,Beta (2002),Comedy", "3,Gamma (2003),Horror"],
        links=["1,0000001,101", "2,0000002,102", "3,0000003,103"],
        ratings=ratings,
    )
