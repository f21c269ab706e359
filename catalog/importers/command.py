"""The base of the import commands: options, the report's output, errors on one line."""

import argparse
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError
from tqdm import tqdm

from catalog.importers.exclusive import AnotherImportRunning, only_import_running
from catalog.importers.report import ImportFormatError, ImportReport, StrictStop
from config.data_commands import DataCommand

# Rows per transaction, at most: five times the largest default, far more than a batch
# gains from (each batch is held in memory). A size past it was a typing slip, and
# one past 2⁶³ ended an import in OverflowError after its films were written.
MAX_BATCH_SIZE = 100_000


def checked_batch_size(given: str | int) -> int:
    """--batch-size's argparse type: a whole number from 1 to MAX_BATCH_SIZE.

    handle() asks it too, for the int of call_command(batch_size=...), which argparse
    never sees.
    """
    text = str(given).strip()
    digits = text.removeprefix("-")
    # The length test keeps int() from its own limit (thousands of digits), which raises.
    fits = digits.isascii() and digits.isdigit() and len(digits) <= len(str(MAX_BATCH_SIZE))
    if fits and 1 <= int(text) <= MAX_BATCH_SIZE:
        return int(text)
    shown = text if len(text) <= 40 else f"{text[:37]}..."
    raise argparse.ArgumentTypeError(f"{shown} is not a whole number from 1 to {MAX_BATCH_SIZE:,}")


class ImportCommand(DataCommand):
    path_help = "The file to import."
    default_batch_size = 20_000

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=self.path_help)
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Stop at the first rejected row (what was written before it stays imported).",
        )
        parser.add_argument(
            "--batch-size",
            type=checked_batch_size,
            default=self.default_batch_size,
            help=(
                f"Rows written per transaction, 1 to {MAX_BATCH_SIZE:,} "
                f"(default {self.default_batch_size:,}); "
                "on PostgreSQL, MovieLens ratings in plain form are written in one."
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Never draw the progress bar."
        )

    def run_import(self, path: Path, **options) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, path, strict, batch_size, no_progress, **options):
        try:
            batch_size = checked_batch_size(batch_size)
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"--batch-size: {exc}") from None
        # The bar goes to the real stderr (tqdm draws with carriage returns, which Django's
        # OutputWrapper would end with newlines); tqdm hides it when that is no terminal.
        progress = None if no_progress else getattr(self.stderr, "_out", self.stderr)
        report = ImportReport(strict=strict, on_reject=self.rejection_printer(progress))
        try:
            with only_import_running():
                self.run_import(Path(path), report=report, batch_size=batch_size, progress=progress)
            report.finished = True
        except (ImportFormatError, AnotherImportRunning) as exc:
            raise CommandError(str(exc)) from None
        except StrictStop as exc:
            self.write_summary(report)
            raise CommandError(
                f"{exc.rejection} (--strict: stopped here; what the summary above counts "
                "was imported, nothing else was)"
            ) from None
        except KeyboardInterrupt:
            self.write_summary(report)
            raise CommandError(
                "interrupted: what the summary above counts was imported, nothing else was; "
                "run the same command again to finish"
            ) from None
        except DatabaseError as exc:
            self.write_summary(report)
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"the database refused a batch: {reason}") from None
        self.write_summary(report)

    def rejection_printer(self, progress):
        """Each rejected row on stderr as it is met (above the bar, which tqdm redraws)."""
        if progress is None:
            return lambda rejection: self.stderr.write(str(rejection))
        return lambda rejection: tqdm.write(str(rejection), file=progress)

    def write_summary(self, report: ImportReport) -> None:
        for line in report.summary_lines():
            self.stdout.write(line)
