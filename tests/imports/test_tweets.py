"""import_tweets: reviews keyed by tweet id, with VADER's sentiment computed offline."""

import datetime as dt
import io
import json
import socket

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone

from catalog.importers import sentiment, tweets
from catalog.models import Review, ReviewSource
from tests.factories import MovieFactory
from tests.imports.conftest import DATA

pytestmark = pytest.mark.django_db

TWEETS = DATA / "tweets.jsonl"


@pytest.fixture
def films():
    return {
        "alien": MovieFactory(title="Alien", tmdb_id=348, imdb_id="tt0078748", year=1979),
        "aliens": MovieFactory(title="Aliens", tmdb_id=679, imdb_id="tt0090605", year=1986),
        "seven": MovieFactory(title="Se7en", tmdb_id=807, imdb_id="tt0114369", year=1995),
        "amelie": MovieFactory(title="Amélie", tmdb_id=194, imdb_id="tt0211915", year=2001),
    }


def test_tweets_become_twitter_reviews_of_the_films_they_name(run_import, films):
    out, err = run_import("import_tweets", TWEETS)

    assert "reviews: 4 created, 0 updated, 1 skipped, 4 rejected" in out
    assert err.splitlines() == [
        "tweets.jsonl:6: no film in the catalog is TMDB id 424242",
        "tweets.jsonl:7: 'created_at' should be an ISO 8601 time with a time zone, not 'yesterday'",
        "tweets.jsonl:8: 'text' is missing or empty",
        "tweets.jsonl:9: no film: give 'tmdb_id', 'imdb_id', or 'title' and 'year'",
    ]
    reviews = {review.tweet_id: review for review in Review.objects.all()}
    loved = reviews[1452000000000000001]
    assert (loved.movie, loved.source, loved.author) == (
        films["alien"],
        ReviewSource.TWITTER,
        "@ripley_fan",
    )
    assert loved.posted_at.isoformat() == "2021-10-23T20:15:00+00:00"
    assert reviews[1452000000000000002].movie == films["aliens"]  # by IMDb id
    assert reviews[1452000000000000003].movie == films["seven"]  # by title and year, any case
    amelie = reviews[1452000000000000004]  # Twitter's own field names
    assert (amelie.movie, amelie.author) == (films["amelie"], "@cinephile_fr")
    assert amelie.text.startswith("Le Fabuleux destin d'Amélie Poulain ❤️")
    # Reviews are read as they are: the engine has nothing to learn again.
    assert "build_similarities" not in out


def test_each_review_has_a_sentiment_score_and_label(run_import, films):
    run_import("import_tweets", TWEETS)

    scored = {
        review.tweet_id: (review.sentiment_label, review.sentiment_score)
        for review in Review.objects.all()
    }
    label, score = scored[1452000000000000001]
    assert label == "positive"
    assert score >= 0.05
    label, score = scored[1452000000000000002]
    assert label == "negative"
    assert score <= -0.05
    assert scored[1452000000000000003] == ("neutral", 0.0)


def test_the_sentiment_model_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    sentiment.analyzer.cache_clear()  # load the lexicon again, with the network cut

    assert sentiment.sentiment_of("What a wonderful, moving film!")[1] == "positive"
    assert sentiment.sentiment_of("Dull, awful and far too long.")[1] == "negative"


def test_a_second_run_changes_nothing(run_import, films):
    run_import("import_tweets", TWEETS)

    out, _ = run_import("import_tweets", TWEETS)

    assert "reviews: 0 created, 0 updated, 5 skipped, 4 rejected" in out
    assert "Nothing changed" in out
    assert Review.objects.count() == 4


def test_a_line_that_is_not_utf8_is_rejected_on_its_own_line(run_import, films, tmp_path):
    # Far down the file: the text reader decodes blocks ahead of the line it is on.
    path = tmp_path / "latin1.jsonl"
    good = '{"tweet_id": %d, "text": "Alien holds up", "tmdb_id": 348}\n'
    with open(path, "wb") as handle:
        handle.write("".join(good % tweet for tweet in range(1, 3001)).encode())
        handle.write(b'{"tweet_id": 9001, "text": "Am\xe9lie", "tmdb_id": 194}\n')
        handle.write((good % 9002).encode())

    out, err = run_import("import_tweets", path)

    assert "latin1.jsonl:3001: not UTF-8 text" in err.splitlines()
    assert "reviews: 3001 created, 0 updated, 0 skipped, 1 rejected" in out
    assert not Review.objects.filter(tweet_id=9001).exists()


def test_an_edited_tweet_updates_its_review(run_import, films, tmp_path):
    run_import("import_tweets", TWEETS)
    lines = TWEETS.read_text(encoding="utf-8").splitlines()
    edited = lines[1].replace("boring and way too long. Hated it.", "great fun, loved it!")
    path = tmp_path / "edited.jsonl"
    path.write_text(edited + "\n", encoding="utf-8")

    out, _ = run_import("import_tweets", path)

    assert "reviews: 0 created, 1 updated, 0 skipped" in out
    assert Review.objects.get(tweet_id=1452000000000000002).sentiment_label == "positive"


def test_a_tweet_id_twice_with_different_text_is_rejected(run_import, films, tmp_path):
    path = tmp_path / "twice.jsonl"
    path.write_text(
        '{"tweet_id": 5, "text": "one", "tmdb_id": 348}\n'
        '{"tweet_id": 5, "text": "two", "tmdb_id": 348}\n'
    )

    _, err = run_import("import_tweets", path)

    assert err.strip() == "twice.jsonl:2: tweet 5 is already on line 1"
    assert Review.objects.get().text == "one"


def far_repeat(tmp_path, between: int):
    """A tweet on line 1, `between` others, then the same tweet id edited, then line 1 again."""
    path = tmp_path / "far.jsonl"
    tweet = '{"tweet_id": %d, "text": "%s", "tmdb_id": 348}\n'
    lines = [tweet % (5, "original tweet")]
    lines += [tweet % (100 + number, "another tweet") for number in range(between)]
    lines += [tweet % (5, "edited tweet"), tweet % (5, "original tweet")]
    path.write_text("".join(lines))
    return path


@pytest.mark.parametrize("batch_size", [1, 2, 2000])
def test_a_tweet_id_repeated_in_a_later_batch_is_rejected_and_the_first_stands(
    run_import, films, tmp_path, batch_size
):
    # The repeat was found within a batch only: a later one overwrote the first line's
    # review, and every run after said "updated", twice.
    path = far_repeat(tmp_path, between=2)

    out, err = run_import("import_tweets", path, batch_size=batch_size)

    assert err.splitlines() == ["far.jsonl:4: tweet 5 is already on line 1"]
    assert "reviews: 3 created, 0 updated, 1 skipped, 1 rejected" in out
    assert Review.objects.get(tweet_id=5).text == "original tweet"

    out, _ = run_import("import_tweets", path, batch_size=batch_size)

    assert "reviews: 0 created, 0 updated, 4 skipped, 1 rejected" in out
    assert "Nothing changed" in out
    assert Review.objects.get(tweet_id=5).text == "original tweet"


def test_a_repeat_found_in_a_later_batch_is_listed_in_the_file_s_order(run_import, films, tmp_path):
    path = tmp_path / "order.jsonl"
    path.write_text(
        '{"tweet_id": 5, "text": "one", "tmdb_id": 348}\n'
        '{"tweet_id": 6, "text": "two", "tmdb_id": 348}\n'
        '{"tweet_id": 5, "text": "three", "tmdb_id": 348}\n'
        "not json\n"
        '{"tweet_id": 7, "text": "who?", "tmdb_id": 424242}\n'
    )

    _, err = run_import("import_tweets", path, batch_size=2)

    assert err.splitlines() == [
        "order.jsonl:3: tweet 5 is already on line 1",
        "order.jsonl:4: not JSON (Expecting value)",
        "order.jsonl:5: no film in the catalog is TMDB id 424242",
    ]


def test_a_tweet_dated_later_than_tomorrow_or_before_twitter_is_rejected(
    run_import, films, tmp_path
):
    """A tweet of 2099 was imported, and its review shown first on the film's page."""
    in_an_hour = (timezone.now() + dt.timedelta(hours=1)).isoformat()  # a clock that is off
    dates = ["2099-01-01T00:00:00Z", "2001-09-01T12:00:00Z", "2006-03-21T20:50:00Z", in_an_hour]
    path = tmp_path / "tweets.jsonl"
    tweets = [
        {"tweet_id": number, "text": "wow", "tmdb_id": 348, "created_at": created_at}
        for number, created_at in enumerate(dates, start=1)
    ]
    path.write_text("".join(json.dumps(tweet) + "\n" for tweet in tweets))

    out, err = run_import("import_tweets", path)

    assert err.splitlines() == [
        "tweets.jsonl:1: 'created_at' '2099-01-01T00:00:00Z' is later than tomorrow",
        "tweets.jsonl:2: 'created_at' '2001-09-01T12:00:00Z' is before Twitter began "
        "(21 March 2006)",
    ]
    assert "reviews: 2 created, 0 updated, 0 skipped, 2 rejected" in out
    assert sorted(Review.objects.values_list("tweet_id", flat=True)) == [3, 4]


def test_a_title_without_its_year_says_the_year_is_missing(run_import, films, tmp_path):
    MovieFactory(title="Alien", tmdb_id=None, imdb_id=None, year=2003, release_date=None)
    path = tmp_path / "tweets.jsonl"
    path.write_text(
        '{"tweet_id": 1, "text": "wow", "title": "Alien"}\n'
        '{"tweet_id": 2, "text": "wow", "title": "Nope"}\n'
    )

    _, err = run_import("import_tweets", path)

    assert err.splitlines() == [
        "tweets.jsonl:1: 'year' is missing: give it, to choose among “Alien” (1979), "
        "“Alien” (2003)",
        "tweets.jsonl:2: no film in the catalog is “Nope”, and 'year' is missing",
    ]


def test_films_the_year_cannot_tell_apart_are_told_apart_by_an_id(run_import, films, tmp_path):
    """Giving the year cannot choose between two films "Alien" of 1979: an id can."""
    MovieFactory(title="Alien", tmdb_id=None, imdb_id=None, year=1979, release_date=None)
    path = tmp_path / "tweets.jsonl"
    path.write_text(
        '{"tweet_id": 1, "text": "wow", "title": "Alien"}\n'
        '{"tweet_id": 2, "text": "wow", "title": "Alien", "year": 1979}\n'
        '{"tweet_id": 3, "text": "wow", "title": "Alien", "year": 1979, "tmdb_id": 348}\n'
    )

    _, err = run_import("import_tweets", path)

    assert err.splitlines() == [
        "tweets.jsonl:1: several films in the catalog are “Alien” (1979): give a TMDB or IMDb "
        "id to choose",
        "tweets.jsonl:2: several films in the catalog are “Alien” (1979): give a TMDB or IMDb "
        "id to choose",
    ]
    assert Review.objects.get().movie == films["alien"]


def test_a_run_stopped_by_strict_does_not_say_nothing_changed(films, tmp_path):
    path = tmp_path / "tweets.jsonl"
    path.write_text(
        "".join(f'{{"tweet_id": {n}, "text": "good", "tmdb_id": 348}}\n' for n in (1, 2, 3))
        + '{"tweet_id": 4, "text": "who?", "tmdb_id": 424242}\n'
    )
    out = io.StringIO()

    with pytest.raises(CommandError, match="tweets.jsonl:4: no film"):
        call_command("import_tweets", str(path), strict=True, stdout=out, stderr=io.StringIO())

    assert "reviews: 0 created, 0 updated, 0 skipped, 0 rejected" in out.getvalue()
    assert "Nothing changed" not in out.getvalue()
    assert not Review.objects.exists()


def test_a_run_the_database_stopped_does_not_say_nothing_changed(films, monkeypatch):
    def unmigrated():
        raise DatabaseError("no such table: catalog_movie")

    monkeypatch.setattr(tweets.MovieIndex, "load", unmigrated)
    out = io.StringIO()

    with pytest.raises(CommandError, match="no such table"):
        call_command("import_tweets", str(TWEETS), stdout=out, stderr=io.StringIO())

    assert "Nothing changed" not in out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ('{"id": 550, "title": "Fight Club"}\n', "does not look like tweets"),
        ("userId,movieId,rating,timestamp\n1,1,4.0,1\n", "is neither JSON lines nor"),
    ],
)
def test_a_file_in_the_wrong_format_is_refused(run_import, films, tmp_path, content, message):
    path = tmp_path / "tweets.jsonl"
    path.write_text(content)

    with pytest.raises(CommandError, match=message):
        run_import("import_tweets", path)
    assert not Review.objects.exists()
