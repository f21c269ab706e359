"""import_tmdb: TMDB's movie details, one object or JSON lines, collections, re-runs."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Movie, MovieRelationship, RaterKind, Rating, RatingSource
from tests.factories import MovieFactory, MovieRelationshipFactory
from tests.imports.conftest import DATA
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db

LINES = DATA / "tmdb_movies.jsonl"
SINGLE = DATA / "tmdb_single.json"
ALIEN, ALIENS, ALIEN_3 = 348, 679, 8077


def pairs(kind: str) -> set[tuple[int, int]]:
    return set(
        MovieRelationship.objects.filter(relationship_type=kind).values_list(
            "from_movie__tmdb_id", "to_movie__tmdb_id"
        )
    )


def test_one_pretty_printed_object_imports_every_field(run_import):
    out, err = run_import("import_tmdb", SINGLE)

    assert "movies: 1 created, 0 updated, 0 skipped, 0 rejected" in out
    assert err == ""
    movie = Movie.objects.get(tmdb_id=550)
    assert (movie.title, movie.original_title, movie.imdb_id) == (
        "Fight Club",
        "Fight Club",
        "tt0137523",
    )
    assert (movie.release_date, movie.year, movie.runtime_minutes) == (
        dt.date(1999, 10, 15),
        1999,
        139,
    )
    assert movie.overview.startswith("A ticking-time-bomb insomniac")
    assert movie.popularity == 61.416
    assert sorted(genre.name for genre in movie.genres.all()) == ["Comedy", "Drama", "Thriller"]
    votes = Rating.objects.get(movie=movie)
    assert (votes.source, votes.rater_kind, votes.value, votes.vote_count) == (
        RatingSource.TMDB,
        RaterKind.AGGREGATE,
        8.433,
        26280,
    )
    assert (votes.scale_min, votes.scale_max) == (0, 10)


def test_json_lines_import_with_bad_lines_listed(run_import):
    out, err = run_import("import_tmdb", LINES)

    assert "movies: 5 created, 0 updated, 1 skipped, 4 rejected" in out
    assert "ratings: 4 created" in out  # the film without votes has no aggregate
    assert err.splitlines() == [
        "tmdb_movies.jsonl:7: 'id' should be a whole number from 1 to 2147483647, "
        "not 'not-a-number'",
        "tmdb_movies.jsonl:8: 'release_date' should be a YYYY-MM-DD date, not '2003-13-45'",
        "tmdb_movies.jsonl:9: not JSON (Expecting value)",
        "tmdb_movies.jsonl:10: 'imdb_id' 'nm0000158' is not 'tt' followed by 7 to 10 digits",
    ]
    odd = Movie.objects.get(tmdb_id=99999001)
    assert odd.title == "Le Fabuleux (projet) — « inédit »"
    assert (odd.release_date, odd.year, odd.runtime_minutes, odd.imdb_id) == (None,) * 4
    assert not Rating.objects.filter(movie=odd).exists()


def test_a_collection_becomes_a_franchise_ordered_by_release_date(run_import):
    out, _ = run_import("import_tmdb", LINES)

    assert "relationships: 10 created" in out
    assert pairs("sequel") == {(ALIEN, ALIENS), (ALIENS, ALIEN_3)}  # Aliens is a sequel of Alien
    assert pairs("prequel") == {(ALIENS, ALIEN), (ALIEN_3, ALIENS)}
    films = {ALIEN, ALIENS, ALIEN_3}
    assert pairs("same_franchise") == {(a, b) for a in films for b in films if a != b}


def test_a_second_run_changes_nothing(run_import):
    run_import("import_tmdb", LINES, batch_size=2)
    before = list(Movie.objects.values().order_by("pk"))

    out, _ = run_import("import_tmdb", LINES, batch_size=2)

    assert "movies: 0 created, 0 updated, 6 skipped, 4 rejected" in out
    assert "relationships: 0 created, 0 updated, 10 skipped" in out
    assert "Nothing changed" in out
    assert list(Movie.objects.values().order_by("pk")) == before
    assert_stats_match_the_ratings()


def write_films(path, *films: tuple[int, str, str | None]):
    """JSON lines of films of the Alien collection: (TMDB id, title, release date)."""
    lines = []
    for tmdb_id, title, released in films:
        record = {"id": tmdb_id, "title": title, "belongs_to_collection": {"id": 8091}}
        if released:
            record["release_date"] = released
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n")
    return path


ALIEN_4 = 8078


def test_a_corrected_release_date_replaces_the_order_it_gave(run_import, tmp_path):
    run_import(
        "import_tmdb",
        write_films(
            tmp_path / "t1.jsonl", (ALIEN, "Alien", "1979-05-25"), (ALIENS, "Aliens", "1970-01-01")
        ),
    )
    assert pairs("sequel") == {(ALIENS, ALIEN)}

    out, _ = run_import(
        "import_tmdb",
        write_films(
            tmp_path / "t2.jsonl", (ALIEN, "Alien", "1979-05-25"), (ALIENS, "Aliens", "1986-07-18")
        ),
    )

    assert "relationships: 2 created, 0 updated, 2 skipped, 0 rejected, 2 removed" in out
    assert pairs("sequel") == {(ALIEN, ALIENS)}
    assert pairs("prequel") == {(ALIENS, ALIEN)}
    out, _ = run_import("import_tmdb", tmp_path / "t2.jsonl")
    assert "relationships: 0 created, 0 updated, 4 skipped, 0 rejected\n" in out
    assert "Nothing changed" in out


def test_a_collection_is_ordered_with_the_films_earlier_files_gave(run_import, tmp_path):
    run_import(
        "import_tmdb",
        write_films(
            tmp_path / "a.jsonl", (ALIEN, "Alien", "1979-05-25"), (ALIEN_3, "Alien³", "1992-05-22")
        ),
    )
    assert pairs("sequel") == {(ALIEN, ALIEN_3)}

    # Aliens without its date: the catalog's is the one that places it.
    MovieFactory(tmdb_id=ALIENS, title="Aliens", release_date=dt.date(1986, 7, 18))
    run_import(
        "import_tmdb",
        write_films(
            tmp_path / "b.jsonl",
            (ALIENS, "Aliens", None),
            (ALIEN_4, "Alien Resurrection", "1997-11-26"),
        ),
    )

    assert pairs("sequel") == {(ALIEN, ALIENS), (ALIENS, ALIEN_3), (ALIEN_3, ALIEN_4)}
    assert pairs("prequel") == {(ALIENS, ALIEN), (ALIEN_3, ALIENS), (ALIEN_4, ALIEN_3)}
    films = {ALIEN, ALIENS, ALIEN_3, ALIEN_4}
    assert pairs("same_franchise") == {(a, b) for a in films for b in films if a != b}


def test_no_link_derived_from_a_collection_contradicts_another(run_import, tmp_path):
    """MovieRelationship.clean() refuses a link that says the opposite of one recorded:
    each derived link, entered anew in the admin, is refused by none the import wrote."""
    path = write_films(
        tmp_path / "t.jsonl",
        (ALIEN, "Alien", "1979-05-25"),
        (ALIENS, "Aliens", "1986-07-18"),
        (ALIEN_3, "Alien³", "1992-05-22"),
        (ALIEN_4, "Alien Resurrection", "1992-05-22"),
    )
    run_import("import_tmdb", path)

    derived = list(MovieRelationship.objects.select_related("from_movie", "to_movie"))
    assert {link.relationship_type for link in derived} == {"sequel", "prequel", "same_franchise"}
    for link in derived:
        link.delete()
        again = MovieRelationship(
            from_movie=link.from_movie,
            to_movie=link.to_movie,
            relationship_type=link.relationship_type,
        )
        again.full_clean()
        again.save()


def test_films_released_the_same_day_are_no_sequel_of_each_other(run_import, tmp_path):
    path = write_films(
        tmp_path / "t.jsonl",
        (ALIEN, "Alien", "1979-05-25"),
        (ALIENS, "Aliens", "1986-07-18"),
        (ALIEN_3, "Alien³", "1986-07-18"),
    )

    run_import("import_tmdb", path)

    assert pairs("sequel") == {(ALIEN, ALIENS), (ALIEN, ALIEN_3)}
    assert pairs("prequel") == {(ALIENS, ALIEN), (ALIEN_3, ALIEN)}


def test_links_entered_by_hand_are_never_touched(run_import, tmp_path):
    alien = MovieFactory(tmdb_id=ALIEN, title="Alien", release_date=dt.date(1979, 5, 25))
    aliens = MovieFactory(tmdb_id=ALIENS, title="Aliens", release_date=dt.date(1986, 7, 18))
    # Staff's word, against the release order, and a link the import derives too.
    kept = MovieRelationshipFactory(from_movie=aliens, to_movie=alien, weight=0.3)
    same = MovieRelationshipFactory(
        from_movie=alien, to_movie=aliens, relationship_type="same_franchise", weight=0.5
    )
    path = write_films(
        tmp_path / "t.jsonl", (ALIEN, "Alien", "1979-05-25"), (ALIENS, "Aliens", "1986-07-18")
    )

    run_import("import_tmdb", path)

    assert pairs("sequel") == {(ALIENS, ALIEN), (ALIEN, ALIENS)}
    kept.refresh_from_db()
    same.refresh_from_db()
    assert (kept.weight, kept.derived_from_collection) == (0.3, None)
    assert (same.weight, same.derived_from_collection) == (0.5, None)
    assert MovieRelationship.objects.count() == 5  # the two above, and three derived


def write_record(path, **record):
    path.write_text(json.dumps(record) + "\n")
    return path


def all_links() -> set[tuple]:
    return set(
        MovieRelationship.objects.values_list(
            "from_movie__tmdb_id",
            "to_movie__tmdb_id",
            "relationship_type",
            "weight",
            "derived_from_collection",
        )
    )


@pytest.fixture
def alien_collection(run_import, tmp_path):
    """Alien, Aliens and Alien³ in their collection, with two links staff entered: one the
    collection derives too (so it is not derived a second time), one it never derives."""
    alien = MovieFactory(tmdb_id=ALIEN, title="Alien", release_date=dt.date(1979, 5, 25))
    aliens = MovieFactory(tmdb_id=ALIENS, title="Aliens", release_date=dt.date(1986, 7, 18))
    by_hand = [
        MovieRelationshipFactory(
            from_movie=alien, to_movie=aliens, relationship_type="same_franchise", weight=0.5
        ),
        MovieRelationshipFactory(
            from_movie=aliens, to_movie=alien, relationship_type="similar", weight=0.9
        ),
    ]
    run_import(
        "import_tmdb",
        write_films(
            tmp_path / "collection.jsonl",
            (ALIEN, "Alien", "1979-05-25"),
            (ALIENS, "Aliens", "1986-07-18"),
            (ALIEN_3, "Alien³", "1992-05-22"),
        ),
    )
    return by_hand


def test_a_null_collection_takes_the_film_out_of_its_collection(
    run_import, tmp_path, alien_collection
):
    path = write_record(
        tmp_path / "aliens.jsonl",
        id=ALIENS,
        title="Aliens",
        release_date="1986-07-18",
        belongs_to_collection=None,
    )

    out, _ = run_import("import_tmdb", path)

    assert "movies: 0 created, 1 updated, 0 skipped, 0 rejected" in out
    # Aliens' seven derived links go; Alien³ becomes Alien's sequel.
    assert "relationships: 2 created, 0 updated, 2 skipped, 0 rejected, 7 removed" in out
    assert Movie.objects.get(tmdb_id=ALIENS).tmdb_collection_id is None
    assert pairs("sequel") == {(ALIEN, ALIEN_3)}
    assert pairs("prequel") == {(ALIEN_3, ALIEN)}
    assert pairs("same_franchise") == {(ALIEN, ALIEN_3), (ALIEN_3, ALIEN), (ALIEN, ALIENS)}
    for link in alien_collection:  # staff's links stay as they were
        assert MovieRelationship.objects.filter(
            pk=link.pk, weight=link.weight, derived_from_collection=None
        ).exists()
    out, _ = run_import("import_tmdb", path)
    assert "movies: 0 created, 0 updated, 1 skipped, 0 rejected" in out
    assert "Nothing changed" in out


def test_a_line_without_belongs_to_collection_leaves_the_film_in_it(
    run_import, tmp_path, alien_collection
):
    links = all_links()
    path = write_record(
        tmp_path / "aliens.jsonl", id=ALIENS, title="Aliens", release_date="1986-07-18"
    )

    out, _ = run_import("import_tmdb", path)

    assert "Nothing changed" in out
    assert Movie.objects.get(tmdb_id=ALIENS).tmdb_collection_id == 8091
    assert all_links() == links


def test_a_line_without_belongs_to_collection_still_reorders_the_collection(
    run_import, tmp_path, alien_collection
):
    # A release date moved past Alien³'s, by a record that does not name the collection.
    path = write_record(
        tmp_path / "aliens.jsonl", id=ALIENS, title="Aliens", release_date="1995-07-18"
    )

    out, _ = run_import("import_tmdb", path)

    assert "relationships: 4 created, 0 updated, 6 skipped, 0 rejected, 4 removed" in out
    assert Movie.objects.get(tmdb_id=ALIENS).tmdb_collection_id == 8091
    assert pairs("sequel") == {(ALIEN, ALIEN_3), (ALIEN_3, ALIENS)}
    assert pairs("prequel") == {(ALIEN_3, ALIEN), (ALIENS, ALIEN_3)}


def test_the_same_id_again_with_other_values_is_rejected(run_import, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"id": 777001, "title": "Draft Title"}\n'
        '{"id": 777001, "title": "Final Title"}\n'
        '{"id": 777001, "title": "Draft Title", "poster_path": "/ignored.jpg"}\n'
    )

    out, err = run_import("import_tmdb", path)

    assert "movies: 1 created, 0 updated, 1 skipped, 1 rejected" in out
    assert err.splitlines() == ["t.jsonl:2: TMDB id 777001 is already on line 1 with other values"]
    assert Movie.objects.get(tmdb_id=777001).title == "Draft Title"


def test_in_no_collection_and_silent_on_it_are_other_values(run_import, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"id": 777001, "title": "Draft Title"}\n'
        '{"id": 777001, "title": "Draft Title", "belongs_to_collection": null}\n'
    )

    _, err = run_import("import_tmdb", path)

    assert err.splitlines() == ["t.jsonl:2: TMDB id 777001 is already on line 1 with other values"]


def test_tmdb_replaces_what_it_knows_and_keeps_the_rest(run_import, tmp_path):
    movie = MovieFactory(
        tmdb_id=None,
        imdb_id="tt0137523",
        title="fight club",
        release_date=dt.date(1999, 1, 1),
        overview="Our own words.",
        runtime_minutes=100,
    )
    record = json.loads(SINGLE.read_text())
    record.update(overview="", runtime=0)  # TMDB's "unknown"
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record))

    out, _ = run_import("import_tmdb", path)

    assert "movies: 0 created, 1 updated" in out
    movie.refresh_from_db()
    assert (movie.tmdb_id, movie.title, movie.release_date, movie.year) == (
        550,
        "Fight Club",
        dt.date(1999, 10, 15),
        1999,
    )
    assert (movie.overview, movie.runtime_minutes) == ("Our own words.", 100)


def test_a_changed_vote_average_updates_the_aggregate(run_import, tmp_path):
    run_import("import_tmdb", SINGLE)
    record = json.loads(SINGLE.read_text())
    record.update(vote_average=8.5, vote_count=26300)
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(record))

    out, _ = run_import("import_tmdb", path)

    assert "ratings: 0 created, 1 updated, 0 skipped" in out
    assert Rating.objects.get().vote_count == 26300


def test_no_votes_any_more_removes_the_aggregate(run_import, tmp_path):
    run_import("import_tmdb", SINGLE)
    record = json.loads(SINGLE.read_text())
    record.update(vote_count=0)
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(record))

    out, _ = run_import("import_tmdb", path)

    assert "ratings: 0 created, 0 updated, 0 skipped, 0 rejected, 1 removed" in out
    assert "Nothing changed" not in out
    assert not Rating.objects.exists()
    assert_stats_match_the_ratings()
    out, _ = run_import("import_tmdb", path)
    assert "Nothing changed" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("{not json at all\n", "is neither JSON lines nor one JSON document"),
        ('{"tweet_id": 1, "text": "hello"}\n', "does not look like TMDB movie details"),
        ("[1, 2, 3]\n", "(line 1: a JSON list)"),
    ],
)
def test_a_file_in_the_wrong_format_is_refused(run_import, tmp_path, content, message):
    path = tmp_path / "movies.json"
    path.write_text(content)

    with pytest.raises(CommandError, match=re.escape(message)):
        run_import("import_tmdb", path)
    assert not Movie.objects.exists()


def test_a_binary_file_is_refused(run_import, tmp_path):
    path = tmp_path / "poster.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\xff\xff")

    with pytest.raises(CommandError, match=r"^poster\.jpg:1: not UTF-8 text$"):
        run_import("import_tmdb", path)


def test_a_missing_file_is_refused(run_import, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run_import("import_tmdb", tmp_path / "nowhere.json")


def test_strict_stops_at_the_first_bad_line(run_import):
    with pytest.raises(CommandError, match=r"^tmdb_movies\.jsonl:7: 'id' should be"):
        run_import("import_tmdb", LINES, strict=True, batch_size=4)

    # Lines 1-4 made the first batch of four; lines 5 and 6 were the unwritten second one.
    assert set(Movie.objects.values_list("tmdb_id", flat=True)) == {ALIEN, ALIENS, ALIEN_3, 807}


def test_a_tmdb_release_date_brings_its_year_to_a_film_that_had_another(run_import):
    """A MovieLens title said 1998; TMDB, which the import believes, says 1999-10-15."""
    movie = MovieFactory(
        tmdb_id=None, imdb_id="tt0137523", title="Fight Club", release_date=None, year=1998
    )

    out, err = run_import("import_tmdb", SINGLE)

    assert "movies: 0 created, 1 updated, 0 skipped, 0 rejected" in out
    assert err == ""
    movie.refresh_from_db()
    assert (movie.release_date, movie.year) == (dt.date(1999, 10, 15), 1999)


def test_a_tmdb_release_date_no_film_can_have_is_a_rejected_line(run_import, tmp_path):
    record = json.loads((SINGLE).read_text())
    path = tmp_path / "old.jsonl"
    path.write_text(
        json.dumps(record | {"id": 1, "imdb_id": None, "release_date": "1850-01-01"})
        + "\n"
        + json.dumps(record)
        + "\n"
    )

    out, err = run_import("import_tmdb", path)

    assert "movies: 1 created, 0 updated, 0 skipped, 1 rejected" in out
    assert err.splitlines() == ["old.jsonl:1: year: The year must be between 1870 and 2100."]
    assert list(Movie.objects.values_list("tmdb_id", "year")) == [(550, 1999)]


def test_strict_stopping_before_any_batch_is_written_still_gives_the_summary(tmp_path):
    """The error points at the summary above it: it names every kind the import reads,
    zeros included, though no batch was written to count them."""
    path = tmp_path / "movies.jsonl"
    good = json.loads(SINGLE.read_text())
    path.write_text(
        json.dumps(good) + "\n" + json.dumps({"id": 9002, "title": "Bad", "popularity": "x"}) + "\n"
    )
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"^movies\.jsonl:2: .*\(--strict: stopped here;"):
        call_command("import_tmdb", str(path), strict=True, stdout=out, stderr=io.StringIO())

    assert out.getvalue().splitlines() == [
        "movies: 0 created, 0 updated, 0 skipped, 0 rejected",
        "genres: 0 created, 0 updated, 0 skipped, 0 rejected",
        "ratings: 0 created, 0 updated, 0 skipped, 0 rejected",
        "relationships: 0 created, 0 updated, 0 skipped, 0 rejected",
    ]
    assert not Movie.objects.exists()


def test_a_whole_run_s_summary_names_the_same_kinds_in_the_same_order(run_import):
    out, _ = run_import("import_tmdb", SINGLE)

    assert out.splitlines() == [
        "movies: 1 created, 0 updated, 0 skipped, 0 rejected",
        "genres: 3 created, 0 updated, 0 skipped, 0 rejected",
        "ratings: 1 created, 0 updated, 0 skipped, 0 rejected",
        "relationships: 0 created, 0 updated, 0 skipped, 0 rejected",
        "Recommendations learn from these films and ratings once manage.py "
        "build_similarities has run again.",
    ]
