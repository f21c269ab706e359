"""The one exception of this app: a reason an operator can act on, in one line."""


class BackupError(Exception):
    """A backup or restore refused or failed; its message is the whole explanation."""

    def __str__(self):
        # Never cut: Marquee wrote it, and its end says what was (not) changed. What a tool
        # said within it was cut where it was quoted.
        return one_line(super().__str__(), limit=None)


def one_line(text: str, *, limit: int | None = 400) -> str:
    """Tool output (pg_restore, sqlite) squeezed to one line, so that a command's error stays
    a single `CommandError:` line that cron mail and logs show whole."""
    line = " ".join(str(text).split())
    return line if limit is None or len(line) <= limit else line[: limit - 1] + "…"


def reason(error: BaseException) -> str:
    """An error as the one line to show: a BackupError's whole, anything else (an OSError,
    a database's error) squeezed by one_line."""
    return str(error) if isinstance(error, BackupError) else one_line(str(error))


def sentence(text: str) -> str:
    """`text` ended as a sentence, so that another can follow it: a library's or a tool's
    message often ends without a full stop."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."
