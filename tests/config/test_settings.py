"""Production mode refuses to start half-configured, and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k" * 20 + "-a-long-random-production-secret-key-0123456789"


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": REAL_KEY}, "DJANGO_ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_its_settings(env, reason, tmp_path):
    result = manage("check", MARQUEE_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Marquee cannot start: {reason}")


def test_production_mode_passes_the_deploy_checks(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=REAL_KEY,
        DJANGO_ALLOWED_HOSTS="marquee.example.com",
        MARQUEE_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_runs_without_configuration(tmp_path):
    result = manage("check", DJANGO_DEBUG="1", MARQUEE_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_the_database_connection_is_configured_for_its_engine(db, settings):
    """SQLite: WAL and foreign keys on. PostgreSQL: psycopg 3 with kept-alive connections."""
    from django.db import connection

    config = settings.DATABASES["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
            assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        else:
            assert connection.vendor == "postgresql"
            assert connection.Database.__name__ == "psycopg"
            assert config["CONN_MAX_AGE"] > 0
            assert config["CONN_HEALTH_CHECKS"] is True
