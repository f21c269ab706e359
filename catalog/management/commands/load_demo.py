"""`manage.py load_demo [--file PATH]`: load the demo data set, as often as you like.

The file is read and checked whole by `catalog.demo.reading`, then synced into the
database in one transaction by `catalog.demo.loading`; this command reads the JSON, turns
every failure into a one-line CommandError and prints a one-line summary.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from catalog.demo.loading import write_demo
from catalog.demo.reading import read_demo
from catalog.demo.records import InvalidDemoData


class Command(BaseCommand):
    help = "Load the demo data set (films, reviews, ratings, media and a demo user)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "demo.json",
            help="The demo data file (default: fixtures/demo.json).",
        )

    def handle(self, *args, file, **options):
        file = Path(file)  # call_command() passes options through without `type`.
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
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"Could not load {file}: {reason}") from None

        summary = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in demo.counts())
        this_run = f"{written.created} created, {written.updated} updated on this run"
        self.stdout.write(f"Demo data: {summary} ({this_run})")
