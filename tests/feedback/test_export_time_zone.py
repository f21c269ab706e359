"""The person's time zone in their export (format version 5) and back: an import puts
it back as it was, "" (the site's) included; an export from before version 5 leaves it."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_csv_zip, export_json
from feedback.models import TIME_ZONE_MESSAGE, UserTimeZone
from tests.factories import UserFactory, UserTimeZoneFactory
from tests.feedback.test_exports import as_version

pytestmark = pytest.mark.django_db

BUILDS = [export_json, export_csv_zip]


def zone_of(user) -> str | None:
    return UserTimeZone.objects.filter(user=user).values_list("time_zone", flat=True).first()


def test_the_json_export_holds_the_zone(user):
    UserTimeZoneFactory(user=user, time_zone="Europe/Berlin")

    exported = json.loads(export_json(user))

    assert exported["version"] >= 5
    assert exported["settings"] == [{"time_zone": "Europe/Berlin"}]


def test_the_csv_export_holds_it_in_settings_csv(user):
    exported = export_csv_zip(user)

    # A row of one empty cell is written "", or it would be a blank line, which is no row.
    settings_csv = zipfile.ZipFile(io.BytesIO(exported)).read("settings.csv").decode("utf-8-sig")
    assert settings_csv == 'time_zone\r\n""\r\n'
    assert read_export(exported)["settings"] == [{"time_zone": None}]


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("name", ["America/New_York", ""])
def test_the_round_trip_restores_the_zone(user, build, name):
    UserTimeZoneFactory(user=user, time_zone=name)
    exported = build(user)
    elsewhere = UserFactory()
    UserTimeZoneFactory(user=elsewhere, time_zone="Asia/Tokyo")

    counts = user_export_import(user=elsewhere, rows=read_export(exported))

    assert zone_of(elsewhere) == name
    assert counts.updated["settings"] == 1


@pytest.mark.parametrize("build", BUILDS)
def test_into_an_account_without_a_zone(user, build):
    UserTimeZoneFactory(user=user, time_zone="America/New_York")
    rows = read_export(build(user))
    newcomer = UserFactory()

    counts = user_export_import(user=newcomer, rows=rows)
    again = user_export_import(user=newcomer, rows=rows)

    assert zone_of(newcomer) == "America/New_York"
    assert (counts.created["settings"], again.unchanged["settings"]) == (1, 1)


def test_an_export_without_a_zone_of_its_own_writes_no_row(user):
    counts = user_export_import(user=UserFactory(), rows=read_export(export_json(user)))

    assert not UserTimeZone.objects.exists()
    assert counts.unchanged["settings"] == 1


@pytest.mark.parametrize("build", BUILDS)
def test_an_export_of_version_4_leaves_the_zone_as_it_is(user, build):
    UserTimeZoneFactory(user=user, time_zone="America/New_York")
    exported = as_version(build(user), 4)
    UserTimeZone.objects.filter(user=user).update(time_zone="Asia/Tokyo")

    rows = read_export(exported)
    user_export_import(user=user, rows=rows)

    assert rows["settings"] == []
    assert zone_of(user) == "Asia/Tokyo"


def test_an_unknown_zone_is_refused_in_words_and_imports_nothing(user):
    document = json.loads(export_json(user)) | {"settings": [{"time_zone": "Mars/Olympus"}]}

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=user, rows=read_export(json.dumps(document).encode()))

    assert str(refused.value) == f"settings row 1: time_zone: {TIME_ZONE_MESSAGE}"
    assert not UserTimeZone.objects.exists()


def test_two_rows_of_settings_are_refused(user):
    rows = [{"time_zone": "Europe/Berlin"}, {"time_zone": "Asia/Tokyo"}]
    document = json.loads(export_json(user)) | {"settings": rows}

    with pytest.raises(ExportFormatError) as refused:
        read_export(json.dumps(document).encode())

    assert str(refused.value) == "settings: an export holds one row of settings, not 2"


def test_the_commands_round_trip_the_zone(user, tmp_path):
    UserTimeZoneFactory(user=user, time_zone="Europe/Berlin")
    path = tmp_path / "me.json"
    call_command("export_user", user.username, "--output", str(path))
    UserTimeZone.objects.filter(user=user).update(time_zone="")

    call_command("import_user_export", str(path), "--user", user.username, verbosity=0)

    assert zone_of(user) == "Europe/Berlin"
