"""What export_user says a CSV export holds is what the zip holds: its message once said
four files, its docstring six and its help left out the settings and the lists, of a
zip of nine."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command, load_command_class

from feedback.exports import export_csv_zip

pytestmark = pytest.mark.django_db


def files_of_a_csv_export(user) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(user))) as archive:
        return archive.namelist()


def test_a_csv_export_without_output_is_refused_naming_what_the_zip_holds(user):
    files = files_of_a_csv_export(user)

    with pytest.raises(CommandError) as refused:
        call_command("export_user", user.username, "--format", "csv")

    message = str(refused.value)
    assert message.startswith(f"A CSV export is a .zip of {len(files)} files (")
    assert message.endswith("): give --output FILE.zip")
    assert all(name in message for name in files)


def test_the_help_names_every_file_of_the_zip(user):
    command = load_command_class("feedback", "export_user")
    usage = command.create_parser("manage.py", "export_user").format_help()

    assert all(name in " ".join(usage.split()) for name in files_of_a_csv_export(user))
