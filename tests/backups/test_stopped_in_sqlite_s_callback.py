"""A Ctrl-C or SIGTERM that comes while SQLite checks a file, inside a function SQLite calls
back (the UPPER of the case-insensitive indexes, config/unicode_case.py), stops the
command as one that comes a moment later does: "Stopped by SIGINT", status 130.

SQLite turns an exception raised in its callback into its own "user-defined function
raised exception", and verify_backup and dbrestore -I said the backup "is not a readable
SQLite database": an operator told so may throw a good backup away."""

import shutil
import textwrap

import pytest

from tests.backups.conftest import written_backup

# The command, with UPPER sending the signal from inside SQLite's call to it, once.
COMMAND = textwrap.dedent(
    """
    import os, signal, sys
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import CommandError, call_command
    import config.unicode_case as unicode_case

    upper = unicode_case.upper
    def upper_with_a_signal(value, sent=[]):
        if not sent:
            sent.append(os.kill(os.getpid(), getattr(signal, sys.argv[1])))
        return upper(value)
    unicode_case.upper = upper_with_a_signal

    try:
        call_command(*sys.argv[2:])
    except CommandError as error:
        print(error.returncode)
        print(error)
    else:
        print("ran to the end")
    """
)


@pytest.mark.parametrize("signum", [("SIGINT", 130), ("SIGTERM", 143)], ids=["SIGINT", "SIGTERM"])
# A file given by its path, not as a backup Marquee recorded: checked whole before use.
@pytest.mark.parametrize("command", [["verify_backup"], ["dbrestore", "--noinput", "-I"]])
def test_a_signal_inside_sqlite_s_check_is_a_stop_not_a_bad_file(
    sqlite_site, tmp_path, signum, command
):
    site = sqlite_site
    backup = tmp_path / "copied-elsewhere.sqlite3"
    shutil.copyfile(site.backups / written_backup(site.manage("dbbackup").stdout), backup)
    before = site.snapshot()

    result = site.run("-c", COMMAND, signum[0], *command, str(backup))

    said = result.stdout.splitlines()
    assert said[:2] == [str(signum[1]), f"Stopped by {signum[0]} before it finished"], (
        result.stdout + result.stderr
    )
    assert site.snapshot() == before
