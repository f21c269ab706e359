"""A person's data export: only theirs, JSON or CSV, in fixed queries, and back in whole."""

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

import backups.files
from catalog.models import Movie, RaterKind, Rating, RatingSource
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import (
    COLUMNS,
    CSV_FILES,
    KINDS_OF_VERSION,
    columns_of,
    export_csv_zip,
    export_json,
)
from feedback.models import Media, MediaType, UserFeedback, ViewingHistory, WatchlistEntry
from recommendations.models import RecommendationLog
from tests.factories import (
    FilmListEntryFactory,
    FilmListFactory,
    MediaFactory,
    MovieFactory,
    NotInterestedFactory,
    RatingFactory,
    RecommendationLogFactory,
    ReviewFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)
from tests.full_disks import filling_open
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(user):
    """A bit of everything: a unicode title, an episode with no film, nulls, an odd scale,
    recommendations, one of them of a film deleted since, reviews, one edited, a list and a
    film turned down."""
    # A day ago, so that it sorts before the rows the factories stamp with now().
    moment = (timezone.now() - dt.timedelta(days=1)).replace(microsecond=123456)
    amelie = MovieFactory(title="Le Fabuleux Destin d'Amélie Poulain", year=2001, tmdb_id=194)
    no_ids = MovieFactory(
        title="Babylon 5", year=None, release_date=None, tmdb_id=None, imdb_id=None
    )
    film = MediaFactory(media_id="plex:amélie", movie=amelie)
    episode = MediaFactory(
        media_id="jellyfin:ep-1",
        movie=None,
        title="Pilot, “The Gathering”",
        media_type=MediaType.EPISODE,
    )
    UserFeedbackFactory(user=user, media=film, rating=5, would_watch_again=None, timestamp=moment)
    UserFeedbackFactory(
        user=user, media=episode, rating=None, watched_completion=False, would_watch_again=True
    )
    ViewingHistoryFactory(user=user, media=film, started_at=moment, minutes_watched=None)
    ViewingHistoryFactory(user=user, media=film, started_at=moment - dt.timedelta(days=3))
    ViewingHistoryFactory(user=user, media=episode, completed=False, minutes_watched=12)
    RatingFactory(user=user, movie=amelie, value=5, rated_at=moment)
    RatingFactory(
        user=user, movie=no_ids, source=RatingSource.OTHER, value=7.5, scale_min=0, scale_max=10
    )
    # Both to see again: put there after their reviews (below), and Amélie's viewings, they
    # stayed (a review, as a viewing, takes a film off only if put there before).
    WatchlistEntryFactory(user=user, movie=no_ids, added_at=moment)
    WatchlistEntryFactory(user=user, movie=amelie, added_at=moment + dt.timedelta(hours=1))
    # A slate whose backup was chosen, its wildcard's film deleted since (the item stays,
    # linked to no film); then a slate of one pick, with no score and a text a
    # spreadsheet would take for a formula.
    gone = MediaFactory(media_id="plex:gone", title="Gone Since", movie__title="Deleted")
    gone.movie.delete()
    shown = moment - dt.timedelta(hours=2)
    slate = uuid.UUID("6a1f0f5e-3b7d-4e0a-9c55-1b2d3e4f5a6b")
    for slot, media, score, chosen in (
        ("primary", film, 0.91, False),
        ("backup", MediaFactory(media_id="plex:b5", movie=no_ids), 0.625, True),
        ("wildcard", gone, 0.125, False),
    ):
        RecommendationLogFactory(
            user=user,
            media=media,
            slate_id=slate,
            recommendation_type=slot,
            score=score,
            selected=chosen,
            reason=f"People who loved Heat loved this ({slot})",
            engine_version="2026.11",
            timestamp=shown,
        )
    RecommendationLogFactory(
        user=user, media=film, score=None, reason="+1 film like it", timestamp=moment
    )
    # Two reviews: one edited, with spoilers, over lines, starting as a formula would.
    ReviewFactory(
        member=True,
        user=user,
        movie=amelie,
        text="-- The gnome travels the world.\r\nSo does the heart.",
        contains_spoilers=True,
        posted_at=moment - dt.timedelta(hours=5),
        edited_at=moment,
    )
    ReviewFactory(
        member=True,
        user=user,
        movie=no_ids,
        text="Space, slowly.",
        posted_at=moment - dt.timedelta(hours=2),
    )
    ReviewFactory(movie=amelie)  # a critic's: the catalog's, no one's data
    # A list of both films, the later added on top, one with a note.
    film_list = FilmListFactory(user=user, name="Best of", created_at=moment, updated_at=moment)
    FilmListEntryFactory(film_list=film_list, movie=no_ids, note="Season 1 only", added_at=moment)
    FilmListEntryFactory(film_list=film_list, movie=amelie, position=2, added_at=moment)
    # A film turned down ("Not interested"), on no other row.
    NotInterestedFactory(
        user=user,
        movie=MovieFactory(title="Cats", year=2019, tmdb_id=536869),
        turned_down_at=moment,
    )
    return user


def document(user) -> dict:
    exported = json.loads(export_json(user))
    del exported["exported_at"], exported["username"]
    return exported


def wipe_everything() -> None:
    """An empty Marquee: no people, no media, no films."""
    RecommendationLog.objects.all().delete()
    Rating.objects.all().delete()
    UserFeedback.objects.all().delete()
    ViewingHistory.objects.all().delete()
    Media.objects.all().delete()
    Movie.objects.all().delete()
    get_user_model().objects.all().delete()


def test_the_json_export_holds_every_kind_of_row_with_their_films(library):
    exported = json.loads(export_json(library))

    assert (exported["format"], exported["version"], exported["username"]) == (
        "marquee-user-export",
        8,
        library.username,
    )
    assert [row["media_id"] for row in exported["feedback"]] == ["plex:amélie", "jellyfin:ep-1"]
    film = exported["feedback"][0]
    assert film["movie_tmdb_id"] == 194
    assert film["movie_title"] == "Le Fabuleux Destin d'Amélie Poulain"
    assert (film["rating"], film["would_watch_again"]) == (5, None)
    assert film["timestamp"].endswith(".123456+00:00")
    assert exported["feedback"][1]["movie_title"] is None
    assert len(exported["history"]) == 3
    assert {row["source"] for row in exported["ratings"]} == {"marquee", "other"}
    assert [(row["movie_title"], row["movie_tmdb_id"]) for row in exported["watchlist"]] == [
        ("Babylon 5", None),
        ("Le Fabuleux Destin d'Amélie Poulain", 194),
    ]
    assert exported["watchlist"][0]["added_at"].endswith(".123456+00:00")
    # The picks by the time shown, a slate's in slot order; a deleted film's has no film.
    picks = [
        (row["recommendation_type"], row["media_id"], row["movie_title"], row["selected"])
        for row in exported["recommendations"]
    ]
    assert picks == [
        ("primary", "plex:amélie", "Le Fabuleux Destin d'Amélie Poulain", False),
        ("backup", "plex:b5", "Babylon 5", True),
        ("wildcard", "plex:gone", None, False),
        ("primary", "plex:amélie", "Le Fabuleux Destin d'Amélie Poulain", False),
    ]
    first = exported["recommendations"][0]
    assert first["slate_id"] == "6a1f0f5e-3b7d-4e0a-9c55-1b2d3e4f5a6b"
    assert (first["score"], first["engine_version"]) == (0.91, "2026.11")
    assert first["reason"] == "People who loved Heat loved this (primary)"
    assert exported["recommendations"][3]["shown_at"].endswith(".123456+00:00")
    assert exported["recommendations"][3]["score"] is None
    assert all(set(exported[kind][0]) == set(COLUMNS[kind]) for kind in COLUMNS)


def test_the_csv_export_is_a_zip_of_one_file_per_kind(library):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(library)))

    assert sorted(archive.namelist()) == [
        "feedback.csv",
        "history.csv",
        "list_entries.csv",
        "lists.csv",
        "not_interested.csv",
        "ratings.csv",
        "recommendations.csv",
        "reviews.csv",
        "settings.csv",
        "watchlist.csv",
    ]
    rows = list(csv.DictReader(io.StringIO(archive.read("feedback.csv").decode("utf-8-sig"))))
    assert list(rows[0]) == list(COLUMNS["feedback"])
    assert rows[0]["media_id"] == "plex:amélie"
    assert (rows[0]["would_watch_again"], rows[1]["watched_completion"]) == ("", "false")
    assert rows[1]["media_title"] == "Pilot, “The Gathering”"
    watchlist = list(csv.DictReader(io.StringIO(archive.read("watchlist.csv").decode("utf-8-sig"))))
    assert [row["movie_title"] for row in watchlist] == [
        "Babylon 5",
        "Le Fabuleux Destin d'Amélie Poulain",
    ]
    picks = list(
        csv.DictReader(io.StringIO(archive.read("recommendations.csv").decode("utf-8-sig")))
    )
    assert list(picks[0]) == list(COLUMNS["recommendations"])
    assert [(row["recommendation_type"], row["selected"]) for row in picks[:3]] == [
        ("primary", "false"),
        ("backup", "true"),
        ("wildcard", "false"),
    ]
    assert (picks[2]["movie_title"], picks[3]["score"]) == ("", "")
    assert picks[3]["reason"] == "'+1 film like it"


def test_an_export_holds_nobody_elses_data(library, other_user):
    UserFeedbackFactory(user=other_user, media=MediaFactory(media_id="plex:not-mine"))
    ViewingHistoryFactory(user=other_user)
    RatingFactory(user=other_user)
    RatingFactory(external=True)
    WatchlistEntryFactory(user=other_user, movie__title="Not on mine")
    RecommendationLogFactory(user=other_user, media__media_id="plex:not-shown-to-me")
    ReviewFactory(member=True, user=other_user, text="Not my review")
    FilmListEntryFactory(film_list__user=other_user, movie__title="Not on my lists")
    NotInterestedFactory(user=other_user, movie__title="Not turned down by me")

    exported = json.loads(export_json(library))

    assert "plex:not-mine" not in json.dumps(exported)
    assert "Not on mine" not in json.dumps(exported)
    assert "plex:not-shown-to-me" not in json.dumps(exported)
    assert "Not my review" not in json.dumps(exported)
    assert "Not on my lists" not in json.dumps(exported)
    assert "Not turned down by me" not in json.dumps(exported)
    assert [len(exported[kind]) for kind in COLUMNS] == [2, 3, 2, 2, 4, 2, 1, 1, 2, 1]


@pytest.mark.parametrize("data_format", ["json", "csv"])
def test_the_round_trip_into_an_empty_marquee_loses_nothing(library, data_format):
    before = document(library)
    exported = export_json(library) if data_format == "json" else export_csv_zip(library)
    username = library.username
    wipe_everything()

    counts = user_export_import(user=UserFactory(username=username), rows=read_export(exported))
    restored = get_user_model().objects.get(username=username)

    assert document(restored) == before
    assert counts.created["feedback"] == 2
    assert counts.created["history"] == 3
    assert counts.created["ratings"] == 2
    assert counts.created["watchlist"] == 2
    assert counts.created["recommendations"] == 4
    assert counts.created["reviews"] == 2
    assert (counts.created["lists"], counts.created["list_entries"]) == (1, 2)
    assert counts.created["not_interested"] == 1
    assert Movie.objects.count() == 3
    assert_stats_match_the_ratings()
    assert Media.objects.get(media_id="jellyfin:ep-1").movie is None
    assert Media.objects.get(media_id="plex:gone").movie is None


def test_importing_the_same_export_again_changes_nothing(library):
    rows = read_export(export_json(library))
    before = document(library)

    counts = user_export_import(user=library, rows=rows)

    assert not counts.created
    assert counts.unchanged["feedback"] == 2
    assert counts.unchanged["watchlist"] == 2
    assert counts.unchanged["recommendations"] == 4
    assert counts.unchanged["reviews"] == 2
    assert (counts.unchanged["lists"], counts.unchanged["list_entries"]) == (1, 2)
    assert counts.unchanged["not_interested"] == 1
    assert document(library) == before
    assert ViewingHistory.objects.count() == 3
    assert RecommendationLog.objects.count() == 4


def test_export_and_import_commands_round_trip_through_files(library, tmp_path):
    json_path, zip_path = tmp_path / "me.json", tmp_path / "me.zip"
    call_command("export_user", library.username, "--output", str(json_path), stderr=io.StringIO())
    call_command(
        "export_user",
        library.username,
        "--format",
        "csv",
        "--output",
        str(zip_path),
        stderr=io.StringIO(),
    )
    before = document(library)
    wipe_everything()

    out = io.StringIO()
    call_command("import_user_export", str(zip_path), "--user", "back", "--create-user", stdout=out)
    call_command("import_user_export", str(json_path), "--user", "back", stdout=out)

    back = get_user_model().objects.get(username="back")
    assert not back.has_usable_password()
    assert document(back) == before
    assert "feedback: 0 created, 0 updated, 2 unchanged" in out.getvalue()
    assert "watchlist: 0 created, 0 updated, 2 unchanged" in out.getvalue()
    assert "recommendations: 0 created, 0 updated, 4 unchanged" in out.getvalue()
    assert "reviews: 0 created, 0 updated, 2 unchanged" in out.getvalue()


def test_export_user_writes_json_to_stdout(library):
    out = io.StringIO()
    call_command("export_user", library.username, stdout=out)
    assert json.loads(out.getvalue())["username"] == library.username


@pytest.fixture
def full_disk(monkeypatch):
    """backups.files' writes fail as on a full disk once a file passes 200 bytes. (Not a
    file-size limit on the process: it would fail pytest's own writes too.)"""
    monkeypatch.setattr(backups.files, "open", filling_open(200), raising=False)


@pytest.mark.parametrize("format", ["json", "csv"])
def test_an_export_that_cannot_be_written_leaves_the_one_there_before(
    library, tmp_path, full_disk, format
):
    """It wrote straight over the file: on a full disk last week's export was gone, and
    in its place the first bytes of the new one, which no import reads."""
    output = tmp_path / f"me.{format}"
    output.write_bytes(b"last week's export")

    with pytest.raises(CommandError, match=f"^Cannot write {output}: No space left on device$"):
        call_command("export_user", library.username, "--format", format, "--output", str(output))

    assert output.read_bytes() == b"last week's export"
    assert [path.name for path in tmp_path.iterdir()] == [output.name]


def test_an_export_to_a_link_is_written_where_the_link_leads(library, tmp_path):
    """Written beside and renamed over, a link (as /dev/stdout is) became a file, and no
    longer led where it led: such a path is written to as it is."""
    target = tmp_path / "exports" / "2026.json"
    target.parent.mkdir()
    link = tmp_path / "latest.json"
    link.symlink_to(target)

    call_command("export_user", library.username, "--output", str(link), stderr=io.StringIO())

    assert link.is_symlink()
    assert json.loads(target.read_text())["username"] == library.username


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "No user called 'nobody'"),
        (["{user}", "--format", "csv"], "give --output"),
    ],
)
def test_export_user_refuses_bad_requests_on_one_line(user, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_user", *[arg.format(user=user.username) for arg in args])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01binary", "neither a .zip nor JSON"),
        (b'{"format": "marquee-demo", "version": 1}', "'format' should be 'marquee-user-export'"),
        (
            b'{"format": "marquee-user-export", "version": 9}',
            "version 9, not 1, 2, 3, 4, 5, 6, 7 or 8",
        ),
        (
            b'{"format": "marquee-user-export", "version": 1, "feedback": [{"media_id": "x"}]}',
            "feedback row 1: expected the columns",
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(user, tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_user_export", str(path), "--user", user.username)


def test_a_bad_row_imports_nothing_at_all(library):
    rows = read_export(export_json(library))
    rows["ratings"][1]["value"] = 11.0  # off its 0-10 scale
    wipe_everything()

    with pytest.raises(ExportFormatError, match="ratings row 2"):
        user_export_import(user=UserFactory(), rows=rows)
    assert not UserFeedback.objects.exists()
    assert not Movie.objects.exists()


@pytest.mark.parametrize(
    ("kind", "column", "value", "message"),
    [
        ("feedback", "media_id", "plex:\x00x", "feedback row 1: media_id holds a NUL character"),
        ("history", "media_title", "A\x00B", "history row 1: media_title holds a NUL character"),
        ("ratings", "value", float("nan"), "ratings row 1: value nan is not a number"),
        ("ratings", "scale_max", float("inf"), "ratings row 1: scale_max inf is not a number"),
        (
            "feedback",
            "media_duration",
            3_000_000_000,
            "feedback row 1: media_duration 3000000000 is past 2147483647",
        ),
        ("recommendations", "slate_id", 7, "recommendations row 1: slate_id 7 is not a UUID"),
        (
            "recommendations",
            "slate_id",
            "slate-7",
            "recommendations row 1: slate_id 'slate-7' is not a UUID",
        ),
        ("recommendations", "score", float("nan"), "recommendations row 1: score nan is not"),
    ],
)
def test_a_value_no_database_can_hold_is_refused_on_one_line(
    library, tmp_path, kind, column, value, message
):
    exported = json.loads(export_json(library))
    exported[kind][0][column] = value
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))  # NaN and Infinity, as Python's json writes them
    wipe_everything()

    with pytest.raises(CommandError) as refused:
        call_command("import_user_export", str(path), "--user", "alice", "--create-user")

    assert str(refused.value).startswith(f"export.json: {message}")
    assert "\n" not in str(refused.value)
    assert not get_user_model().objects.exists()
    assert not Media.objects.exists()


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        # Rules of the whole row: their message says it all, with no field before it.
        (
            "ratings",
            {"source": "other", "value": 11.0},
            "ratings row 1: The rating must lie on its scale.",
        ),
        (
            "ratings",
            {"source": "other", "scale_min": 10.0, "scale_max": 0.0, "value": 5.0},
            "ratings row 1: The scale's minimum must be below its maximum.",
        ),
        # A Marquee rating is whole stars: the column that breaks it is named.
        (
            "ratings",
            {"value": 4.5},
            "ratings row 1: value: A Marquee rating is a whole number of stars from 1 to 5",
        ),
        (
            "feedback",
            {"rating": None, "watched_completion": None, "would_watch_again": None},
            "feedback row 1: Give a rating, or say whether you finished it or would watch "
            "it again.",
        ),
        # A field's rule names the column as the export does, not the model's field.
        ("feedback", {"movie_year": 1700}, "feedback row 1: movie_year: "),
        ("feedback", {"media_duration": 0}, "feedback row 1: media_duration: "),
        ("feedback", {"rating": 9}, "feedback row 1: rating: "),
        (
            "watchlist",
            {"added_at": timezone.now() + dt.timedelta(days=3)},
            "watchlist row 1: added_at: This date is in the future.",
        ),
        (
            "watchlist",
            {"movie_title": None, "movie_year": None},
            "watchlist row 1: a watchlist entry names its film",
        ),
        (
            "recommendations",
            {"slate_id": None},
            "recommendations row 1: a recommendation names its slate",
        ),
        (
            "recommendations",
            {"shown_at": timezone.now() + dt.timedelta(days=3)},
            "recommendations row 1: shown_at: This date is in the future.",
        ),
        (
            "recommendations",
            {"recommendation_type": "sideshow"},
            "recommendations row 1: recommendation_type: Value 'sideshow' is not a valid choice.",
        ),
        ("recommendations", {"score": 1.5}, "recommendations row 1: score: "),
        ("recommendations", {"engine_version": None}, "recommendations row 1: engine_version: "),
    ],
)
def test_a_row_marquee_would_not_take_is_refused_in_words_for_people(
    library, kind, changes, message
):
    rows = read_export(export_json(library))
    rows[kind][0].update(changes)
    wipe_everything()

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=UserFactory(), rows=rows)

    assert str(refused.value).startswith(message)
    assert "__all__" not in str(refused.value)


@pytest.fixture
def twin_viewings(user):
    """Two viewings of one film started at the same moment: nothing forbids it."""
    moment = timezone.now() - dt.timedelta(days=2)
    film = MediaFactory(media_id="plex:twins")
    ViewingHistoryFactory(user=user, media=film, started_at=moment, minutes_watched=30)
    ViewingHistoryFactory(user=user, media=film, started_at=moment, minutes_watched=90)
    ViewingHistoryFactory(user=user, media=film, started_at=moment - dt.timedelta(days=1))
    return user


@pytest.mark.parametrize("data_format", ["json", "csv"])
def test_twin_viewings_survive_the_round_trip_into_an_empty_marquee(twin_viewings, data_format):
    before = document(twin_viewings)
    build = export_json if data_format == "json" else export_csv_zip
    exported, username = build(twin_viewings), twin_viewings.username
    wipe_everything()

    counts = user_export_import(user=UserFactory(username=username), rows=read_export(exported))

    assert document(get_user_model().objects.get(username=username)) == before
    assert (counts.created["history"], counts.unchanged["history"]) == (3, 0)


def test_importing_twin_viewings_again_creates_nothing(twin_viewings):
    rows = read_export(export_json(twin_viewings))
    before = document(twin_viewings)

    counts = user_export_import(user=twin_viewings, rows=rows)

    assert (counts.created["history"], counts.updated["history"]) == (0, 0)
    assert counts.unchanged["history"] == 3
    assert document(twin_viewings) == before


def test_an_import_updates_the_twin_viewing_that_changed(twin_viewings):
    rows = read_export(export_json(twin_viewings))
    before = document(twin_viewings)
    second_twin = ViewingHistory.objects.get(minutes_watched=90)
    second_twin.minutes_watched = 5
    second_twin.save()

    counts = user_export_import(user=twin_viewings, rows=rows)

    assert (counts.created["history"], counts.updated["history"]) == (0, 1)
    assert counts.unchanged["history"] == 2
    assert document(twin_viewings) == before


def test_a_bad_row_takes_back_the_account_created_for_it(library, tmp_path):
    exported = json.loads(export_json(library))
    exported["ratings"][1]["value"] = 11.0  # off its 0-10 scale
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(CommandError, match="ratings row 2"):
        call_command("import_user_export", str(path), "--user", "zed", "--create-user", stdout=out)

    assert not get_user_model().objects.filter(username="zed").exists()
    assert "Created the account" not in out.getvalue()


UTF8_BOM = b"\xef\xbb\xbf"


def each_text_file(data: bytes, change) -> bytes:
    """The export with change(bytes) applied to its one file, or to each file of its zip."""
    if not data.startswith(b"PK"):
        return change(data)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for name in source.namelist():
            archive.writestr(name, change(source.read(name)))
    return buffer.getvalue()


def with_byte_order_mark(data: bytes) -> bytes:
    """The export as a Windows editor may save it: each text file starts with a BOM."""
    return each_text_file(data, lambda text: text if text.startswith(UTF8_BOM) else UTF8_BOM + text)


def without_byte_order_mark(data: bytes) -> bytes:
    """The export as Marquee wrote its CSV before it added the mark, or an editor saves it."""
    return each_text_file(data, lambda text: text.removeprefix(UTF8_BOM))


@pytest.mark.parametrize("build", [export_json, export_csv_zip])
@pytest.mark.parametrize("saved", [with_byte_order_mark, without_byte_order_mark])
def test_an_export_saved_with_or_without_a_byte_order_mark_is_read_the_same(library, build, saved):
    exported = build(library)

    assert read_export(saved(exported)) == read_export(exported)


def test_each_csv_file_starts_with_a_byte_order_mark_for_excel(library):
    # Without it Excel reads the file in the machine's code page: "AmÃ©lie".
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(library))) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert data.startswith(UTF8_BOM), name
            assert not data[len(UTF8_BOM) :].startswith(UTF8_BOM), name
        assert "plex:amélie" in archive.read("feedback.csv")[len(UTF8_BOM) :].decode("utf-8")


def test_the_json_export_has_no_byte_order_mark(library):
    # JSON (RFC 8259) must not start with one; every reader takes it as is.
    assert export_json(library).startswith(b"{")


def test_the_import_command_takes_a_json_file_with_a_byte_order_mark(library, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(with_byte_order_mark(export_json(library)))

    call_command(
        "import_user_export", str(path), "--user", "bom", "--create-user", stdout=io.StringIO()
    )

    assert UserFeedback.objects.filter(user__username="bom").count() == 2


# --- the download view ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data_format", "content_type", "extension"),
    [("json", "application/json", "json"), ("csv", "application/zip", "zip")],
)
def test_the_download_is_an_attachment_of_your_own_data(
    user_client, library, data_format, content_type, extension
):
    response = user_client.get(reverse("exports:download", args=[data_format]))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="marquee-export-')
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    assert "no-store" in response["Cache-Control"]
    rows = read_export(response.content)
    assert len(rows["feedback"]) == 2


def test_the_download_runs_a_fixed_number_of_queries(user_client, user, django_assert_num_queries):
    for _ in range(30):
        movie = MovieFactory()
        media = MediaFactory(movie=movie)
        UserFeedbackFactory(user=user, media=media)
        ViewingHistoryFactory(user=user, media=media)
        RatingFactory(user=user, movie=movie)
        WatchlistEntryFactory(user=user)
        RecommendationLogFactory(user=user, media__movie__title=f"Shown {movie.pk}")
        ReviewFactory(member=True, user=user, movie__title=f"Reviewed {movie.pk}")
    for _ in range(3):
        film_list = FilmListFactory(user=user)
        for _ in range(10):
            FilmListEntryFactory(film_list=film_list)
    NotInterestedFactory.create_batch(30, user=user)

    # The session, the user, then feedback, history, ratings, watchlist, recommendations
    # and reviews with their films, the time zone, the lists, their films, and the films
    # turned down.
    with django_assert_num_queries(12):
        response = user_client.get(reverse("exports:download", args=["json"]))

    rows = json.loads(response.content)
    assert [len(rows[kind]) for kind in COLUMNS] == [30, 30, 30, 30, 30, 30, 1, 3, 30, 30]
    assert all(row["movie_title"] for row in rows["not_interested"])
    assert all(row["movie_title"] for row in rows["list_entries"])
    assert all(row["movie_title"] for row in rows["history"])
    assert all(row["movie_title"] for row in rows["watchlist"])
    assert all(row["movie_title"].startswith("Shown ") for row in rows["recommendations"])
    assert all(row["movie_title"].startswith("Reviewed ") for row in rows["reviews"])


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("exports:download", args=["json"]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_an_unknown_format_is_a_404(user_client):
    response = user_client.get(reverse("exports:download", args=["xml"]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_download_only_answers_get(user_client):
    response = user_client.post(reverse("exports:download", args=["json"]))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_marquee_rating_of_a_user_is_exported_with_its_scale(user):
    RatingFactory(user=user, rater_kind=RaterKind.USER, value=3, scale_min=1, scale_max=5)

    (row,) = json.loads(export_json(user))["ratings"]

    assert (row["value"], row["scale_min"], row["scale_max"]) == (3.0, 1.0, 5.0)


@pytest.fixture
def formulas(user):
    """Texts a spreadsheet would run, and texts that only look escaped."""
    titles = {
        '=HYPERLINK("http://evil","x")': "=cmd|/C calc!A0",
        "+1 more": "@SUM(A1)",
        "-5 minutes": "-plex:dash",
        "'Round Midnight": "'=quoted",
        "''Twice": "+plex:plus",
    }
    for number, (title, media_id) in enumerate(titles.items()):
        movie = MovieFactory(title=title, year=2000 + number, tmdb_id=None, imdb_id=None)
        media = MediaFactory(media_id=media_id, title=title, movie=movie)
        # Unrated: rated feedback would give its film a Marquee rating of its own, and an
        # import would write it (marquee_ratings_sync); ratings.csv holds the one below.
        UserFeedbackFactory(user=user, media=media, rating=None)
    RatingFactory(
        user=user,
        movie=Movie.objects.get(title="-5 minutes"),
        source=RatingSource.OTHER,
        value=-0.5,
        scale_min=-1,
        scale_max=1,
    )
    return user


def test_no_csv_cell_of_an_export_starts_a_formula(formulas):
    archive = zipfile.ZipFile(io.BytesIO(export_csv_zip(formulas)))
    feedback = list(csv.DictReader(io.StringIO(archive.read("feedback.csv").decode("utf-8-sig"))))
    [rating] = csv.DictReader(io.StringIO(archive.read("ratings.csv").decode("utf-8-sig")))

    for row in feedback:
        for name in COLUMNS["feedback"]:
            assert not row[name].startswith(("=", "+", "-", "@", "\t", "\r")), (name, row[name])
    titles = {row["movie_title"] for row in feedback}
    assert titles >= {'\'=HYPERLINK("http://evil","x")', "''Round Midnight", "'''Twice"}
    assert {row["media_id"] for row in feedback} >= {"'=cmd|/C calc!A0", "''=quoted"}
    # Numbers stay numbers; JSON keeps every text as it is.
    assert (rating["value"], rating["scale_min"], rating["movie_title"]) == (
        "-0.5",
        "-1.0",
        "'-5 minutes",
    )
    exported = json.loads(export_json(formulas))
    assert exported["feedback"][0]["media_id"] == "=cmd|/C calc!A0"


def test_the_csv_round_trip_takes_off_exactly_the_quote_it_added(formulas):
    before = document(formulas)
    exported = export_csv_zip(formulas)
    username = formulas.username
    wipe_everything()

    user_export_import(user=UserFactory(username=username), rows=read_export(exported))

    assert document(get_user_model().objects.get(username=username)) == before
    assert Media.objects.filter(media_id="'=quoted", title="'Round Midnight").exists()


@pytest.mark.parametrize("data_format", ["json", "csv"])
def test_films_whose_titles_differ_only_in_case_stay_two_films(user, data_format):
    twin = MovieFactory(title="Twin", year=2000, tmdb_id=None, imdb_id=None)
    other = MovieFactory(title="twin", year=2000, tmdb_id=None, imdb_id=None)
    # No stars: rated feedback would give its film a Marquee rating on import. The rating
    # of the other film, with no feedback behind it, comes back as it was.
    UserFeedbackFactory(
        user=user, media=MediaFactory(media_id="plex:twin", movie=twin), rating=None
    )
    RatingFactory(user=user, movie=other, value=4)
    before = document(user)
    exported = export_json(user) if data_format == "json" else export_csv_zip(user)
    wipe_everything()
    restored = UserFactory(username="restored")

    counts = user_export_import(user=restored, rows=read_export(exported))

    assert document(restored) == before
    assert sorted(Movie.objects.values_list("title", flat=True)) == ["Twin", "twin"]
    assert Media.objects.get().movie.title == "Twin"
    assert Rating.objects.get().movie.title == "twin"
    assert counts.lines()[0] == "movies: 2 created, 0 updated, 0 unchanged"
    again = user_export_import(user=restored, rows=read_export(exported))
    assert again.lines()[0] == "movies: 0 created, 0 updated, 2 unchanged"


def test_the_movie_counts_count_films_not_rows(library):
    # Amélie on seven rows, Babylon 5 on three, Cats on one.
    rows = read_export(export_json(library))
    wipe_everything()

    first = user_export_import(user=UserFactory(), rows=rows)
    second = user_export_import(user=UserFactory(), rows=rows)

    assert first.lines()[0] == "movies: 3 created, 0 updated, 0 unchanged"
    assert second.lines()[0] == "movies: 0 created, 0 updated, 3 unchanged"


# --- the watchlist, the recommendations and the reviews, and the versions before them ----


def as_version(data: bytes, version: int) -> bytes:
    """The export as an earlier Marquee wrote it: version 1 had no watchlist, version 2
    no recommendations, version 3 no reviews, version 4 no settings, version 5 no lists,
    version 6 no films turned down, version 7 no viewing's import key."""
    kinds = KINDS_OF_VERSION[version]
    if not data.startswith(b"PK"):
        document = json.loads(data)
        for kind in set(COLUMNS) - set(kinds):
            del document[kind]
        for kind in kinds:
            columns = columns_of(kind, version)
            document[kind] = [
                {name: value for name, value in row.items() if name in columns}
                for row in document[kind]
            ]
        return json.dumps(document | {"version": version}).encode()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for kind in kinds:
            archive.writestr(CSV_FILES[kind], csv_of_version(source, kind, version))
    return buffer.getvalue()


def csv_of_version(source: zipfile.ZipFile, kind: str, version: int) -> str:
    """The kind's file with the columns of that version only."""
    rows = list(csv.DictReader(io.StringIO(source.read(CSV_FILES[kind]).decode("utf-8-sig"))))
    columns = list(columns_of(kind, version))
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("build", [export_json, export_csv_zip])
def test_an_export_of_an_earlier_version_still_imports_without_the_later_rows(
    library, build, version
):
    before = document(library)
    exported, username = as_version(build(library), version), library.username
    wipe_everything()

    rows = read_export(exported)
    counts = user_export_import(user=UserFactory(username=username), rows=rows)

    later = set(COLUMNS) - set(KINDS_OF_VERSION[version])
    assert all(rows[kind] == [] for kind in later)
    assert (counts.created["feedback"], counts.created["history"]) == (2, 3)
    assert counts.created["watchlist"] == (0 if version == 1 else 2)
    assert counts.created["recommendations"] == (0 if version < 3 else 4)
    assert counts.created["reviews"] == (2 if version >= 4 else 0)
    assert not counts.created["settings"]
    assert counts.created["lists"] == (1 if version >= 6 else 0)
    assert counts.created["not_interested"] == (1 if version == 7 else 0)
    restored = document(get_user_model().objects.get(username=username))
    # The time zone is not a row an import makes: an export always says it ("" here).
    emptied = dict.fromkeys(later - {"settings"}, [])
    assert restored == before | {"version": 8} | emptied


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6])
def test_the_rows_a_version_did_not_hold_are_not_read_from_its_document(library, version):
    earlier = json.loads(export_json(library)) | {"version": version}
    for row in earlier["history"]:
        del row["import_key"]  # a column of version 8

    rows = read_export(json.dumps(earlier).encode())

    later = set(COLUMNS) - set(KINDS_OF_VERSION[version])
    assert later
    assert all(rows[kind] == [] for kind in later)


def test_a_zip_without_the_files_of_a_version_is_refused_naming_them(library):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("feedback.csv", "")
        archive.writestr("watchlist.csv", "")

    with pytest.raises(ExportFormatError) as refused:
        read_export(buffer.getvalue())

    assert str(refused.value) == (
        "not a Marquee export: the zip should hold feedback.csv, history.csv, "
        "list_entries.csv, lists.csv, not_interested.csv, ratings.csv, recommendations.csv, "
        "reviews.csv, settings.csv and watchlist.csv"
    )


def test_what_an_import_says_was_watched_leaves_the_watchlist_as_on_the_pages(user, other_user):
    now = timezone.now()
    titles = ("Seen", "Old", "Rated", "Stopped", "Given up")
    seen, seen_long_ago, rated, stopped, given_up = (MovieFactory(title=t) for t in titles)
    ViewingHistoryFactory(
        user=other_user, media=MediaFactory(movie=seen), started_at=now - dt.timedelta(days=2)
    )
    # Not watched to the end, said by a viewing or by feedback: still to be seen.
    ViewingHistoryFactory(
        user=other_user,
        media=MediaFactory(movie=stopped),
        started_at=now - dt.timedelta(days=2),
        completed=False,
    )
    UserFeedbackFactory(
        user=other_user,
        media=MediaFactory(movie=given_up),
        watched_completion=False,
        timestamp=now - dt.timedelta(days=2),
    )
    ViewingHistoryFactory(
        user=other_user,
        media=MediaFactory(movie=seen_long_ago),
        started_at=now - dt.timedelta(days=20),
    )
    UserFeedbackFactory(
        user=other_user,
        media=MediaFactory(movie=rated),
        watched_completion=None,
        would_watch_again=None,
        rating=4,
        timestamp=now - dt.timedelta(days=2),
    )
    rows = read_export(export_json(other_user))
    # Put on the watchlist ten days ago: after the old viewing, before the rest.
    for movie in (seen, seen_long_ago, rated, stopped, given_up):
        WatchlistEntryFactory(user=user, movie=movie, added_at=now - dt.timedelta(days=10))

    user_export_import(user=user, rows=rows)

    still_listed = ["Given up", "Old", "Stopped"]
    assert sorted(WatchlistEntry.objects.values_list("movie__title", flat=True)) == still_listed
    again = user_export_import(user=user, rows=rows)
    assert again.unchanged["history"] == 3
    assert WatchlistEntry.objects.count() == 3


def test_an_entry_the_import_finds_here_takes_the_export_s_date(library, other_user):
    rows = read_export(export_json(library))
    amelie = Movie.objects.get(tmdb_id=194)
    WatchlistEntryFactory(user=other_user, movie=amelie, added_at=timezone.now())

    counts = user_export_import(user=other_user, rows=rows)

    assert (counts.created["watchlist"], counts.updated["watchlist"]) == (1, 1)
    assert added_dates(other_user) == added_dates(library)


def added_dates(user) -> list:
    entries = WatchlistEntry.objects.filter(user=user).order_by("movie__title")
    return list(entries.values_list("movie__title", "added_at"))
