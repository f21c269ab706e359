"""What the commands that bring a person's history from elsewhere share (import_letterboxd,
import_imdb, import_trakt): the account they write to, the files they read, and how they
report, the counts on standard output and the rows left out on standard error."""

from pathlib import Path

from django.core.management.base import CommandError

from feedback.management.accounts import account_named_in_any_case


def account_to_import_into(username: str):
    account = account_named_in_any_case(username)
    if account is None:
        raise CommandError(f"No user called {username!r}.")
    return account


def file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path.name}: {exc.strerror}.") from None


def summary_written(command, summary, *, given: str) -> None:
    """The summary's counts to standard output, after a line saying nothing changed when
    nothing did (of the `given` "file" or "files"); then the films not found or not told
    apart and the rows rejected to standard error, one a line."""
    if not summary.changed:
        command.stdout.write(summary.unchanged_said(given))
    for line in summary.lines():
        command.stdout.write(line)
    for line in (*summary.not_found, *summary.ambiguous, *summary.rejected):
        command.stderr.write(line)
