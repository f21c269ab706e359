"""The demo data set: it loads, loads again without changing a thing, and tells a story."""

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from catalog.importers.writing import Synced
from catalog.models import (
    IMDB_ID_PATTERN,
    Genre,
    Movie,
    MovieRelationship,
    RaterKind,
    Rating,
    RelationshipType,
    Review,
)
from feedback.models import Media, UserFeedback, ViewingHistory
from feedback.services import feedback_record, marquee_ratings_sync
from tests.factories import MovieFactory
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.json"
DEMO_USERNAME, DEMO_PASSWORD = "demo", "marquee-demo"
ALIEN, ALIENS = 348, 679


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, many-to-many link tables included, in primary-key order."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def relationship_pairs(kind: str) -> set[tuple[int, int]]:
    return set(
        MovieRelationship.objects.filter(relationship_type=kind).values_list(
            "from_movie__tmdb_id", "to_movie__tmdb_id"
        )
    )


def write_json(path, data) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def loaded(db) -> str:
    return load()


def test_the_demo_loads_every_row_of_the_file(loaded, demo_data):
    (user,) = demo_data["users"]
    assert Movie.objects.count() == len(demo_data["movies"])
    assert MovieRelationship.objects.count() == len(demo_data["relationships"])
    assert Review.objects.count() == len(demo_data["reviews"])
    # And the demo person's Marquee rating of each film they rated, from their feedback.
    rated_films = UserFeedback.objects.filter(rating__isnull=False).values("media__movie")
    marquee = Rating.objects.filter(source="marquee", rater_kind=RaterKind.USER)
    assert marquee.count() == rated_films.distinct().count() > 0
    assert Rating.objects.count() == len(demo_data["ratings"]) + marquee.count()
    assert Media.objects.count() == len(demo_data["media"])
    assert UserFeedback.objects.count() == len(user["feedback"])
    assert ViewingHistory.objects.count() == len(user["history"])
    assert len(loaded.splitlines()) == 1
    assert_stats_match_the_ratings()
    assert loaded.startswith(f"Demo data: {len(demo_data['movies'])} movies, ")
    assert "(0 created" not in loaded


def test_loading_twice_changes_no_row_and_no_value(loaded):
    before = snapshot()

    output = load()

    assert snapshot() == before
    assert output.strip().endswith("(0 created, 0 updated on this run)")


def test_reloading_an_edited_file_updates_only_what_changed(loaded, demo_data, tmp_path):
    alien = Movie.objects.get(tmdb_id=ALIEN)
    aliens_updated_at = Movie.objects.get(tmdb_id=ALIENS).updated_at
    movie = next(row for row in demo_data["movies"] if row["tmdb_id"] == ALIEN)
    movie["overview"] = "In space, no one can hear you scream."
    movie["genres"] = ["Horror"]

    output = load(file=write_json(tmp_path / "edited.json", demo_data))

    alien.refresh_from_db()
    assert alien.overview == "In space, no one can hear you scream."
    assert list(alien.genres.values_list("name", flat=True)) == ["Horror"]
    assert alien.updated_at > alien.created_at
    assert Movie.objects.get(tmdb_id=ALIENS).updated_at == aliens_updated_at
    # One movie row changed, and one of its genre links was dropped.
    assert output.strip().endswith("(0 created, 2 updated on this run)")


def test_a_genre_added_to_a_movie_creates_the_genre_and_one_link(loaded, demo_data, tmp_path):
    movie = next(row for row in demo_data["movies"] if row["tmdb_id"] == ALIEN)
    movie["genres"].append("Space Opera")

    output = load(file=write_json(tmp_path / "edited.json", demo_data))

    names = set(Movie.objects.get(tmdb_id=ALIEN).genres.values_list("name", flat=True))
    assert names == {*movie["genres"]}
    assert output.strip().endswith("(2 created, 0 updated on this run)")


def test_loading_again_only_reads(loaded):
    with CaptureQueriesContext(connection) as queries:
        load()

    statements = {query["sql"].split()[0].upper() for query in queries.captured_queries}
    assert "SELECT" in statements
    assert not statements & {"INSERT", "UPDATE", "DELETE"}


def change_the_demo(django_user_model):
    """What someone does after the first `make run`: renames a demo film, and the demo
    person rates one of their films differently."""
    alien = Movie.objects.get(tmdb_id=ALIEN)
    alien.title = "Alien (director's cut)"
    alien.save()
    person = django_user_model.objects.get(username=DEMO_USERNAME)
    rated = UserFeedback.objects.filter(user=person, rating__isnull=False).first()
    feedback_record(user=person, media=rated.media, rating=1 if rated.rating != 1 else 5)


def test_if_empty_loads_the_demo_into_a_catalog_without_films(django_user_model):
    output = load(if_empty=True)

    assert Movie.objects.exists()
    assert django_user_model.objects.filter(username=DEMO_USERNAME).exists()
    assert output.startswith("Demo data: ")


def test_if_empty_changes_nothing_once_the_catalog_has_films(loaded, django_user_model):
    change_the_demo(django_user_model)
    before = snapshot()

    output = load(if_empty=True)

    assert snapshot() == before
    films = Movie.objects.count()
    assert output == f"Demo data not loaded: the catalog already has {films} films (--if-empty).\n"


def test_if_empty_leaves_a_catalog_of_other_films_alone(django_user_model):
    MovieFactory()

    output = load(if_empty=True)

    assert Movie.objects.count() == 1
    assert not django_user_model.objects.exists()
    assert "the catalog already has 1 film (--if-empty)" in output


def test_loading_by_hand_syncs_the_demo_back_to_the_file(loaded, django_user_model):
    def titles_and_stars():
        return (
            list(Movie.objects.order_by("pk").values_list("title", flat=True)),
            list(UserFeedback.objects.order_by("pk").values_list("rating", flat=True)),
        )

    before = titles_and_stars()
    change_the_demo(django_user_model)

    load()

    assert titles_and_stars() == before
    assert marquee_ratings_sync(pairs=UserFeedback.objects.people_and_films()) == Synced()


def test_if_empty_on_a_database_not_migrated_is_a_one_line_error(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--if-empty"],
        cwd=settings.BASE_DIR,
        env=environment | {"DJANGO_DEBUG": "1", "MARQUEE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert result.stderr.strip().startswith(
        f"CommandError: There is no database file {tmp_path / 'marquee.sqlite3'}: run "
        "manage.py migrate to make one"
    )
    assert list(tmp_path.iterdir()) == []  # nor is one made


def test_make_run_loads_the_demo_only_into_an_empty_catalog():
    makefile = (settings.BASE_DIR / "Makefile").read_text(encoding="utf-8")

    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py load_demo --if-empty" in run_target


def test_every_movie_has_genres_valid_ids_and_consistent_facts(loaded):
    movies = Movie.objects.annotate(genre_count=Count("genres"))
    for movie in movies:
        assert movie.genre_count > 0, movie
        assert re.fullmatch(IMDB_ID_PATTERN, movie.imdb_id), movie
        assert movie.tmdb_id > 0, movie
        assert movie.year == movie.release_date.year, movie
        assert movie.runtime_minutes > 0, movie
        assert movie.overview, movie
    assert not Genre.objects.filter(movies=None).exists()


def test_every_row_passes_its_models_own_validation(loaded):
    # Bulk writes skip full_clean(): this is where the data meets the validators and clean()
    # methods a form would apply. Uniqueness and check constraints need no second look:
    # the database enforced them when it accepted the rows.
    models = (Genre, Movie, MovieRelationship, Review, Rating, Media, UserFeedback, ViewingHistory)
    for model in models:
        for row in model.objects.all():
            row.full_clean(validate_unique=False, validate_constraints=False)


def test_sequels_have_prequels_back_and_remakes_point_forward(loaded):
    sequels = relationship_pairs(RelationshipType.SEQUEL)
    prequels = relationship_pairs(RelationshipType.PREQUEL)
    assert (ALIEN, ALIENS) in sequels  # Aliens is a sequel of Alien...
    assert (ALIENS, ALIEN) in prequels  # ...and Alien a prequel of Aliens.
    assert {(later, earlier) for earlier, later in sequels} == prequels
    assert {
        (10785, 1091),  # The Thing from Another World -> The Thing
        (299, 161),  # Ocean's 11 -> Ocean's Eleven
        (877, 111),  # Scarface 1932 -> 1983
        (17529, 44264),  # True Grit 1969 -> 2010
        (593, 2103),  # Solaris 1972 -> 2002
    } <= relationship_pairs(RelationshipType.REMAKE)
    assert (11, 330459) in relationship_pairs(RelationshipType.SPIN_OFF)  # Rogue One
    franchise = relationship_pairs(RelationshipType.SAME_FRANCHISE)
    assert {(862, 301528), (301528, 862)} <= franchise  # Toy Story and Toy Story 4


def test_ratings_have_the_right_kind_of_rater(loaded):
    aggregates = Rating.objects.filter(rater_kind=RaterKind.AGGREGATE)
    externals = Rating.objects.filter(rater_kind=RaterKind.EXTERNAL)
    people = Rating.objects.filter(rater_kind=RaterKind.USER)
    assert aggregates.count() + externals.count() + people.count() == Rating.objects.count()
    assert not people.exclude(source="marquee", user__username=DEMO_USERNAME).exists()
    assert not aggregates.exclude(source="tmdb", user=None, external_rater_id="").exists()
    assert not aggregates.filter(vote_count=None).exists()
    assert not externals.exclude(source="movielens", user=None, vote_count=None).exists()
    assert externals.values("external_rater_id").distinct().count() >= 15
    assert set(externals.values_list("value", flat=True)) <= {n / 2 for n in range(1, 11)}


def test_the_demo_persons_ratings_follow_their_feedback(loaded):
    # The rule the pages keep: applying it again finds nothing to write.
    assert marquee_ratings_sync(pairs=UserFeedback.objects.people_and_films()) == Synced()


def test_twitter_reviews_and_only_they_have_tweet_ids(loaded):
    tweets = Review.objects.filter(source="twitter")
    assert tweets.exists()
    assert not tweets.filter(tweet_id=None).exists()
    assert not tweets.filter(sentiment_score=None).exists()
    assert not Review.objects.exclude(source="twitter").exclude(tweet_id=None).exists()


def test_original_titles_keep_their_own_script(loaded):
    original = dict(Movie.objects.values_list("tmdb_id", "original_title"))
    assert original[129] == "千と千尋の神隠し"  # Spirited Away
    assert original[496243] == "기생충"  # Parasite
    assert original[346] == "七人の侍"  # Seven Samurai
    assert original[194] == "Le Fabuleux Destin d'Amélie Poulain"
    assert original[ALIEN] == ""  # Only set when it differs from the title.


def test_the_demo_user_can_log_in_and_is_not_staff(client, loaded, django_user_model):
    user = django_user_model.objects.get(username=DEMO_USERNAME)

    # A request, as django-axes' backend needs to count the attempt.
    assert client.login(request=HttpRequest(), username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser


def test_an_existing_demo_users_password_is_never_reset(django_user_model):
    django_user_model.objects.create_user(DEMO_USERNAME, password="my-own-secret")

    load()

    user = django_user_model.objects.get(username=DEMO_USERNAME)
    assert user.check_password("my-own-secret")
    assert not user.check_password(DEMO_PASSWORD)
    assert user.feedback.exists()


def test_the_demo_user_finished_a_film_whose_sequel_is_waiting(loaded):
    loved = UserFeedback.objects.get(media__movie__tmdb_id=ALIEN)
    assert (loved.watched_completion, loved.rating) == (True, 5)
    sequel = Media.objects.get(movie__tmdb_id=ALIENS)
    assert not sequel.viewings.exists()
    assert not sequel.feedback.exists()
    # And one film was finished but is not wanted again.
    assert UserFeedback.objects.filter(watched_completion=True, would_watch_again=False).exists()


def test_some_media_are_not_movies(loaded):
    unlinked = Media.objects.filter(movie=None)
    assert set(unlinked.values_list("media_type", flat=True)) == {"episode", "series", "short"}


def test_a_missing_file_is_a_one_line_command_error(tmp_path):
    with pytest.raises(CommandError, match="not found") as error:
        load(file=str(tmp_path / "missing.json"))

    assert "\n" not in str(error.value)


def set_fields(section: str, **fields):
    def edit(data):
        data[section][0].update(fields)
        return data

    return edit


def drop_field(section: str, name: str):
    def edit(data):
        del data[section][0][name]
        return data

    return edit


def duplicate_first(section: str, **changes):
    def edit(data):
        data[section].append({**data[section][0], **changes})
        return data

    return edit


def duplicate_first_feedback(data):
    (user,) = data["users"]
    user["feedback"].append(user["feedback"][0])
    return data


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        pytest.param(lambda data: "{not json", "not valid JSON", id="not-json"),
        pytest.param(lambda data: {**data, "format": "other"}, "not a Marquee", id="format"),
        pytest.param(
            drop_field("movies", "tmdb_id"), r"movies\[0\]: 'tmdb_id' is missing", id="missing"
        ),
        pytest.param(set_fields("movies", imdb_id="tt12ab"), r"movies\[0\]: 'imdb_id'", id="imdb"),
        pytest.param(set_fields("movies", runtme=90), "unknown field 'runtme'", id="misspelt"),
        pytest.param(set_fields("movies", runtime=0), "runtime_minutes", id="zero-runtime"),
        pytest.param(set_fields("relationships", to=1), "not among the movies", id="reference"),
        pytest.param(
            set_fields("reviews", posted_at="2020-01-01T10:00:00"), "time zone", id="naive-time"
        ),
        pytest.param(
            set_fields("reviews", posted_at="2099-01-01T10:00:00Z"), "in the future", id="future"
        ),
        pytest.param(
            set_fields("reviews", source="twitter", tweet_id=1, posted_at="2001-01-01T10:00:00Z"),
            "when Twitter began",
            id="tweet-before-twitter",
        ),
        pytest.param(set_fields("ratings", value=11), "not on its scale", id="off-scale"),
        pytest.param(duplicate_first("relationships"), "appears twice", id="duplicate"),
        pytest.param(
            duplicate_first("movies", title="Alien again"),
            rf"movies\[\d+\]: movie \({ALIEN}\) appears twice",
            id="duplicate-movie",
        ),
        pytest.param(
            # The same instant, written in another time zone, is the same review.
            duplicate_first("reviews", posted_at="2019-05-25T10:00:00+01:00", text="Again."),
            r"reviews\[\d+\]: review .* appears twice",
            id="duplicate-review",
        ),
        pytest.param(
            duplicate_first("ratings", value=5),
            r"ratings\[\d+\]: .* appears twice",
            id="duplicate-rating",
        ),
        pytest.param(
            duplicate_first("media"), r"media\[\d+\]: .* appears twice", id="duplicate-media"
        ),
        pytest.param(
            duplicate_first_feedback,
            r"users\[0\]\.feedback\[\d+\]: .* appears twice",
            id="duplicate-feedback",
        ),
    ],
)
def test_a_malformed_file_is_refused_on_one_line_and_writes_nothing(
    demo_data, tmp_path, edit, reason
):
    edited = edit(demo_data)
    path = tmp_path / "demo.json"
    if isinstance(edited, str):
        path.write_text(edited, encoding="utf-8")
    else:
        write_json(path, edited)

    with pytest.raises(CommandError, match=reason) as error:
        load(file=str(path))

    assert "\n" not in str(error.value)
    assert not Movie.objects.exists()
    assert not Genre.objects.exists()


def first_viewing_started(data: dict, started_at: str) -> dict:
    """The demo with the person's first viewing, of Alien (1979), started then."""
    (user,) = data["users"]
    assert user["history"][0]["media_id"] == "plex:10400"
    user["history"][0]["started_at"] = started_at
    return data


def test_a_viewing_before_its_film_existed_is_refused_naming_it(demo_data, tmp_path):
    path = write_json(tmp_path / "demo.json", first_viewing_started(demo_data, "1890-05-01T20:00Z"))

    with pytest.raises(CommandError) as error:
        load(file=path)

    assert str(error.value).endswith(
        "users[0].history[0]: started_at: This film came out in 1979: "
        "a viewing of it cannot start before 1 January 1978."
    )
    assert not Movie.objects.exists()


def test_a_viewing_on_the_first_day_allowed_loads(demo_data, tmp_path):
    path = write_json(tmp_path / "demo.json", first_viewing_started(demo_data, "1978-01-01T00:00Z"))

    load(file=path)

    first = dt.datetime(1978, 1, 1, tzinfo=dt.UTC)
    assert ViewingHistory.objects.filter(media_id="plex:10400", started_at=first).exists()


def test_a_repeated_row_is_refused_before_any_query(demo_data, tmp_path, django_assert_num_queries):
    path = write_json(tmp_path / "demo.json", duplicate_first("ratings")(demo_data))

    # Only the command's look at the migrations table (has it one; how many of Marquee's
    # it records): the file is refused before any query of the catalog.
    with django_assert_num_queries(2), pytest.raises(CommandError, match="appears twice"):
        load(file=path)


def test_a_clash_with_existing_rows_rolls_back_the_whole_load(django_user_model):
    # Someone else's movie already holds Alien's IMDb id under no TMDB id.
    Movie.objects.create(title="Alien (imported)", imdb_id="tt0078748")

    with pytest.raises(CommandError, match="Could not load"):
        load()

    assert Movie.objects.count() == 1
    assert not Genre.objects.exists()
    assert not django_user_model.objects.exists()


def test_the_demo_account_s_address_held_by_another_account_is_refused_in_words(
    django_user_model,
):
    django_user_model.objects.create_user("someone", email="DEMO@example.com")

    with pytest.raises(CommandError) as refused:
        load()

    message = str(refused.value)
    assert "demo@example.com" in message
    assert "another account" in message
    assert "\n" not in message
    assert not Movie.objects.exists()
    assert list(django_user_model.objects.values_list("username", flat=True)) == ["someone"]


def test_make_run_serves_on_the_port_asked_for():
    # `make -n` prints the commands without running them.
    result = subprocess.run(
        [shutil.which("make"), "-n", "run", "PORT=8123"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert "manage.py runserver 127.0.0.1:8123" in result.stdout
    assert "http://127.0.0.1:8123/" in result.stdout
    assert "8000" not in result.stdout
