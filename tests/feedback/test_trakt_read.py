"""Trakt's JSON files read (feedback/trakt.py), given one by one or in a ZIP: the items by
kind, told apart by their keys; the items rejected, with file, item number and reason;
the other files of an export skipped and named; the files and ZIPs refused whole.

The builders here write items as Trakt's API v2 (/sync/history, /sync/ratings,
/sync/watchlist) and its export give them; the other Trakt tests use them."""

import io
import json
import re
import zipfile

import pytest

from feedback.trakt import MAX_JSON_VALUES, MAX_UNZIPPED, TraktFormatError, trakt_read
from tests.imports.unreadable_zips import UNKNOWN_METHOD, unreadable

MOVIE_IDS = {"trakt": 1, "slug": "a-film"}


def movie(title, year, imdb=None, tmdb=None):
    return {
        "title": title,
        "year": year,
        "ids": {**MOVIE_IDS, "imdb": imdb, "tmdb": tmdb},
    }


def watched(film, at="2024-01-02T20:15:00.000Z", number=1, action="watch"):
    return {"id": number, "watched_at": at, "action": action, "type": "movie", "movie": film}


def rated(film, rating, at="2024-01-03T10:00:00.000Z"):
    return {"rated_at": at, "rating": rating, "type": "movie", "movie": film}


def listed(film, at="2023-06-01T09:00:00.000Z", rank=1):
    return {
        "rank": rank,
        "id": rank,
        "listed_at": at,
        "notes": None,
        "type": "movie",
        "movie": film,
    }


def episode_watched(at="2024-01-02T21:00:00.000Z"):
    return {
        "id": 99,
        "watched_at": at,
        "action": "scrobble",
        "type": "episode",
        "episode": {"season": 1, "number": 1, "title": "Pilot", "ids": {"trakt": 73482}},
        "show": {"title": "Breaking Bad", "year": 2008, "ids": {"trakt": 1388, "tmdb": 1396}},
    }


def show_listed():
    return {
        "rank": 2,
        "id": 2,
        "listed_at": "2023-06-01T09:00:00.000Z",
        "type": "show",
        "show": {"title": "The Wire", "year": 2002, "ids": {"trakt": 1, "tmdb": 1438}},
    }


def json_file(*items) -> bytes:
    return json.dumps(list(items), ensure_ascii=False).encode()


def trakt_zip(files: dict[str, bytes]) -> bytes:
    """A ZIP of the files, by their path in it, as Trakt's export or a backup tool packs
    its JSON files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# The other files of an export: /users/me/stats (an object), /sync/watched/shows.
STATS = {"movies": {"plays": 155, "watched": 114, "minutes": 15650}, "ratings": {"total": 9}}
WATCHED_SHOW = {
    "plays": 56,
    "last_watched_at": "2024-01-02T21:00:00.000Z",
    "last_updated_at": "2024-01-02T21:00:00.000Z",
    "show": {"title": "Breaking Bad", "year": 2008, "ids": {"trakt": 1388, "tmdb": 1396}},
    "seasons": [{"number": 1, "episodes": [{"number": 1, "plays": 1}]}],
}


ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)
HEAT = movie("Heat", 1995, imdb="tt0113277", tmdb=949)
STALKER = movie("Stalker", 1979, tmdb=1398)


def test_the_kinds_are_told_apart_by_the_items_keys_not_the_names():
    export = trakt_read(
        [
            ("a.json", json_file(rated(ALIEN, 8))),
            ("b.json", json_file(watched(ALIEN), watched(ALIEN, "2024-02-01T10:00:00Z", 2))),
            ("ratings.json", json_file(listed(ALIEN))),
        ]
    )

    assert {kind: len(lines) for kind, lines in export.lines.items()} == {
        "ratings.csv": 1,
        "diary.csv": 2,
        "watchlist.csv": 1,
    }
    line = export.lines["diary.csv"][0]
    assert (line.name, line.year, line.imdb_id, line.tmdb_id) == ("Alien", 1979, "tt0078748", 348)
    assert line.watched_on.isoformat() == "2024-01-02T20:15:00+00:00"
    assert export.lines["ratings.csv"][0].rating == 4


def test_shows_and_episodes_are_counted_not_read_nor_rejected():
    export = trakt_read(
        [
            ("history.json", json_file(episode_watched(), watched(ALIEN))),
            ("w.json", json_file(show_listed())),
        ]
    )

    assert export.not_films == 2
    assert export.rejected == []
    assert len(export.lines["diary.csv"]) == 1


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({**rated(ALIEN, 8), "movie": {"ids": {"trakt": 3}}}, "no title and no IMDb or TMDB id"),
        (rated(ALIEN, 11), "rating '11' is not a whole number from 1 to 10"),
        (rated(ALIEN, 0), "rating '0' is not a whole number from 1 to 10"),
        (rated(ALIEN, 7.5), "rating '7.5' is not a whole number from 1 to 10"),
        ({**rated(ALIEN, 8), "rated_at": "yesterday"}, "rated_at 'yesterday' is not a date"),
        ({**rated(ALIEN, 8), "rated_at": "2024-01-02T20:15:00"}, "is not a date and time"),
        (rated(ALIEN, 8, at="2999-01-01T00:00:00.000Z"), "This date is in the future."),
        (rated(ALIEN, 8, at="1850-01-01T00:00:00.000Z"), "before 1888"),
        ({k: v for k, v in rated(ALIEN, 8).items() if k != "rating"}, "no rating"),
        (rated(movie("Alien", 1979, imdb="nm0000001"), 8), "ids.imdb 'nm0000001' is not"),
        (rated(movie("Alien", 1979, tmdb=-4), 8), "ids.tmdb -4 is not a TMDB id"),
        (rated(movie("Alien", "1979"), 8), "year '1979' is not a year"),
        ("Alien", "not a JSON object"),
        ({**rated(ALIEN, 8), "type": "person"}, "type 'person' is not movie"),
    ],
)
def test_a_bad_item_is_rejected_with_file_number_and_reason_the_rest_read(item, reason):
    export = trakt_read([("ratings.json", json_file(rated(ALIEN, 8), item))])

    assert len(export.rejected) == 1
    assert export.rejected[0].startswith("ratings.json, item 2: ")
    assert reason in export.rejected[0]
    assert len(export.lines["ratings.csv"]) == 1


def test_a_film_without_title_is_read_by_its_ids():
    export = trakt_read(
        [("w.json", json_file(listed({"ids": {"slug": "alien-1979", "tmdb": 348}})))]
    )

    line = export.lines["watchlist.csv"][0]
    assert (line.name, line.tmdb_id, line.imdb_id) == ("alien-1979", 348, "")


def test_unicode_titles_and_a_byte_order_mark_are_read():
    data = "\ufeff".encode() + json_file(
        watched(movie("Le Fabuleux Destin d’Amélie Poulain", 2001))
    )

    line = trakt_read([("h.json", data)]).lines["diary.csv"][0]

    assert line.name == "Le Fabuleux Destin d’Amélie Poulain"


def test_an_empty_array_is_nothing_to_read_not_an_error():
    export = trakt_read([("watchlist.json", b"[]")])

    assert (export.lines, export.rejected, export.not_films) == ({}, [], 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>", "history.json is not JSON: it is not a Trakt history, ratings or watchlist"),
        (b"\xff\xfe\x00", "history.json is not UTF-8 text"),
        (b"", "history.json is not JSON"),
        (b"[" * 100_000, "history.json is not JSON"),
    ],
    ids=["html", "binary", "empty-file", "too-deep"],
)
def test_a_file_that_is_not_json_is_refused_whole_in_one_line(data, message):
    with pytest.raises(TraktFormatError) as error:
        trakt_read([("ratings.json", json_file(rated(ALIEN, 8))), ("history.json", data)])

    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"movie": 1}', "history.json is not a JSON array of items"),
        (
            json_file({"last_watched_at": "2024-01-01T00:00:00Z", "plays": 2}, 3),
            "none of its items has watched_at, rated_at or listed_at",
        ),
    ],
    ids=["object", "watched-not-history"],
)
def test_a_lone_file_of_none_of_the_kinds_is_refused_saying_why(data, message):
    with pytest.raises(TraktFormatError) as error:
        trakt_read([("history.json", data)])

    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_the_other_files_of_an_export_are_skipped_and_named_the_rest_read():
    export = trakt_read(
        [
            ("stats.json", json.dumps(STATS).encode()),
            ("ratings.json", json_file(rated(ALIEN, 8))),
            ("watched-shows.json", json_file(WATCHED_SHOW)),
            ("watchlist.json", b"[]"),
        ]
    )

    assert export.skipped == ["stats.json", "watched-shows.json"]
    assert len(export.lines["ratings.csv"]) == 1
    assert export.rejected == []


def test_beside_a_file_named_for_the_watchlist_a_list_shaped_as_it_is_skipped():
    export = trakt_read(
        [
            ("trakt-watchlist.json", json_file(listed(ALIEN))),
            ("my-list.json", json_file(listed(HEAT))),
        ]
    )

    assert [line.name for line in export.lines["watchlist.csv"]] == ["Alien"]
    assert export.skipped == ["my-list.json"]


def test_an_empty_watchlist_file_keeps_a_list_off_the_watchlist():
    export = trakt_read([("watchlist.json", b"[]"), ("favorites.json", json_file(listed(HEAT)))])

    assert "watchlist.csv" not in export.lines
    assert export.skipped == ["favorites.json"]


def test_files_too_dense_to_be_an_export_are_refused_before_they_are_parsed():
    dense = b"[" + b"{}," * MAX_JSON_VALUES + b"{}]"

    with pytest.raises(TraktFormatError, match="more than 1,000,000 JSON objects and arrays"):
        trakt_read([("history.json", json_file(watched(ALIEN))), ("stats.json", dense)])


def test_files_shaped_as_the_watchlist_none_named_for_it_are_all_read_as_it():
    export = trakt_read([("w.json", json_file(listed(ALIEN))), ("x.json", json_file(listed(HEAT)))])

    assert [line.name for line in export.lines["watchlist.csv"]] == ["Alien", "Heat"]
    assert export.skipped == []


def test_an_empty_array_beside_skipped_files_is_read_not_refused():
    export = trakt_read([("stats.json", json.dumps(STATS).encode()), ("w.json", b"[]")])

    assert (export.lines, export.skipped) == ({}, ["stats.json"])


def test_files_none_of_which_is_of_a_kind_are_refused_naming_them():
    with pytest.raises(TraktFormatError) as error:
        trakt_read(
            [("stats.json", json.dumps(STATS).encode()), ("shows.json", json_file(WATCHED_SHOW))]
        )

    assert str(error.value) == (
        "None of these 2 files is a Trakt history, ratings or watchlist export (an array of "
        "items with watched_at, rated_at or listed_at): stats.json, shows.json."
    )


class TestZip:
    def test_its_json_files_are_read_in_any_folder_the_others_ignored(self):
        data = trakt_zip(
            {
                "trakt/ratings/ratings-movies.json": json_file(rated(ALIEN, 8)),
                "trakt/history-1.json": json_file(watched(ALIEN)),
                "trakt/stats.json": json.dumps(STATS).encode(),
                "trakt/README.txt": b"not json, and not read",
                "__MACOSX/trakt/._history-1.json": b"\x00\x05\x16\x07",
            }
        )

        export = trakt_read([("trakt-export.zip", data)])

        assert {kind: len(lines) for kind, lines in export.lines.items()} == {
            "ratings.csv": 1,
            "diary.csv": 1,
        }
        # Named by their path in the ZIP, less the one folder that holds them all.
        assert export.lines["ratings.csv"][0].where == "ratings/ratings-movies.json, item 1"
        assert export.skipped == ["stats.json"]

    def test_it_is_told_by_its_bytes_whatever_its_name(self):
        export = trakt_read([("export", trakt_zip({"watchlist.json": json_file(listed(ALIEN))}))])

        assert len(export.lines["watchlist.csv"]) == 1

    def test_a_list_shaped_as_the_watchlist_is_skipped_beside_it(self):
        data = trakt_zip(
            {
                "trakt/watchlist-movies.json": json_file(listed(ALIEN)),
                "trakt/lists/favourites.json": json_file(listed(HEAT), listed(STALKER, rank=2)),
            }
        )

        export = trakt_read([("trakt.zip", data)])

        assert [line.name for line in export.lines["watchlist.csv"]] == ["Alien"]
        assert export.skipped == ["lists/favourites.json"]

    def test_a_list_is_not_read_as_the_watchlist_where_the_export_has_none(self):
        data = trakt_zip(
            {
                "history.json": json_file(watched(ALIEN)),
                "lists/horror.json": json_file(listed(HEAT)),
            }
        )

        export = trakt_read([("trakt.zip", data)])

        assert "watchlist.csv" not in export.lines
        assert export.skipped == ["lists/horror.json"]

    def test_the_watchlist_is_found_by_its_folder_and_a_list_named_for_it_is_not_it(self):
        data = trakt_zip(
            {
                "watchlist/movies.json": json_file(listed(ALIEN)),
                "lists/family-watchlist.json": json_file(listed(HEAT)),
            }
        )

        export = trakt_read([("trakt.zip", data)])

        assert [line.name for line in export.lines["watchlist.csv"]] == ["Alien"]
        assert export.skipped == ["lists/family-watchlist.json"]

    def test_an_export_of_lists_alone_is_refused(self):
        data = trakt_zip({"lists/horror.json": json_file(listed(HEAT))})

        with pytest.raises(TraktFormatError, match="none of its JSON files"):
            trakt_read([("trakt.zip", data)])

    @pytest.mark.parametrize(
        ("files", "message"),
        [
            ({"notes.txt": b"hello"}, "This ZIP holds no JSON file: it is not a Trakt export."),
            (
                {"stats.json": json.dumps(STATS).encode()},
                "This ZIP holds no Trakt history, ratings or watchlist: none of its JSON files",
            ),
            ({"trakt/history.json": b"<html>"}, "history.json is not JSON: it is not a Trakt"),
            (
                {"history.json": b"[" + b" " * MAX_UNZIPPED + b"]"},
                "This ZIP's files expand to more than 50 MB, far more than a Trakt export",
            ),
        ],
        ids=["no-json", "no-kind", "not-json", "zip-bomb"],
    )
    def test_one_without_an_export_is_refused_whole(self, files, message):
        with pytest.raises(TraktFormatError, match=f"^{re.escape(message)}"):
            trakt_read([("trakt.zip", trakt_zip(files))])

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"[]", "This file is not a ZIP: upload the .zip Trakt gave you, as it is."),
            (
                unreadable(trakt_zip({"h.json": json_file(watched(ALIEN))}), encrypted=True),
                "h.json in this ZIP cannot be read: it is password-protected. Upload the "
                "export as Trakt gives it, not packed again.",
            ),
            (
                unreadable(trakt_zip({"h.json": json_file(watched(ALIEN))}), method=UNKNOWN_METHOD),
                "h.json in this ZIP cannot be read: it is compressed by a method",
            ),
        ],
        ids=["not-a-zip", "password", "method"],
    )
    def test_one_that_cannot_be_read_is_refused_as_letterboxd_s_is(self, data, message):
        with pytest.raises(TraktFormatError, match=re.escape(message)):
            trakt_read([("trakt.zip", data)])

    def test_it_is_taken_alone_not_beside_other_files(self):
        data = trakt_zip({"h.json": json_file(watched(ALIEN))})

        with pytest.raises(TraktFormatError) as error:
            trakt_read([("trakt.zip", data), ("h.json", json_file(watched(ALIEN)))])

        assert str(error.value) == (
            "trakt.zip is a ZIP, which is imported alone: upload it, or JSON files, not both."
        )
