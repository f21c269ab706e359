"""A SIGTERM or Ctrl-C that comes while a tool (pg_dump, pg_restore) is being started stops
the command, as one that comes a moment later does.

A tool is started with a preexec_fn (die_with_parent), so Python runs its at-fork
callbacks (logging's, for one) in the command's process around the fork; an exception a
signal handler raised in one of them was printed and dropped, and the command, told to
stop, went on to the tool's end. verify_backup, sent SIGTERM as its scratch database
appeared, hung in 4 runs of 40 that way. Here the signal comes from inside such a
callback, so that every run meets the moment: with the command alone in its process, and
with a worker thread beside it (a restore's lock watchdog), which the kernel could give
the signal to while the main thread holds it."""

import subprocess
import sys
import textwrap

import pytest

from tests.backups.conftest import ROOT

# The command's side: a tool that would run for a minute, started under the handlers each
# command installs, with a signal sent to itself from the fork's callback in the parent.
COMMAND = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    import django
    django.setup()
    from backups.postgres_tools import run_tool
    from backups.stopping import Stopped, background_pool, stopping_on_signals

    signum = getattr(signal, sys.argv[1])
    if sys.argv[2] == "beside a worker thread":
        done = threading.Event()
        background_pool().submit(done.wait)

    def signalled_in_the_fork_s_callback():
        os.kill(os.getpid(), signum)
        # Still in the callback when a thread that took the signal has had it handled.
        time.sleep(0.2)

    os.register_at_fork(after_in_parent=signalled_in_the_fork_s_callback)
    started = time.monotonic()
    try:
        with stopping_on_signals():
            run_tool(["sleep", "60"])
    except Stopped as stopped:
        print(stopped)
        print(f"{time.monotonic() - started:.1f}")
    else:
        print("ran to the end")
    if sys.argv[2] == "beside a worker thread":
        done.set()
    """
)


@pytest.mark.parametrize("threads", ["alone", "beside a worker thread"])
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT"])
def test_a_signal_while_the_tool_starts_stops_the_command_and_the_tool(signum, threads):
    result = subprocess.run(
        [sys.executable, "-c", COMMAND, signum, threads],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    said = result.stdout.splitlines()
    assert said[0] == f"Stopped by {signum} before it finished", result.stdout
    assert float(said[1]) < 10  # the tool killed, not waited for (it would take 60 s)
    assert result.stderr == ""  # nothing printed and dropped
