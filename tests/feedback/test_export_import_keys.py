"""A viewing's import key in an export (version 8): carried out and back in, finding the
viewing that holds it wherever it was moved; an export from before keys leaves them."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model

from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_csv_zip, export_json
from feedback.models import ViewingHistory
from tests.factories import MediaFactory, UserFactory, ViewingHistoryFactory
from tests.feedback.test_exports import as_version, wipe_everything

pytestmark = pytest.mark.django_db

KEY = "letterboxd:https://boxd.it/a1"
START = dt.datetime(2025, 3, 1, 20, tzinfo=dt.UTC)


@pytest.fixture
def keyed(user):
    """A viewing an import made, and one logged here."""
    media = MediaFactory(movie__year=1979)
    ViewingHistoryFactory(user=user, media=media, started_at=START, import_key=KEY)
    ViewingHistoryFactory(user=user, media=media, started_at=START + dt.timedelta(days=9))
    return user


def keys(user) -> list[tuple[dt.datetime, str]]:
    rows = ViewingHistory.objects.filter(user=user).order_by("started_at")
    return list(rows.values_list("started_at", "import_key"))


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_the_key_goes_out_and_comes_back_into_an_empty_marquee(keyed, build):
    exported, username = build(keyed), keyed.username
    wipe_everything()

    user_export_import(user=UserFactory(username=username), rows=read_export(exported))

    person = get_user_model().objects.get(username=username)
    assert keys(person) == [(START, KEY), (START + dt.timedelta(days=9), "")]


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_a_viewing_moved_since_the_export_is_found_by_its_key(keyed, build):
    exported = build(keyed)
    ViewingHistory.objects.filter(import_key=KEY).update(started_at=START - dt.timedelta(days=2))

    counts = user_export_import(user=keyed, rows=read_export(exported))

    # The export's start comes back; no viewing is added beside the one moved.
    assert (counts.created["history"], counts.updated["history"]) == (0, 1)
    assert keys(keyed) == [(START, KEY), (START + dt.timedelta(days=9), "")]


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_an_export_of_version_7_leaves_the_keys_here(keyed, build):
    exported = as_version(build(keyed), 7)

    counts = user_export_import(user=keyed, rows=read_export(exported))

    assert counts.unchanged["history"] == 2
    assert keys(keyed) == [(START, KEY), (START + dt.timedelta(days=9), "")]


def test_a_key_two_rows_give_is_refused_in_words(keyed):
    document = json.loads(export_json(keyed))
    document["history"][1]["import_key"] = KEY

    with pytest.raises(ExportFormatError, match="history row 2: import_key: Another viewing"):
        user_export_import(user=keyed, rows=read_export(json.dumps(document).encode()))


@pytest.mark.parametrize("first_key", ["", "letterboxd:https://boxd.it/e1"])
@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_a_rewatch_the_same_evening_deleted_since_comes_back_beside_the_other(
    user, build, first_key
):
    """Two diary entries of a film on one day both start at 8 pm. One deleted since, the
    row that matched by its start took the other's viewing, key and all, and the row of
    that key was then refused: the whole import with it."""
    media = MediaFactory(movie__year=1979)
    other = "letterboxd:https://boxd.it/e2"
    first = ViewingHistoryFactory(user=user, media=media, started_at=START, import_key=first_key)
    ViewingHistoryFactory(user=user, media=media, started_at=START, import_key=other)
    exported = build(user)
    first.delete()

    counts = user_export_import(user=user, rows=read_export(exported))

    assert (counts.created["history"], counts.unchanged["history"]) == (1, 1)
    assert sorted(key for _, key in keys(user)) == sorted([first_key, other])
