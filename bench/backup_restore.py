"""Back up and restore a database of a million ratings, against the engine's own tool.

    DJANGO_DEBUG=1 .venv/bin/python bench/backup_restore.py [--rows 1000000] [--runs 5]
        [--engines sqlite,postgresql] [--server postgres://postgres@127.0.0.1:5432/]

For each engine, in one run: builds a migrated Marquee database holding `--rows` ratings
(PostgreSQL databases are named marquee_bench_*, and dropped afterwards), then times,
alternating, the median of `--runs`:

- backup:  Marquee's `database_backup()` (what `manage.py dbbackup` runs) against
           sqlite3's online backup API / `pg_dump --format=custom`;
- restore: Marquee's `database_restore()` (what `manage.py dbrestore` runs: checksum, the
           engine's checks, a safety backup, the restore) against the backup API into the
           live file / `pg_restore --clean --if-exists --single-transaction`;
- and the parts of Marquee's restore, to show where the time goes; on PostgreSQL, also
  the least any pg_dump of the database takes: the server's COPY of every table, the
  rows thrown away as they arrive.

Marquee's side is timed in-process, like the engine's: the one-second start-up of
`manage.py` is left out of both. Every timing starts after `sync`, so that no run pays
for writing back an earlier run's files.
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MOVIES = 10_000


def timed(action) -> float:
    # Each timing starts with nothing left to write back: otherwise the gigabyte of
    # earlier runs' files, still being flushed, slows whichever run comes next.
    os.sync()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def rating_rows(count: int):
    moment = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for index in range(count):
        # (rater, movie) pairs are unique: one rating per rater and film, as the constraint asks.
        yield (
            "movielens",
            "external",
            f"ml-{index // 100}",
            0.5 + (index % 10) / 2,
            0.5,
            5.0,
            moment + dt.timedelta(seconds=index),
            index % MOVIES + 1,
        )


RATING_COLUMNS = (
    "source, rater_kind, external_rater_id, value, scale_min, scale_max, rated_at, movie_id"
)


def manage(env: dict, *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, timeout=3600
    )


def fill_sqlite(path: Path, rows: int) -> None:
    now = dt.datetime.now(dt.UTC).isoformat(" ")
    with contextlib.closing(sqlite3.connect(path)) as database:
        database.executemany(
            "INSERT INTO catalog_movie (id, title, original_title, overview, popularity,"
            " created_at, updated_at) VALUES (?, ?, '', '', 0, ?, ?)",
            ((n, f"Film {n}", now, now) for n in range(1, MOVIES + 1)),
        )
        database.executemany(
            f"INSERT INTO catalog_rating ({RATING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row[:6] + (row[6].isoformat(" "), row[7]) for row in rating_rows(rows)),
        )
        database.commit()
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fill_postgres(url: str, rows: int) -> None:
    import psycopg

    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(url) as database, database.cursor() as cursor:
        with cursor.copy(
            "COPY catalog_movie (id, title, original_title, overview, popularity, created_at,"
            " updated_at) FROM STDIN"
        ) as copy:
            for n in range(1, MOVIES + 1):
                copy.write_row((n, f"Film {n}", "", "", 0, now, now))
        with cursor.copy(f"COPY catalog_rating ({RATING_COLUMNS}) FROM STDIN") as copy:
            for row in rating_rows(rows):
                copy.write_row(row)
        cursor.execute("SELECT setval(pg_get_serial_sequence('catalog_movie', 'id'), %s)", [MOVIES])
        cursor.execute("SELECT setval(pg_get_serial_sequence('catalog_rating', 'id'), %s)", [rows])
    with psycopg.connect(url, autocommit=True) as database:
        database.execute("VACUUM ANALYZE")


def measure(engine: str, rows: int, runs: int) -> dict:
    """Runs inside a process whose DATABASE_URL points at the prepared database."""
    import django

    django.setup()
    from django.db import connections

    from backups.postgres_tools import connection_arguments
    from backups.services import database_backup, database_restore
    from backups.storage import backup_storage

    connector_settings = connections["default"].settings_dict
    storage = backup_storage()
    work = Path(os.environ["MARQUEE_BACKUP_DIR"]).parent
    engine_copy = work / "engine-copy"
    times: dict[str, list[float]] = {
        "engine backup": [],
        "marquee backup": [],
        "engine restore": [],
        "marquee restore": [],
    }
    names = []

    def engine_backup():
        if engine == "sqlite":
            with (
                contextlib.closing(sqlite3.connect(connector_settings["NAME"])) as live,
                contextlib.closing(sqlite3.connect(engine_copy)) as copy,
            ):
                live.backup(copy)
        else:
            dbname, env = connection_arguments(connector_settings)
            subprocess.run(
                ["pg_dump", *dbname, "--format=custom", f"--file={engine_copy}"],
                env={**os.environ, **env},
                check=True,
            )

    def engine_restore():
        if engine == "sqlite":
            with (
                contextlib.closing(sqlite3.connect(engine_copy)) as copy,
                contextlib.closing(sqlite3.connect(connector_settings["NAME"])) as live,
            ):
                copy.backup(live)
        else:
            dbname, env = connection_arguments(connector_settings)
            subprocess.run(
                ["pg_restore", *dbname, "--clean", "--if-exists", "--single-transaction",
                 str(engine_copy)],
                env={**os.environ, **env},
                check=True,
            )  # fmt: skip

    for _ in range(runs):
        engine_copy.unlink(missing_ok=True)
        times["engine backup"].append(timed(engine_backup))
        times["marquee backup"].append(timed(lambda: names.append(database_backup())))
    size = storage.size(names[-1])
    for _ in range(runs):
        times["engine restore"].append(timed(engine_restore))
        times["marquee restore"].append(timed(lambda: database_restore(name=names[-1])))
        connections.close_all()
    parts = restore_parts(names[-1])
    medians = {label: statistics.median(values) for label, values in times.items()}
    return {
        "engine": engine,
        "rows": rows,
        "runs": runs,
        "backup bytes": size,
        "median seconds": medians,
        "all seconds": times,
        "marquee restore parts": parts,
    }


def restore_parts(name: str) -> dict[str, float]:
    """The steps of database_restore(), timed one by one."""
    from django.db import connections

    from backups.files import work_directory
    from backups.services import database_backup, database_connector
    from backups.storage import backup_fetch, backup_storage

    connector = database_connector("default")
    parts = {}
    with work_directory() as workdir:
        started = time.perf_counter()
        backup = backup_fetch(workdir, storage=backup_storage(), name=name)
        # In a restore the checksum is computed while the pages are copied.
        parts["checksum (during the copy)"] = time.perf_counter() - started
        parts["engine checks"] = timed(
            lambda: connector.check_file(
                backup.path, label=name, thorough=not backup.checked_when_written
            )
        )
        # On SQLite a restore copies it while it copies pages: this is its cost taken alone.
        parts["safety backup, taken alone"] = timed(lambda: database_backup(safety=True))
        if connector.vendor == "postgresql":
            # What any pg_dump must at least do: have the server write out every row.
            parts["(every table read out by COPY, thrown away)"] = timed(copy_out_everything)
        connections.close_all()
        parts["restore itself"] = timed(lambda: connector.restore_from_path(backup.path))
    return parts


def copy_out_everything() -> None:
    """Every table's rows, as pg_dump reads them (COPY ... TO STDOUT), thrown away."""
    from django.db import connection
    from psycopg import sql

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            statement = sql.SQL("COPY {} TO STDOUT").format(sql.Identifier(table))
            with cursor.copy(statement) as copy:
                for _ in copy:
                    pass
    connection.close()


def run_engine(engine: str, rows: int, runs: int, server: str) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"marquee-bench-{engine}-"))
    name = f"marquee_bench_{secrets.token_hex(4)}"
    url = (
        f"sqlite:///{work / 'bench.sqlite3'}"
        if engine == "sqlite"
        else server.rstrip("/").rsplit("/", 1)[0] + f"/{name}"
    )
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": url,
        "MARQUEE_BACKUP_DIR": str(work / "backups"),
        "MARQUEE_DATA_DIR": str(work / "data"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if engine == "postgresql":
        subprocess.run(["createdb", "--maintenance-db", server, name], check=True)
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        started = time.perf_counter()
        if engine == "sqlite":
            fill_sqlite(work / "bench.sqlite3", rows)
        else:
            fill_postgres(url, rows)
        print(f"{engine}: {rows} ratings written in {time.perf_counter() - started:.1f} s")
        result = subprocess.run(
            [sys.executable, __file__, "--measure", engine, "--rows", str(rows), "--runs",
             str(runs)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=7200,
        )  # fmt: skip
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        if engine == "postgresql":
            subprocess.run(
                ["dropdb", "--maintenance-db", server, "--force", "--if-exists", name], check=True
            )
        shutil.rmtree(work, ignore_errors=True)


def markdown(results: list[dict]) -> str:
    lines = [
        "| engine | operation | engine's own tool (s) | Marquee (s) | ratio |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for result in results:
        medians = result["median seconds"]
        for operation in ("backup", "restore"):
            mine, theirs = medians[f"marquee {operation}"], medians[f"engine {operation}"]
            lines.append(
                f"| {result['engine']} | {operation} | {theirs:.2f} | {mine:.2f} |"
                f" {mine / theirs:.2f} |"
            )
    lines += ["", "| engine | part of Marquee's restore | seconds |", "| --- | --- | ---: |"]
    for result in results:
        for part, seconds in result["marquee restore parts"].items():
            lines.append(f"| {result['engine']} | {part} | {seconds:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if options.measure:
        print(json.dumps(measure(options.measure, options.rows, options.runs)))
        return
    results = [
        run_engine(engine, options.rows, options.runs, options.server)
        for engine in options.engines.split(",")
    ]
    print(json.dumps(results, indent=2))
    print(markdown(results))


if __name__ == "__main__":
    main()
