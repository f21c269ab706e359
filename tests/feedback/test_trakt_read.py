"""Trakt's JSON files read (feedback/trakt.py): the items by kind, told apart by their
keys; the items rejected, with file, item number and reason; the files refused whole.

The builders here write items as Trakt's API v2 (/sync/history, /sync/ratings,
/sync/watchlist) and its export give them; the other Trakt tests use them."""

import json

import pytest

from feedback.trakt import TraktFormatError, trakt_read

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


ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)


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
        (b'{"movie": 1}', "history.json is not a JSON array of items"),
        (b"\xff\xfe\x00", "history.json is not UTF-8 text"),
        (b"", "history.json is not JSON"),
        (b"[" * 100_000, "history.json is not JSON"),
        (
            json_file({"last_watched_at": "2024-01-01T00:00:00Z", "plays": 2}, 3),
            "none of its items has watched_at, rated_at or listed_at",
        ),
    ],
    ids=["html", "object", "binary", "empty-file", "too-deep", "watched-not-history"],
)
def test_a_file_that_is_not_an_export_is_refused_whole_in_one_line(data, message):
    with pytest.raises(TraktFormatError) as error:
        trakt_read([("ratings.json", json_file(rated(ALIEN, 8))), ("history.json", data)])

    assert message in str(error.value)
    assert "\n" not in str(error.value)
