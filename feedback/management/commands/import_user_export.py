"""`manage.py import_user_export FILE --user NAME [--create-user]`: an export, back in.

FILE is what `export_user` or the library page's download gave: the .json or the .zip
of CSV files. The rows become NAME's; films and media items missing from this Marquee
are created. All or nothing, the account of --create-user included; importing the same
file again changes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from config.data_commands import DataCommand
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.management.accounts import account_named_in_any_case


class Command(DataCommand):
    help = "Import a Marquee export (JSON or CSV zip) as one person's data."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="Whose data it becomes.")
        parser.add_argument(
            "--create-user",
            action="store_true",
            help="Create the account (with no usable password) if it does not exist.",
        )

    def handle(self, *args, path, user, create_user, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        # As log-in's form reads what is typed: "ＡＬＩＣＥ" is "ALICE", and so alice; and
        # the name an account is created under is the one looked up.
        user = get_user_model().normalize_username(user)
        account = account_named_in_any_case(user)
        if account is None and not create_user:
            raise CommandError(f"No user called {user!r} (add --create-user to create one).")
        creating = account is None
        if creating:
            refuse_bad_username(user)
        try:
            rows = read_export(data)
            # One transaction: a bad row also takes back the account made for it.
            with transaction.atomic():
                if creating:
                    account = create_account(user)
                counts = user_export_import(user=account, rows=rows)
        except ExportFormatError as exc:
            raise CommandError(f"{Path(path).name}: {exc}") from None
        except IntegrityError:
            # The rows were checked against what the import read first; only a writer
            # that committed meanwhile (the same export imported into another account at
            # once, making the same new films) can break a UNIQUE now.
            raise CommandError(
                f"{Path(path).name}: a film or media item it names was added by someone "
                "else while it ran, so nothing was imported. Run it again: it will find "
                "them."
            ) from None
        if creating:
            self.stdout.write(f"Created the account {user} (set a password to log in).")
        for line in counts.lines():
            self.stdout.write(line)


def refuse_bad_username(username: str) -> None:
    """Stop on one line at a name sign-up and createsuperuser refuse: the username field's
    own rules (not blank, at most its length, its validator's characters). create_user
    checks none, so the database refused some names with a traceback, and SQLite took
    others that no form could make and move_to_postgres will not move. That no account
    has it in any case, account_named_in_any_case has already seen."""
    User = get_user_model()
    try:
        User._meta.get_field(User.USERNAME_FIELD).clean(username, None)
    except ValidationError as exc:
        raise CommandError(
            f"Cannot create the account {username!r}: {' '.join(exc.messages)}"
        ) from None


def create_account(username: str):
    """An account that cannot log in until someone sets its password."""
    account = get_user_model()._default_manager.create_user(username)
    account.set_unusable_password()
    account.save(update_fields=["password"])
    return account
