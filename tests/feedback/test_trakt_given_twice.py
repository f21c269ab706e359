"""Trakt's files given twice, and items met again in them, read once and said to be
(feedback/trakt.py): a person who selects history.json twice, or a page of their history
beside the whole of it, has each watch once, and the summary says why the rest was not
read, not that it was "already there" in an account that had none of it. And a ZIP's
files that are not JSON are named, as the other files not read are."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.models import ViewingHistory
from feedback.trakt import trakt_read
from feedback.trakt_import import trakt_import
from tests.feedback.test_trakt_import import (
    ALIEN,
    AMELIE,
    HEAT,
    INCEPTION,
    films,  # noqa: F401 (the catalog's films: a fixture every test here uses)
    ratings_of,
    viewings_of,
    watchlist_of,
)
from tests.feedback.test_trakt_read import (
    STATS,
    episode_watched,
    json_file,
    listed,
    rated,
    trakt_zip,
    watched,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("films")]

UTC = dt.UTC
HISTORY = json_file(
    watched(ALIEN, "2024-01-02T20:15:00.000Z", 101),
    watched(INCEPTION, "2023-05-05T18:00:00.000Z", 102),
)
BOTH_WATCHES = [
    ("Alien", dt.datetime(2024, 1, 2, 20, 15, tzinfo=UTC), True),
    ("Inception", dt.datetime(2023, 5, 5, 18, 0, tzinfo=UTC), True),
]


def imported(user, *files):
    return trakt_import(user=user, files=list(files))


class TestAFileGivenTwice:
    def test_a_history_selected_twice_is_each_watch_once_and_said_so(self, user):
        summary = imported(user, ("history.json", HISTORY), ("history (1).json", HISTORY))

        assert viewings_of(user) == BOTH_WATCHES
        # Not "2 already there": the account had none of them.
        assert summary.lines() == [
            "2 viewings added",
            "2 films marked watched",
            "1 file given twice, read once: history (1).json (history.json again)",
        ]

    def test_one_of_the_same_name_is_named_once(self, user):
        summary = imported(user, ("history.json", HISTORY), ("history.json", HISTORY))

        assert viewings_of(user) == BOTH_WATCHES
        assert summary.lines()[-1] == "1 file given twice, read once: history.json"

    def test_in_a_zip_under_two_paths_it_is_read_once(self, user):
        data = trakt_zip({"trakt/history.json": HISTORY, "trakt/backup/history.json": HISTORY})

        summary = imported(user, ("trakt.zip", data))

        assert viewings_of(user) == BOTH_WATCHES
        assert summary.lines() == [
            "2 viewings added",
            "2 films marked watched",
            "1 file given twice, read once: backup/history.json (history.json again)",
        ]

    def test_a_skipped_file_given_twice_is_named_once_as_skipped(self, user):
        stats = json.dumps(STATS).encode()

        summary = imported(
            user, ("history.json", HISTORY), ("stats.json", stats), ("stats-2.json", stats)
        )

        assert summary.lines()[-2:] == [
            "1 file given twice, read once: stats-2.json (stats.json again)",
            "1 file skipped, not history, ratings or watchlist: stats.json",
        ]

    def test_imported_again_the_copy_is_still_said_and_nothing_changes(self, user):
        files = [("history.json", HISTORY), ("copy.json", HISTORY)]
        imported(user, *files)

        again = imported(user, *files)

        assert not again.changed
        assert again.lines() == [
            "2 already there",
            "1 file given twice, read once: copy.json (history.json again)",
        ]
        assert viewings_of(user) == BOTH_WATCHES


class TestAnItemMetAgain:
    def test_a_watch_of_one_history_id_in_two_pages_is_one_viewing(self, user):
        # A page of the history beside the whole of it, written by another tool: the
        # files differ, the watch of id 102 is in both.
        page = json_file(watched(INCEPTION, "2023-05-05T18:00:00Z", 102, action="scrobble"))

        summary = imported(user, ("history.json", HISTORY), ("history-page-2.json", page))

        assert viewings_of(user) == BOTH_WATCHES
        assert summary.lines() == [
            "2 viewings added",
            "2 films marked watched",
            "1 item repeated in the files, read once",
        ]

    def test_an_episode_watched_once_in_two_files_is_counted_once(self, user):
        summary = imported(
            user,
            ("history.json", json_file(watched(ALIEN, number=1), episode_watched())),
            ("episodes.json", json_file(episode_watched())),
        )

        assert "1 item was a show or episode, not a film" in summary.lines()
        assert "1 item repeated in the files, read once" in summary.lines()

    def test_a_rating_in_two_files_is_set_once_and_said_so(self, user):
        summary = imported(
            user,
            ("ratings.json", json_file(rated(ALIEN, 8), rated(HEAT, 6))),
            ("ratings-movies.json", json_file(rated(ALIEN, 8))),
        )

        assert ratings_of(user) == {"Alien": (4, True), "Heat": (3, True)}
        assert summary.lines() == [
            "2 ratings set",
            "2 films marked watched",
            "1 item repeated in the files, read once",
        ]

    def test_a_watchlist_entry_in_two_files_is_added_once_and_said_so(self, user):
        summary = imported(
            user,
            ("watchlist.json", json_file(listed(AMELIE), listed(HEAT, rank=2))),
            ("watchlist-movies.json", json_file(listed(AMELIE, rank=5))),
        )

        assert sorted(title for title, _ in watchlist_of(user)) == ["Amélie", "Heat"]
        # Not "1 already there": the watchlist had nothing.
        assert summary.lines() == [
            "2 watchlist entries added",
            "1 item repeated in the files, read once",
        ]


class TestAZipsFilesNotJson:
    def test_they_are_named_on_a_line_of_their_own(self):
        data = trakt_zip(
            {
                "trakt/history.json": HISTORY,
                "trakt/README.txt": b"Your Trakt export",
                "trakt/csv/history.csv": b"watched_at,title\n",
                "trakt/avatar.jpg": b"\xff\xd8\xff\xe0",
                "__MACOSX/trakt/._history.json": b"\x00\x05\x16\x07",
            }
        )

        export = trakt_read([("trakt.zip", data)])

        # Named by their path less the export's folder; macOS's copies are not the person's.
        assert export.not_json == ["README.txt", "csv/history.csv", "avatar.jpg"]
        assert len(export.lines["diary.csv"]) == 2

    def test_the_summary_on_the_page_names_them(self, user_client, user):
        data = trakt_zip({"history.json": HISTORY, "README.txt": b"Your Trakt export"})
        upload = SimpleUploadedFile("trakt.zip", data, content_type="application/zip")

        html = user_client.post(reverse("trakt_import"), {"files": [upload]}).content.decode()

        assert "<li>1 file in the ZIP not read, not JSON: README.txt</li>" in html
        assert ViewingHistory.objects.filter(user=user).count() == 2
