"""SIGTERM and Ctrl-C stop a backup command as an error does: the tool it runs is killed and
waited for, work files and transactions are undone on the way out, and the command ends
with one line saying so, not a traceback (nor, for SIGTERM, with nothing at all)."""

import contextlib
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

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


class StopSignals:
    """What stopping_on_signals saw: the first stopping signal that came, if any."""

    signum: int | None = None

    def stopped(self) -> Stopped | None:
        """The Stopped a signal raised, for an error that does not carry it: raised inside
        a callback SQLite runs (the case-insensitive indexes' UPPER, during an integrity
        check), it comes back as SQLite's own "user-defined function raised exception"
        and the file checked was said to be unreadable."""
        return None if self.signum is None else Stopped(self.signum)


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[StopSignals]:
    """Within, SIGTERM and SIGINT raise Stopped in the main thread; what came is kept."""
    signals = StopSignals()
    if threading.current_thread() is not threading.main_thread():
        yield signals  # only the main thread may set a handler: its owner's handling stands
        return

    def stop(signum, frame):
        if signals.signum is None:
            signals.signum = signum
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOPPING_SIGNALS}
    try:
        yield signals
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


@contextlib.contextmanager
def stopping_signals_held() -> Iterator[None]:
    """Within, SIGTERM and SIGINT wait; one that came meanwhile is acted on as the block ends.

    For starting a tool: a preexec_fn has Python run its at-fork callbacks (logging's, for
    one) in this process, and an exception a signal handler raises inside one is printed
    and dropped, so the command, told to stop, went on to the tool's end. The child starts
    with them held too: its preexec_fn lets them go (see postgres_tools.die_with_parent).
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING_SIGNALS)
    try:
        yield
    finally:
        # pthread_sigmask runs the handler of a signal it lets through, here, in our code.
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def stopping_signals_deferred() -> Iterator[None]:
    """Within, a SIGTERM or SIGINT is noted, not acted on; as the block ends, the handlers
    it had come back and each signal that came is raised again, to them.

    For a few statements that must not be cut in two (a batch's commit and its count).
    Not a mask: the kernel gives a signal sent to the process to any thread not holding it
    (tqdm's monitor thread, for one), and Python then runs the main thread's handler at
    its next line whatever the main thread holds. A handler that only notes it is safe
    whichever thread took it. Python runs handlers in the main thread only: in another
    (an import run by a web request) there is nothing to defer.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: came.append(signum))
                for signum in STOPPING_SIGNALS}  # fmt: skip
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(came):
            signal.raise_signal(signum)


def background_pool() -> ThreadPoolExecutor:
    """A pool of one worker thread that leaves SIGTERM and SIGINT to the main thread.

    Python runs signal handlers in the main thread, but the kernel gives a signal sent to
    the process to any thread not holding it. Taken by a worker while the main thread holds
    it (stopping_signals_held), it would have the handler run at the main thread's next
    line of Python: in an at-fork callback, where the exception is dropped.
    """
    return ThreadPoolExecutor(
        max_workers=1,
        initializer=signal.pthread_sigmask,
        initargs=(signal.SIG_BLOCK, STOPPING_SIGNALS),
    )
