"""Real Marquee installations on real files, for the backup tests.

A restore is only proven on a real database file (trap 6: pytest-django's in-memory
SQLite database cannot be restored into; Marquee's test database is a file now, but the
one every test shares), so these tests run the real `manage.py` commands in a subprocess
against a `Site`: its own database (a SQLite file, or a PostgreSQL database
named marquee_backups_*), backup folder and media folder. A filled database is built once
per session and copied for each test.

SQLite tests run in every session. PostgreSQL needs a server, so the PostgreSQL variants
run in the PostgreSQL session (`make test-postgres`), on the same server as the session's
database; there, both engines are tested.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
ENGINES = ["sqlite", "postgresql"] if ON_POSTGRES else ["sqlite"]

# Tests of the PostgreSQL target of move_to_postgres exist only where a server does.
collect_ignore_glob = [] if ON_POSTGRES else ["test_postgres_*.py"]


def postgres_url(name: str) -> str:
    server = settings.DATABASES["default"]
    user = quote(server.get("USER") or "")
    password = f":{quote(server['PASSWORD'])}" if server.get("PASSWORD") else ""
    host = server.get("HOST") or "localhost"
    port = f":{server['PORT']}" if server.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


def postgres_server():
    server = settings.DATABASES["default"]
    params = {
        key: server[setting]
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if server.get(setting)
    }
    if server.get("PASSWORD"):
        params["password"] = server["PASSWORD"]
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def postgres_create(name: str, *, template: str | None = None) -> None:
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with postgres_server() as server:
        server.execute(statement)


def postgres_drop(name: str) -> None:
    with postgres_server() as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def postgres_databases(prefix: str) -> list[str]:
    with postgres_server() as server:
        rows = server.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]
        ).fetchall()
    return [row[0] for row in rows]


@dataclass
class Site:
    """One Marquee installation: a database, a backup folder and a media folder."""

    root: Path
    engine: str
    database_url: str

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def sqlite_path(self) -> Path:
        return self.root / "live.sqlite3"

    def env(self, **extra) -> dict[str, str]:
        """The site's environment; `extra` adds to it, and a value of None unsets one."""
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "MARQUEE_", "DATABASE_URL"))
        }
        merged = (
            inherited
            | {
                "DJANGO_DEBUG": "1",
                "DATABASE_URL": self.database_url,
                "MARQUEE_BACKUP_DIR": str(self.backups),
                "MARQUEE_MEDIA_DIR": str(self.media),
                "MARQUEE_DATA_DIR": str(self.root / "data"),
            }
            | extra
        )
        return {key: value for key, value in merged.items() if value is not None}

    def run(self, *arguments, fails=False, env=None, cwd=ROOT) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *arguments],
            cwd=cwd,
            stdin=subprocess.DEVNULL,  # no terminal, as under cron
            env=self.env(**(env or {})),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if fails and result.returncode == 0:
            pytest.fail(f"{arguments} succeeded but should have failed:\n{result.stdout}")
        if not fails and result.returncode != 0:
            pytest.fail(f"{arguments} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def manage(self, *arguments, fails=False, env=None, cwd=ROOT) -> subprocess.CompletedProcess:
        return self.run(str(ROOT / "manage.py"), *arguments, fails=fails, env=env, cwd=cwd)

    def world(self, *actions: str) -> str:
        return self.run("-m", "tests.backups.world", *actions).stdout

    def snapshot(self) -> dict:
        return json.loads(self.world("snapshot"))

    def mutate(self) -> dict:
        """Change and delete rows (world.mutate), then return the new snapshot."""
        return json.loads(self.world("mutate", "snapshot"))

    def backup_names(self) -> list[str]:
        return sorted(
            path.name
            for path in self.backups.iterdir()
            if not path.name.endswith(".metadata") and not path.name.startswith(".")
        )


def new_site(root: Path, engine: str, name: str) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        return Site(root, engine, f"sqlite:///{root / 'live.sqlite3'}")
    return Site(root, engine, postgres_url(name))


@pytest.fixture(scope="session")
def filled_sites(tmp_path_factory):
    """A migrated, filled database per engine, built once and copied for each test."""
    templates = {}
    for engine in ENGINES:
        name = f"marquee_backups_template_{secrets.token_hex(4)}"
        if engine == "postgresql":
            postgres_create(name)
        site = new_site(tmp_path_factory.mktemp(f"template-{engine}"), engine, name)
        site.manage("migrate", "--no-input", "-v", "0")
        site.world("fill")
        templates[engine] = (site, name)
    yield templates
    for site, name in templates.values():
        if site.engine == "postgresql":
            postgres_drop(name)


@pytest.fixture(params=ENGINES)
def site(request, filled_sites, tmp_path):
    """A fresh copy of the filled database, with empty backup and media folders."""
    template, template_name = filled_sites[request.param]
    name = f"marquee_backups_{secrets.token_hex(4)}"
    live = new_site(tmp_path / "site", request.param, name)
    if live.engine == "sqlite":
        shutil.copyfile(template.sqlite_path, live.sqlite_path)
    else:
        postgres_create(name, template=template_name)
    yield live
    if live.engine == "postgresql":
        postgres_drop(name)


@pytest.fixture
def sqlite_site(filled_sites, tmp_path):
    """The SQLite installation alone, for what only SQLite can get wrong."""
    template, _ = filled_sites["sqlite"]
    live = new_site(tmp_path / "site", "sqlite", "")
    shutil.copyfile(template.sqlite_path, live.sqlite_path)
    return live


@pytest.fixture
def backup_storage_dir(settings, tmp_path):
    """The `dbbackup` storage in a temporary folder, for commands run in this process."""
    folder = tmp_path / "backups"
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


@pytest.fixture
def empty_site(site, tmp_path):
    """A second installation of the same engine with an empty database (no file at all for
    SQLite, a database without tables for PostgreSQL)."""
    name = f"marquee_backups_{secrets.token_hex(4)}"
    empty = new_site(tmp_path / "empty", site.engine, name)
    if empty.engine == "postgresql":
        postgres_create(name)
    yield empty
    if empty.engine == "postgresql":
        postgres_drop(name)


def written_backup(stdout: str) -> str:
    """The file name a `dbbackup` run printed."""
    line = next(line for line in stdout.splitlines() if line.startswith("Backed up"))
    return line.split(" to ", 1)[1].rsplit(" (", 1)[0]


def backup_suffix(name: str) -> str:
    return next(suffix for suffix in (".sqlite3", ".psql.bin") if suffix in name) + (
        ".gz" if name.endswith(".gz") else ""
    )
