"""A second import while one is running is refused before it reads a line.

Two at once each created the films neither had yet: twice the films, and every later
import refusing their titles as ambiguous.
"""

from http import HTTPStatus
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.db import connection
from django.urls import reverse

from catalog.importers.exclusive import (
    ADVISORY_LOCK_KEY,
    LOCK_FILE_SUFFIX,
    AnotherImportRunning,
    file_lock,
)
from catalog.models import Movie
from tests.imports.conftest import DATA

pytestmark = pytest.mark.django_db


def other_postgres_session():
    params = connection.get_connection_params()
    wanted = ("dbname", "host", "port", "user", "password")
    return psycopg.connect(autocommit=True, **{k: params[k] for k in wanted if params.get(k)})


@pytest.fixture
def lock_taken_elsewhere():
    """The import lock, held as another process's import would hold it."""
    if connection.vendor == "postgresql":
        with other_postgres_session() as other:
            other.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            yield
        return
    # The test database is a file (tests/conftest.py), its lock a file beside it.
    with file_lock(Path(f"{connection.settings_dict['NAME']}{LOCK_FILE_SUFFIX}")):
        yield


def test_an_import_while_another_runs_is_refused_and_writes_nothing(
    run_import, lock_taken_elsewhere
):
    with pytest.raises(CommandError, match=r"^another import is running on this database"):
        run_import("import_tmdb", DATA / "tmdb_movies.jsonl")

    assert not Movie.objects.exists()


def test_an_upload_while_an_import_runs_is_refused_on_the_page(staff_client, lock_taken_elsewhere):
    content = (DATA / "tmdb_single.json").read_bytes()
    upload = SimpleUploadedFile("fight.json", content)

    response = staff_client.post(
        reverse("admin:catalog_movie_import"), {"kind": "tmdb", "file": upload}
    )

    assert response.status_code == HTTPStatus.OK
    assert "Another import is running on this database" in response.text
    assert not Movie.objects.exists()


def test_an_import_lets_the_lock_go_when_it_ends(run_import):
    with pytest.raises(CommandError):
        run_import("import_tmdb", DATA / "nowhere.json")  # an import that fails
    run_import("import_tmdb", DATA / "tmdb_single.json")

    if connection.vendor == "postgresql":
        # A session may take its own lock again: only another session shows it was let go.
        with other_postgres_session() as other:
            taken = other.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            assert taken.fetchone()[0]
    assert Movie.objects.count() == 1


def test_the_file_lock_refuses_a_second_holder_and_is_free_after(tmp_path):
    path = tmp_path / "db.sqlite3-import.lock"
    with file_lock(path), pytest.raises(AnotherImportRunning), file_lock(path):
        pass
    with file_lock(path):
        pass
