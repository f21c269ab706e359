"""The page opened several times at once (restored tabs, link prefetching) by someone with
no current slate: the loads settle on one slate, rather than each logging its own."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from recommendations.models import RecommendationLog
from recommendations.services import current_slate_id
from tests.at_once import at_once
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LOADS = 6


def test_loads_at_once_log_one_slate(user):
    films = [film(f"Film {n}", ["Drama", "Comedy", "Western"][n % 3]) for n in range(9)]
    fans("fans", 4, *films[:6])
    learn()
    feedback(user, films[0], rating=5)
    if connection.vendor == "sqlite":
        # No row locks there: IMMEDIATE transactions (settings) take the write lock at
        # BEGIN, so the second load waits for the first's slate and reads it. The
        # in-memory test database cannot show a second writer waiting (it is refused at
        # once, where a database file waits its turn): see the test below.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    answers = []

    errors = at_once(*[lambda: answers.append(current_slate_id(user))] * LOADS)

    assert errors == []
    logged = set(RecommendationLog.objects.filter(user=user).values_list("slate_id", flat=True))
    assert len(logged) == 1
    assert answers == [*logged] * LOADS


def test_page_loads_at_once_on_a_sqlite_file_log_one_slate(tmp_path):
    """The pages themselves, on the database a SQLite install has: a file, in WAL mode,
    with IMMEDIATE transactions (settings). Two processes: migrate, then the loads. On
    SQLite whatever database the other tests use."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env = clean | {
        "MARQUEE_DATA_DIR": str(tmp_path),
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
    }
    for command in (
        ["manage.py", "migrate", "-v", "0"],
        ["-m", "tests.recommendations.loads_at_once"],
    ):
        result = subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stderr

    with sqlite3.connect(tmp_path / "marquee.sqlite3") as database:
        (slates,) = database.execute(
            "SELECT COUNT(DISTINCT slate_id) FROM recommendations_recommendationlog"
        ).fetchone()
    assert slates == 1
