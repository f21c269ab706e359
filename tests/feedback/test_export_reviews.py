"""The reviews a person wrote, in their export and back: through review_save, so that its
rules hold, with the export's dates, once however often the file is imported.

The round trip of every column, the versions before and the query count are in
test_exports.py, with the rest of the export.
"""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import MEMBER_REVIEW_MAX_LENGTH, Review, ReviewSource
from catalog.reviews import review_delete, review_save
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import COLUMNS, export_csv_zip, export_json
from tests.factories import MovieFactory, ReviewFactory, UserFactory
from tests.feedback.test_export_media_ids import another_marquee

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(user):
    """Two reviews written on the site a while ago, one of them edited since, with
    spoilers; and a critic's review of the same film, which is the catalog's."""
    posted = timezone.now() - dt.timedelta(days=30)
    heat = MovieFactory(title="Heat", year=1995, tmdb_id=949)
    ReviewFactory(
        member=True,
        user=user,
        movie=heat,
        text="=Best heist ever. The bank scene!",
        contains_spoilers=True,
        posted_at=posted,
        edited_at=posted + dt.timedelta(days=2),
    )
    ReviewFactory(
        member=True,
        user=user,
        movie=MovieFactory(title="Ronin", year=1998, tmdb_id=8195),
        text="Car chases.",
        posted_at=posted + dt.timedelta(days=1),
    )
    ReviewFactory(movie=heat, author="A Critic", text="A critic's essay.")
    return user


def reviews_of(user) -> list[tuple]:
    return list(
        Review.objects.filter(user=user)
        .order_by("movie__title")
        .values_list(
            "movie__title", "text", "contains_spoilers", "posted_at", "edited_at", "source"
        )
    )


def test_the_export_holds_the_person_s_reviews_with_their_films(reviewed, other_user):
    ReviewFactory(member=True, user=other_user, text="Someone else's")

    exported = json.loads(export_json(reviewed))

    first, second = exported["reviews"]
    assert set(first) == set(COLUMNS["reviews"])
    assert (first["movie_title"], first["movie_year"], first["movie_tmdb_id"]) == (
        "Heat",
        1995,
        949,
    )
    assert (first["text"], first["contains_spoilers"]) == (
        "=Best heist ever. The bank scene!",
        True,
    )
    assert first["posted_at"] < first["edited_at"]
    assert (second["movie_title"], second["edited_at"]) == ("Ronin", None)
    assert "critic" not in json.dumps(exported).lower()
    assert "Someone else's" not in json.dumps(exported)


def test_the_csv_export_holds_reviews_csv_without_a_formula(reviewed):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(reviewed)))

    rows = list(csv.DictReader(io.StringIO(archive.read("reviews.csv").decode("utf-8-sig"))))

    assert list(rows[0]) == list(COLUMNS["reviews"])
    assert rows[0]["text"] == "'=Best heist ever. The bank scene!"
    assert [(row["contains_spoilers"], row["edited_at"]) for row in rows][1] == ("false", "")


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_reviews_come_back_as_they_were_into_an_empty_marquee(reviewed, build):
    before, exported = reviews_of(reviewed), build(reviewed)
    Review.objects.all().delete()
    another_marquee()
    restored = UserFactory()

    counts = user_export_import(user=restored, rows=read_export(exported))

    assert reviews_of(restored) == before
    assert counts.created["reviews"] == 2
    heat = Review.objects.get(user=restored, movie__title="Heat")
    assert heat.sentiment_label  # scored as the film's page scores it
    assert heat.source == ReviewSource.USER


def test_a_second_import_writes_no_review(reviewed):
    rows = read_export(export_json(reviewed))
    user_export_import(user=reviewed, rows=rows)
    before = reviews_of(reviewed)

    with CaptureQueriesContext(connection) as queries:
        counts = user_export_import(user=reviewed, rows=rows)

    written = [
        query["sql"]
        for query in queries.captured_queries
        if "catalog_review" in query["sql"] and query["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert written == []
    assert (counts.created["reviews"], counts.updated["reviews"]) == (0, 0)
    assert counts.unchanged["reviews"] == 2
    assert reviews_of(reviewed) == before


def test_a_review_is_unchanged_whatever_its_line_breaks(reviewed):
    """A review a browser wrote holds "\r\n"; the file's text, with "\n", is the same text:
    counted unchanged, and kept as it is."""
    Review.objects.filter(movie__title="Ronin").update(text="Car chases.\r\nGreat ones.")
    rows = read_export(export_json(reviewed))
    rows["reviews"][1]["text"] = "Car chases.\nGreat ones."
    before = reviews_of(reviewed)

    counts = user_export_import(user=reviewed, rows=rows)

    assert (counts.updated["reviews"], counts.unchanged["reviews"]) == (0, 2)
    assert reviews_of(reviewed) == before


def test_a_review_edited_or_deleted_since_the_export_is_put_back(reviewed):
    rows = read_export(export_json(reviewed))
    before = reviews_of(reviewed)
    heat = Review.objects.get(user=reviewed, movie__title="Heat")
    # Since the export, on the film's page: one rewritten, spoilers off; one deleted.
    review_save(user=reviewed, movie=heat.movie, text="Too long.", contains_spoilers=False)
    review_delete(user=reviewed, review=Review.objects.get(user=reviewed, movie__title="Ronin"))

    counts = user_export_import(user=reviewed, rows=rows)

    assert reviews_of(reviewed) == before
    assert (counts.created["reviews"], counts.updated["reviews"]) == (1, 1)
    assert Review.objects.filter(movie__title="Heat").count() == 2  # the critic's stays


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "reviews row 1: text: This field cannot be blank."),
        ({"text": None}, "reviews row 1: text: This field cannot be blank."),
        (
            {"text": "a" * (MEMBER_REVIEW_MAX_LENGTH + 1)},
            "reviews row 1: text: A review can be at most 10,000 characters long.",
        ),
        (
            {"posted_at": timezone.now() + dt.timedelta(days=3)},
            "reviews row 1: posted_at: This date is in the future.",
        ),
        (
            {"edited_at": dt.datetime(2001, 1, 1, tzinfo=dt.UTC)},
            "reviews row 1: edited_at: A review cannot be edited before it was posted.",
        ),
        (
            {"edited_at": dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)},
            "reviews row 1: edited_at: This date is in the future.",
        ),
        ({"movie_title": None, "movie_tmdb_id": None}, "reviews row 1: a review names its film"),
    ],
)
def test_a_review_marquee_would_not_take_is_refused_on_one_line(reviewed, changes, message):
    rows = read_export(export_json(reviewed))
    rows["reviews"][0].update(changes)
    Review.objects.all().delete()
    another_marquee()

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows)

    assert str(refused.value) == message
    assert not Review.objects.exists()


def test_the_import_command_refuses_a_too_long_review_and_imports_nothing(reviewed, tmp_path):
    exported = json.loads(export_json(reviewed))
    exported["reviews"][1]["text"] = "b" * (MEMBER_REVIEW_MAX_LENGTH + 1)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_user_export",
            str(path),
            "--user",
            "newbie",
            "--create-user",
            stdout=io.StringIO(),
        )

    assert str(refused.value) == (
        "export.json: reviews row 2: text: A review can be at most 10,000 characters long."
    )
    assert not get_user_model().objects.filter(username="newbie").exists()


@pytest.mark.parametrize(
    ("row", "edited_at", "message"),
    [
        (1, "2001-01-01T00:00:00+00:00", "A review cannot be edited before it was posted."),
        # Taken, the review's pages were a 500 for a member in a time zone east of UTC.
        (2, "9999-12-31T23:59:59+00:00", "This date is in the future."),
    ],
)
def test_the_import_command_refuses_an_impossible_edit_date(
    reviewed, tmp_path, row, edited_at, message
):
    exported = json.loads(export_json(reviewed))
    exported["reviews"][row - 1]["edited_at"] = edited_at
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    before = reviews_of(reviewed)

    with pytest.raises(CommandError) as refused:
        call_command("import_user_export", str(path), "--user", reviewed.username)

    assert str(refused.value) == f"export.json: reviews row {row}: edited_at: {message}"
    assert reviews_of(reviewed) == before
