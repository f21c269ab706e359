"""A lone surrogate in a JSON string ("\\ud800") is a rejected row, never a traceback.

JSON's escapes can say half of a UTF-16 pair; Python reads it into a str that UTF-8
cannot encode, and the imports ended in UnicodeEncodeError (the admin's upload in a 500
on PostgreSQL). json.dumps writes such a str as the escape, as a file would hold it.
"""

import json
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.urls import reverse

from catalog.models import Genre, Movie, Review
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

SURROGATE = "holds a lone surrogate (half a character, such as \\ud800), which is not text"


def jsonl(path, *records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def tmdb_file(tmp_path):
    return jsonl(
        tmp_path / "tmdb.jsonl",
        {"id": 601, "title": "Bad \ud800 title"},  # the first line: a row, not the format
        {"id": 602, "title": "Fine", "original_title": "Low \udc00 half"},
        {"id": 603, "title": "The Matrix", "genres": [{"id": 1, "name": "Dra\udbffma"}]},
        {"id": 604, "title": "Pair \ud83c\udfac kept"},  # a whole pair is one character
    )


def test_tmdb_rejects_each_line_with_a_lone_surrogate(run_import, tmp_path):
    out, err = run_import("import_tmdb", tmdb_file(tmp_path))

    assert err.splitlines() == [
        f"tmdb.jsonl:1: 'title' {SURROGATE}",
        f"tmdb.jsonl:2: 'original_title' {SURROGATE}",
        f"tmdb.jsonl:3: the genre 'Dra\\udbffma' {SURROGATE}",
    ]
    assert "movies: 1 created, 0 updated, 0 skipped, 3 rejected" in out
    assert list(Movie.objects.values_list("title", flat=True)) == ["Pair \U0001f3ac kept"]
    assert not Genre.objects.exists()


def test_tweets_rejects_each_line_with_a_lone_surrogate(run_import, tmp_path):
    film = MovieFactory(tmdb_id=348)
    path = jsonl(
        tmp_path / "tweets.jsonl",
        {"tweet_id": "1", "text": "lone \ud800 here", "tmdb_id": 348},
        {"tweet_id": "2", "text": "fine", "author": "@\udfff", "tmdb_id": 348},
        {"tweet_id": "3", "text": "fine", "tmdb_id": 348, "user": {"screen_name": "\ud800"}},
        {"tweet_id": "4", "text": "fine", "title": "Ali\ud800en", "year": 1979},
        {"tweet_id": "5", "text": "fine", "tmdb_id": 348},
    )

    out, err = run_import("import_tweets", path)

    assert err.splitlines() == [
        f"tweets.jsonl:1: 'text' {SURROGATE}",
        f"tweets.jsonl:2: 'author' {SURROGATE}",
        f"tweets.jsonl:3: 'screen_name' {SURROGATE}",
        f"tweets.jsonl:4: 'title' {SURROGATE}",
    ]
    assert "reviews: 1 created, 0 updated, 0 skipped, 4 rejected" in out
    assert list(Review.objects.values_list("movie", "tweet_id")) == [(film.pk, 5)]


def test_a_first_line_of_the_wrong_kind_names_its_keys_as_text(run_import, tmp_path):
    path = jsonl(tmp_path / "tmdb.jsonl", {"\ud800": 1})

    with pytest.raises(CommandError) as refused:
        run_import("import_tmdb", path)

    assert "an object with '\\ud800'" in str(refused.value)
    str(refused.value).encode("utf-8")  # printable, as the admin shows it


@pytest.mark.parametrize("kind", ["tmdb", "tweets"])
def test_the_admin_upload_shows_the_rejection(staff_client, tmp_path, kind):
    MovieFactory(tmdb_id=348)
    if kind == "tmdb":
        path = tmdb_file(tmp_path)
        rejected = "movies: 1 created, 0 updated, 0 skipped, 3 rejected"
    else:
        path = jsonl(
            tmp_path / "tweets.jsonl", {"tweet_id": "1", "text": "lone \ud800", "tmdb_id": 348}
        )
        rejected = "reviews: 0 created, 0 updated, 0 skipped, 1 rejected"
    upload = SimpleUploadedFile(path.name, path.read_bytes())

    response = staff_client.post(
        reverse("admin:catalog_movie_import"), {"kind": kind, "file": upload}
    )

    assert response.status_code == HTTPStatus.OK
    assert rejected in response.text
    assert "lone surrogate" in response.text
