"""A backup command's error is one line: Marquee's own reason whole (its end says what was
changed), what a tool or the system said squeezed to 400 characters."""

from backups.errors import BackupError, one_line, reason


def test_marquee_s_own_reason_is_one_line_and_never_cut():
    # A PostgreSQL restore's refusal, naming tables and migrations, ran past 400 characters
    # and lost "nothing was changed".
    message = "The backup predates tables the database has:\n" + "axes_accessattempt, " * 40
    error = BackupError(message + "nothing was changed.")

    assert reason(error) == str(error) == one_line(message + "nothing was changed.", limit=None)
    assert str(error).endswith("nothing was changed.")


def test_what_a_tool_said_is_squeezed_and_cut():
    error = OSError("pg_restore: error:\n" + "x" * 1000)

    assert len(reason(error)) == 400
    assert reason(error).startswith("pg_restore: error: xxx")
    assert reason(error).endswith("…")
