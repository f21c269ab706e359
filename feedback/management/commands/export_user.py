"""`manage.py export_user USER [--format json|csv] [--output FILE]`: one person's data.

The same export as the library page's download: JSON (to stdout unless --output) or
CSV (a .zip of one file per kind of row, feedback.exports.CSV_FILES, which --help and
the refusal below list from it; so --output is needed).
`manage.py import_user_export FILE --user NAME` brings it back in.
"""

import stat
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.text import get_text_list

from backups.files import written_into_place
from config.data_commands import DataCommand
from feedback.exports import CSV_FILES, export_csv_zip, export_json
from feedback.management.accounts import account_named_in_any_case

# Said from the files the zip is written from, so that the texts cannot miss one again.
CSV_FILES_LISTED = f"{len(CSV_FILES)} files ({get_text_list(list(CSV_FILES.values()), 'and')})"


class Command(DataCommand):
    help = (
        "Export one person's data, every kind of row Marquee keeps of them, as JSON or as "
        f"CSV: a .zip of {CSV_FILES_LISTED}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", type=Path, help="The file to write (JSON: stdout).")

    def handle(self, *args, username, format, output, **options):
        user = account_named_in_any_case(username)
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if format == "csv" and output is None:
            raise CommandError(
                f"A CSV export is a .zip of {CSV_FILES_LISTED}: give --output FILE.zip"
            )
        data = export_json(user) if format == "json" else export_csv_zip(user)
        if output is None:
            self.stdout.write(data.decode("utf-8"))
            return
        try:
            export_written(Path(output), data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from None
        self.stderr.write(f"Exported {user.get_username()} to {output}")


def export_written(path: Path, data: bytes) -> None:
    """A file is written under another name, then renamed over it: a full disk or a kill
    leaves the export written there before (last week's) whole, and no cut-off file.
    Anything else (/dev/stdout, a pipe, a link) is written to as it is: renamed over, it
    would be replaced by a file and no longer lead where it led."""
    try:
        special = not stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        special = False
    if special:
        path.write_bytes(data)
        return
    with written_into_place(path, mode=0o600, replace=True) as file:
        file.write(data)
