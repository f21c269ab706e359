"""Production mode refuses to start half-configured, and passes Django's deploy checks."""

import os
import stat
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


REFUSALS = [
    ({}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be set"),
    # Long enough, and still what `check --deploy` calls insecure (security.W009).
    ({"DJANGO_SECRET_KEY": "a" * 60}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": "django-insecure-" + REAL_KEY}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": REAL_KEY}, "DJANGO_ALLOWED_HOSTS must list"),
]


def assert_one_line_refusal(result, reason):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Marquee cannot start: {reason}")


@pytest.mark.parametrize(("env", "reason"), REFUSALS)
def test_runserver_refuses_to_start_without_production_settings(env, reason, tmp_path):
    result = manage("runserver", "127.0.0.1:0", "--noreload", MARQUEE_DATA_DIR=str(tmp_path), **env)
    assert_one_line_refusal(result, reason)


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
@pytest.mark.parametrize(("env", "reason"), REFUSALS)
def test_wsgi_and_asgi_refuse_to_load_without_production_settings(
    entry_point, env, reason, tmp_path
):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", f"import {entry_point}"],
        cwd=ROOT,
        env=clean | env | {"MARQUEE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_one_line_refusal(result, reason)


def test_the_application_loads_with_production_settings(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi, config.asgi"],
        cwd=ROOT,
        env=clean
        | {
            "DJANGO_SECRET_KEY": REAL_KEY,
            "DJANGO_ALLOWED_HOSTS": "marquee.example.com",
            "MARQUEE_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_management_commands_run_in_production_mode_and_deploy_check_flags_the_key(tmp_path):
    """Commands sign nothing for a browser, so they run; the deploy check still objects."""
    assert (
        manage("makemigrations", "--check", "--dry-run", MARQUEE_DATA_DIR=str(tmp_path)).returncode
        == 0
    )
    deploy = manage("check", "--deploy", MARQUEE_DATA_DIR=str(tmp_path))
    assert "security.W009" in deploy.stderr + deploy.stdout


def test_production_mode_passes_the_deploy_checks(tmp_path):
    production = {
        "DJANGO_SECRET_KEY": REAL_KEY,
        "DJANGO_ALLOWED_HOSTS": "marquee.example.com",
        "MARQUEE_DATA_DIR": str(tmp_path / "data"),
        # Collected first, as README says: without it every page is a 500, and a check says so.
        "MARQUEE_STATIC_DIR": str(tmp_path / "static"),
    }
    assert manage("collectstatic", "--no-input", **production).returncode == 0
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production)
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


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../etc/passwd"])
def test_a_time_zone_that_does_not_exist_is_a_one_line_refusal(zone, tmp_path):
    result = manage(
        "check", DJANGO_DEBUG="1", DJANGO_TIME_ZONE=zone, MARQUEE_DATA_DIR=str(tmp_path)
    )

    assert_one_line_refusal(
        result, f"DJANGO_TIME_ZONE must be a time zone name such as Europe/Paris, not {zone!r}."
    )


def test_a_time_zone_by_name_is_taken(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TIME_ZONE)",
        DJANGO_DEBUG="1",
        DJANGO_TIME_ZONE="America/New_York",
        MARQUEE_DATA_DIR=str(tmp_path),
    )

    assert result.stdout.strip().splitlines()[-1] == "America/New_York", result.stderr


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_database_url_means_the_default_sqlite_file(value, tmp_path):
    """DATABASE_URL= in a .env file, meaning "the default"."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        DJANGO_DEBUG="1",
        DATABASE_URL=value,
        MARQUEE_DATA_DIR=str(tmp_path),
    )

    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "marquee.sqlite3"), (
        result.stderr
    )


EXAMPLE = "e.g. postgres://user:password@host:5432/marquee"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "nonsense",
            f"DATABASE_URL must start with sqlite:// or postgres:// ({EXAMPLE}), "
            "and the value set has no scheme.",
        ),
        (
            "mysql://marquee:secret@db.example.com/marquee",
            f"DATABASE_URL must start with sqlite:// or postgres:// ({EXAMPLE}), not mysql://.",
        ),
        (
            "postgres://marquee@db.example.com:port/marquee",
            "DATABASE_URL is not a valid URL: check the port, and percent-encode any @ : / "
            "in the user name or password.",
        ),
    ],
)
def test_a_database_url_marquee_cannot_use_is_a_one_line_refusal(url, reason, tmp_path):
    result = manage("check", DJANGO_DEBUG="1", DATABASE_URL=url, MARQUEE_DATA_DIR=str(tmp_path))

    assert_one_line_refusal(result, reason)
    assert "secret" not in result.stderr


def test_a_data_folder_that_cannot_be_created_is_a_one_line_refusal(tmp_path):
    in_a_file = tmp_path / "a-file" / "data"
    (tmp_path / "a-file").write_text("")

    result = manage("check", DJANGO_DEBUG="1", DATABASE_URL="", MARQUEE_DATA_DIR=str(in_a_file))

    assert_one_line_refusal(
        result, f"MARQUEE_DATA_DIR must name a folder Marquee can create: {in_a_file} ("
    )


def test_the_data_folder_marquee_creates_is_its_owners_alone(tmp_path):
    """The SQLite database in it holds password hashes and everyone's history."""
    data = tmp_path / "new" / "data"

    result = manage(
        "migrate", "-v", "0", DJANGO_DEBUG="1", DATABASE_URL="", MARQUEE_DATA_DIR=str(data)
    )

    assert result.returncode == 0, result.stderr
    assert (data / "marquee.sqlite3").exists()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def assert_one_line_connection_failure(result, database):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Marquee cannot connect to its database {database}: ")


def test_a_sqlite_file_that_cannot_be_opened_is_a_one_line_error(tmp_path):
    database = tmp_path / "no-such-folder" / "marquee.sqlite3"

    result = manage(
        "migrate",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        MARQUEE_DATA_DIR=str(tmp_path),
    )

    assert_one_line_connection_failure(result, database)
    assert result.stderr.strip().endswith("unable to open database file")


def test_a_query_that_fails_on_a_reachable_database_keeps_its_traceback(tmp_path):
    """Only an unreachable database is the operator's to fix; a missing table is a bug or
    a migration not run, and whoever looks into it needs the traceback."""
    result = manage(
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('SELECT * FROM nowhere')",
        DJANGO_DEBUG="1",
        DATABASE_URL="",
        MARQUEE_DATA_DIR=str(tmp_path),
    )

    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "no such table: nowhere" in result.stderr


def test_a_log_level_logging_does_not_know_is_a_one_line_refusal(tmp_path):
    result = manage(
        "check", DJANGO_DEBUG="1", DJANGO_LOG_LEVEL="loud", MARQUEE_DATA_DIR=str(tmp_path)
    )

    assert_one_line_refusal(
        result, "DJANGO_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'loud'."
    )


def test_a_log_level_is_read_in_any_case(tmp_path):
    result = manage(
        "shell",
        "-c",
        "import logging; print(logging.getLevelName(logging.getLogger().level))",
        DJANGO_DEBUG="1",
        DJANGO_LOG_LEVEL="info",
        MARQUEE_DATA_DIR=str(tmp_path),
    )

    assert result.stdout.strip().splitlines()[-1] == "INFO", result.stderr


@pytest.mark.parametrize(
    ("given", "sender"), [("films@example.org", "films@example.org"), ("", "marquee@localhost")]
)
def test_every_mail_goes_from_the_one_sender(tmp_path, given, sender):
    # Password resets used Django's webmaster@localhost whatever DJANGO_SERVER_EMAIL said.
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SERVER_EMAIL, s.DEFAULT_FROM_EMAIL)",
        DJANGO_DEBUG="1",
        DJANGO_SERVER_EMAIL=given,
        MARQUEE_DATA_DIR=str(tmp_path),
    )

    assert result.stdout.split()[-2:] == [sender, sender], result.stderr


def test_the_log_in_lockout_is_read_from_the_environment(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.MARQUEE_PROXY_COUNT)",
        DJANGO_DEBUG="1",
        MARQUEE_LOGIN_FAILURE_LIMIT="3",
        MARQUEE_LOGIN_LOCKOUT_MINUTES="60",
        MARQUEE_PROXY_COUNT="2",
        MARQUEE_DATA_DIR=str(tmp_path),
    )

    assert result.stdout.split()[-3:] == ["3", "3600.0", "2"], result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        (
            "MARQUEE_LOGIN_FAILURE_LIMIT",
            "0",
            "MARQUEE_LOGIN_FAILURE_LIMIT must be at least 1, not 0.",
        ),
        ("MARQUEE_LOGIN_LOCKOUT_MINUTES", "0", "MARQUEE_LOGIN_LOCKOUT_MINUTES must be at least 1"),
        ("MARQUEE_PROXY_COUNT", "yes", "MARQUEE_PROXY_COUNT must be a whole number, not 'yes'."),
    ],
)
def test_a_lockout_that_would_not_protect_is_a_one_line_refusal(variable, value, reason, tmp_path):
    result = manage("check", DJANGO_DEBUG="1", MARQUEE_DATA_DIR=str(tmp_path), **{variable: value})

    assert_one_line_refusal(result, reason)


MAILING = {"DJANGO_DEBUG": "1", "DJANGO_SMTP_HOST": "mail.example.com"}
PRODUCTION = {"DJANGO_SECRET_KEY": REAL_KEY, "DJANGO_ALLOWED_HOSTS": "marquee.example.com"}


@pytest.mark.parametrize(
    ("variable", "value", "env"),
    [
        ("DJANGO_SMTP_TLS", "ture", MAILING),
        ("DJANGO_SMTP_TLS", "enable", MAILING),
        ("DJANGO_SECURE_SSL_REDIRECT", "Y", PRODUCTION),
        ("DJANGO_DEBUG", "2", {}),
    ],
)
def test_a_yes_or_no_that_is_neither_is_a_one_line_refusal(variable, value, env, tmp_path):
    """It was read as off: DJANGO_SMTP_TLS=ture sent the mail log-in without TLS."""
    result = manage("check", MARQUEE_DATA_DIR=str(tmp_path), **env, **{variable: value})

    assert_one_line_refusal(result, f"{variable} must be 1 or 0 (on or off), not {value!r}.")


@pytest.mark.parametrize(
    ("value", "read"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True)]
    + [("0", False), ("false", False), ("NO", False), ("off", False), ("", False)],
)
def test_a_yes_or_no_is_read_in_any_of_its_spellings(value, read, tmp_path):
    shown = "from django.conf import settings; print(settings.MAILERS['default']['OPTIONS'])"
    env = MAILING | {"DJANGO_SMTP_TLS": value, "MARQUEE_DATA_DIR": str(tmp_path)}

    result = manage("shell", "-c", shown, **env)

    assert result.returncode == 0, result.stderr
    assert f"'use_tls': {read}" in result.stdout


@pytest.mark.parametrize(
    "hosts",
    ["https://marquee.example.com", "marquee.example.com/", "marquee.example.com example.org"],
)
def test_allowed_hosts_given_as_addresses_are_a_one_line_refusal(hosts, tmp_path):
    """Django reads "https://marquee.example.com" as a name no request has: every check
    passed, gunicorn started, and every page answered 400."""
    env = {"DJANGO_SECRET_KEY": REAL_KEY, "DJANGO_ALLOWED_HOSTS": hosts}

    result = manage("check", "--deploy", MARQUEE_DATA_DIR=str(tmp_path), **env)

    assert_one_line_refusal(result, "DJANGO_ALLOWED_HOSTS lists host names such as")
    assert repr(hosts.split(",")[0].strip()) in result.stderr
