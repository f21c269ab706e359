"""SIGTERM and Ctrl-C stop a backup command as an error does: the tool it runs is killed and
waited for, work files and transactions are undone on the way out, and the command ends
with one line saying so, not a traceback (nor, for SIGTERM, with nothing at all)."""

import contextlib
import signal
import threading
from collections.abc import Iterator

from backups.errors import BackupError

STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(BackupError):
    """The command was asked to stop (SIGTERM: a cron timeout, `systemctl stop`; Ctrl-C)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"Stopped by {signal.Signals(signum).name} before it finished")

    @property
    def exit_status(self) -> int:
        return 128 + self.signum  # the shell's status for a process ended by that signal


def stopped_by(error: BaseException) -> Stopped | None:
    """The Stopped at the root of `error`, which callers may have wrapped with context."""
    while error is not None:
        if isinstance(error, Stopped):
            return error
        error = error.__cause__ or error.__context__
    return None


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """Within, SIGTERM and SIGINT raise Stopped in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler: its owner's handling stands
        return

    def stop(signum, frame):
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOPPING_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
