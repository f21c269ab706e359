"""export_user and import_user_export name the account as log-in does: in any case.

The database keeps usernames unique in any case (feedback migration 0011), so at most one
account matches; none, and the command stops on one line saying why.
"""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from feedback.exports import export_json
from feedback.models import UserFeedback
from tests.factories import UserFactory, UserFeedbackFactory

pytestmark = pytest.mark.django_db


def exported_username(name: str) -> str:
    out = io.StringIO()
    call_command("export_user", name, stdout=out)
    return json.loads(out.getvalue())["username"]


def an_export_file(tmp_path, owner) -> str:
    UserFeedbackFactory(user=owner)
    path = tmp_path / "export.json"
    path.write_bytes(export_json(owner))
    UserFeedback.objects.filter(user=owner).delete()
    return str(path)


@pytest.mark.parametrize("typed", ["alice", "ALICE", "Alice"])
def test_export_user_finds_the_one_account_in_any_case(typed):
    UserFactory(username="alice")
    assert exported_username(typed) == "alice"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("bob", r"^No user called 'bob'\.$"),
        ("al\x00ice", r"^No username holds a NUL character"),
    ],
)
def test_export_user_stops_on_one_line_when_the_name_is_not_one_account(typed, message):
    UserFactory(username="alice")
    with pytest.raises(CommandError, match=message) as refused:
        call_command("export_user", typed, stdout=io.StringIO())
    assert "\n" not in str(refused.value)


def test_import_user_export_brings_the_rows_to_the_one_account_in_any_case(tmp_path):
    alice = UserFactory(username="alice")
    path = an_export_file(tmp_path, alice)

    call_command(
        "import_user_export", path, "--user", "ALICE", "--create-user", stdout=io.StringIO()
    )

    assert UserFeedback.objects.filter(user=alice).count() == 1
    assert get_user_model().objects.count() == 1  # no "ALICE" was created beside her


def test_import_user_export_still_creates_an_account_no_one_has_in_any_case(tmp_path):
    path = an_export_file(tmp_path, UserFactory(username="alice"))

    with pytest.raises(CommandError, match=r"^No user called 'bob' \(add --create-user"):
        call_command("import_user_export", path, "--user", "bob", stdout=io.StringIO())
    call_command("import_user_export", path, "--user", "bob", "--create-user", stdout=io.StringIO())

    assert UserFeedback.objects.get().user.username == "bob"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", r"This field cannot be blank\."),
        ("a" * 200, r"Ensure this value has at most 150 characters \(it has 200\)\."),
        ("bad name!", r"Enter a valid username\. This value may contain only letters, .*"),
    ],
)
def test_import_user_export_refuses_to_create_an_account_sign_up_would_refuse(
    tmp_path, typed, reason
):
    """createsuperuser's and sign-up's checks: a traceback before (an empty name, one too
    long for PostgreSQL), or an account no one could have made (that move_to_postgres
    would not move, on SQLite)."""
    path = an_export_file(tmp_path, UserFactory(username="alice"))
    out = io.StringIO()

    message = f"^{re.escape(f'Cannot create the account {typed!r}: ')}{reason}$"
    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_user_export", path, "--user", typed, "--create-user", stdout=out)

    assert "\n" not in str(refused.value)
    assert out.getvalue() == ""
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["alice"]
    assert not UserFeedback.objects.exists()


def test_import_user_export_creates_an_account_of_the_longest_name_allowed(tmp_path):
    path = an_export_file(tmp_path, UserFactory(username="alice"))

    call_command(
        "import_user_export", path, "--user", "b" * 150, "--create-user", stdout=io.StringIO()
    )

    assert UserFeedback.objects.get().user.username == "b" * 150


def test_import_user_export_takes_a_name_as_log_in_normalizes_it(tmp_path):
    """Log-in reads "ＡＬＩＣＥ" (full-width letters) as "ALICE", and so finds alice: so
    does the command, rather than create an account the database refuses as hers."""
    alice = UserFactory(username="alice")
    path = an_export_file(tmp_path, alice)

    call_command(
        "import_user_export", path, "--user", "ＡＬＩＣＥ", "--create-user", stdout=io.StringIO()
    )

    assert UserFeedback.objects.get().user == alice
    assert get_user_model().objects.count() == 1
