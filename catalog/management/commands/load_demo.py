"""`manage.py load_demo [--file PATH] [--if-empty]`: load the demo data set, as often as
you like: each run syncs the demo rows back to the file.

The file is read and checked whole by `catalog.demo.reading`, then synced into the
database in one transaction by `catalog.demo.loading`; this command reads the JSON, turns
every failure into a one-line CommandError and prints a one-line summary.

`--if-empty` loads only into a catalog with no films: `make run` uses it, so that serving
again never undoes what someone changed in the demo films or the demo person's feedback.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError

from catalog.demo.loading import write_demo
from catalog.demo.reading import read_demo
from catalog.demo.records import InvalidDemoData
from catalog.models import Movie
from config.data_commands import DataCommand


class Command(DataCommand):
    help = "Load the demo data set (films, reviews, ratings, media and a demo user)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "demo.json",
            help="The demo data file (default: fixtures/demo.json).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a catalog with no films; otherwise say so and change nothing.",
        )

    def handle(self, *args, file, if_empty=False, **options):
        file = Path(file)  # call_command() passes options through without `type`.
        if if_empty and (films := films_in_catalog()):
            self.stdout.write(
                f"Demo data not loaded: the catalog already has {films} "
                f"film{'' if films == 1 else 's'} (--if-empty)."
            )
            return
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Demo data file not found: {file}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None

        try:
            demo = read_demo(data)
            written = write_demo(demo)
        except InvalidDemoData as exc:
            raise CommandError(f"{file}: {exc}") from None
        except DatabaseError as exc:
            # A clash with rows already in the database (another movie with this IMDb id,
            # say) or a database that is not migrated: say so on one line.
            raise CommandError(f"Could not load {file}: {first_line(exc)}") from None

        summary = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in demo.counts())
        this_run = f"{written.created} created, {written.updated} updated on this run"
        self.stdout.write(f"Demo data: {summary} ({this_run})")


def films_in_catalog() -> int:
    try:
        return Movie.objects.count()
    except DatabaseError as exc:  # a database that is not migrated, say
        raise CommandError(f"Could not count the films in the catalog: {first_line(exc)}") from None


def first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
