"""The one exception of this app: a reason an operator can act on, in one line."""


class BackupError(Exception):
    """A backup or restore refused or failed; its message is the whole explanation."""

    def __str__(self):
        return one_line(super().__str__())


def one_line(text: str, *, limit: int = 400) -> str:
    """Tool output (pg_restore, sqlite) squeezed to one line, so that a command's error stays
    a single `CommandError:` line that cron mail and logs show whole."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def sentence(text: str) -> str:
    """`text` ended as a sentence, so that another can follow it: a library's or a tool's
    message often ends without a full stop."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."
