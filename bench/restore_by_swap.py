"""What-if: a PostgreSQL restore into a new database, swapped in by renaming (not adopted).

    .venv/bin/python bench/restore_by_swap.py [--rows 1000000] [--runs 5]
        [--server postgres://postgres@127.0.0.1:5432/postgres]

Marquee restores in place (`pg_restore --clean --single-transaction`), after a safety
`pg_dump` that cannot overlap it: pg_restore drops the tables the dump reads. Restoring
into a new database instead lets the dump of the old one run at the same time, then both
are renamed in one transaction and the old one dropped. This times, alternating, the
median of `--runs` of:

- bare:    `pg_restore --clean --if-exists --single-transaction` (the engine's own tool);
- current: what `dbrestore` does: the safety dump (`--compress=1`), then the restore;
- swap:    the safety dump of the live database while `pg_restore` fills a new one, the
           renames, and the drop of the old one.

docs/benchmarks.md says why the swap is not what `dbrestore` does.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from backup_restore import ROOT, fill_postgres, manage, timed
from psycopg import sql

RESTORE = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres")
    options = parser.parse_args()
    name = f"marquee_bench_{secrets.token_hex(4)}"
    base = options.server.rstrip("/").rsplit("/", 1)[0]
    work = Path(tempfile.mkdtemp(prefix="marquee-bench-swap-"))
    dump, safety = work / "backup.dump", work / "safety.dump"

    def on_server(*statements: sql.Composed) -> None:
        """One statement outside any transaction (CREATE and DROP DATABASE need that), or
        several in one transaction, committed when the connection closes."""
        with psycopg.connect(options.server, autocommit=len(statements) == 1) as server:
            for statement in statements:
                server.execute(statement)

    def tool(*arguments: str, database: str = name) -> list[str]:
        return [*arguments, f"--dbname={base}/{database}"]

    def bare():
        subprocess.run(tool("pg_restore", "--clean", "--if-exists", "--single-transaction",
                            str(dump)), check=True)  # fmt: skip

    def current():
        subprocess.run(tool("pg_dump", "-Fc", "--compress=1", f"--file={safety}"), check=True)
        subprocess.run(tool("pg_restore", "--clean", "--if-exists", *RESTORE, str(dump)),
                       check=True)  # fmt: skip

    def swap():
        new, old = sql.Identifier(f"{name}_new"), sql.Identifier(f"{name}_old")
        live = sql.Identifier(name)
        on_server(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(new))
        dumping = subprocess.Popen(tool("pg_dump", "-Fc", "--compress=1", f"--file={safety}"))
        subprocess.run(tool("pg_restore", *RESTORE, str(dump), database=f"{name}_new"),
                       check=True)  # fmt: skip
        if dumping.wait() != 0:
            sys.exit("pg_dump failed")
        on_server(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(live, old),
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(new, live),
        )
        on_server(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(old))

    subprocess.run(["createdb", "--maintenance-db", options.server, name], check=True)
    try:
        env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"{base}/{name}",
               "DJANGO_SETTINGS_MODULE": "config.settings"}  # fmt: skip
        manage(env, "migrate", "--no-input", "-v", "0")
        fill_postgres(f"{base}/{name}", options.rows)
        subprocess.run(tool("pg_dump", "-Fc", f"--file={dump}"), check=True)
        times = {"bare": [], "current": [], "swap": []}
        for _ in range(options.runs):
            for label, action in (("bare", bare), ("current", current), ("swap", swap)):
                times[label].append(timed(action))
    finally:
        for database in (name, f"{name}_new", f"{name}_old"):
            subprocess.run(["dropdb", "--maintenance-db", options.server, "--force",
                            "--if-exists", database], check=True)  # fmt: skip
        for path in (dump, safety):
            path.unlink(missing_ok=True)
        work.rmdir()
    bare_median = statistics.median(times["bare"])
    print("| restore | median (s) | × bare | every run (s) |")
    print("| --- | ---: | ---: | --- |")
    for label, values in times.items():
        median = statistics.median(values)
        runs = ", ".join(f"{value:.2f}" for value in values)
        print(f"| {label} | {median:.2f} | {median / bare_median:.2f} | {runs} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
