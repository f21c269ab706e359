"""A Marquee database with a row in every table, and a row-by-row picture of it.

Run inside a Marquee process pointed at the database to fill or read (the tests run it as
`python -m tests.backups.world fill|snapshot|mutate` with DATABASE_URL set), so that what is
written and read goes through Django exactly as in production, on either engine.

The snapshot covers every table of every installed model (`apps.get_models()`, many-to-many
tables included) plus django_migrations: a model added later is compared without a change
here, and `fill` uses its factory from tests/factories.py.
"""

import datetime as dt
import decimal
import json
import os
import sys
import uuid

UNICODE = "Zoë 東京物語 ★ — “quoted” 'single' \\ back\\slash\n second line 🎬"


def every_model():
    from django.apps import apps
    from django.db.migrations.recorder import MigrationRecorder

    return [*apps.get_models(include_auto_created=True), MigrationRecorder.Migration]


def fill() -> None:
    """Rows in every table: unicode, NULLs, both booleans, timestamps, many-to-many."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.test.utils import override_settings
    from django.utils import timezone

    from tests import factories as f

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        viewer = f.UserFactory(username="zoë", first_name="Zoë", last_name="大友")
        staff = f.UserFactory(staff=True)
        idle = f.UserFactory(email="", is_active=False)
    group = Group.objects.create(name="Curators ★")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:3])
    viewer.groups.add(group)
    staff.user_permissions.set(Permission.objects.filter(codename__startswith="change_")[:2])

    drama = f.GenreFactory(name="Drame", slug="drame")
    noir = f.GenreFactory(name="Film noir ★", slug="film-noir")
    tokyo = f.MovieFactory(title="東京物語", original_title=UNICODE, genres=[drama, noir])
    unknown = f.MovieFactory(
        title="Untitled", release_date=None, year=None, runtime_minutes=None,
        tmdb_id=None, imdb_id=None, overview="", popularity=0.1 + 0.2,
    )  # fmt: skip
    sequel = f.MovieFactory(genres=[drama])
    f.ReviewFactory(movie=tokyo, text=UNICODE)
    f.ReviewFactory(movie=tokyo, tweet=True)
    f.ReviewFactory(movie=unknown, posted_at=None, author="", sentiment_score=-1.0)
    # A member's review, spoilers and an edit: the new columns' values in a backup too.
    f.ReviewFactory(
        movie=tokyo,
        member=True,
        user=viewer,
        text=UNICODE,
        contains_spoilers=True,
        posted_at=dt.datetime(2024, 2, 28, 8, 30, tzinfo=dt.UTC),  # edited after it
        edited_at=dt.datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=dt.UTC),
    )
    f.RatingFactory(movie=tokyo, user=viewer, value=4)
    f.RatingFactory(movie=tokyo, user=viewer, source="other", value=4.5)
    f.RatingFactory(movie=tokyo, external=True, value=0.5)
    f.RatingFactory(movie=unknown, aggregate=True)
    f.UserSearchFactory(
        query="noir ★",
        filters={"genre": ["noir", "drame"], "year": {"min": 1950, "max": None}, "hd": True,
                 "score": 0.75, "note": UNICODE},
        user=viewer,
    )  # fmt: skip
    f.UserSearchFactory(query="nothing", results_count=0)
    f.MovieRelationshipFactory(from_movie=tokyo, to_movie=sequel, weight=0.25)
    episode = f.MediaFactory(media_id="plex:ép/1", movie=None, title=UNICODE, duration=None)
    film = f.MediaFactory(movie=tokyo)
    f.UserFeedbackFactory(media=film, user=viewer, watched_completion=None, rating=None)
    f.UserFeedbackFactory(media=episode, user=idle, would_watch_again=False, rating=1)
    f.ViewingHistoryFactory(media=episode, user=viewer, minutes_watched=None, completed=False)
    f.ViewingHistoryFactory(media=film, user=viewer)
    f.WatchlistEntryFactory(movie=sequel, user=viewer)
    long_ago = timezone.now() - dt.timedelta(days=400)
    f.WatchlistEntryFactory(movie=unknown, user=idle, added_at=long_ago)
    # A list's name is one line (feedback migration 0017): the note keeps the line break.
    shelf = f.FilmListFactory(user=viewer, name=UNICODE.replace("\n", " ")[:100], description="")
    f.FilmListEntryFactory(film_list=shelf, movie=tokyo, note=UNICODE)
    f.FilmListEntryFactory(film_list=shelf, movie=sequel, added_at=long_ago)
    slate = uuid.uuid4()
    f.RecommendationLogFactory(media=film, user=viewer, slate_id=slate, selected=True)
    f.RecommendationLogFactory(
        media=episode, user=viewer, slate_id=slate, recommendation_type="wildcard",
        score=None, reason="",
    )  # fmt: skip
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(tokyo),
        object_id=str(tokyo.pk),
        object_repr=str(tokyo)[:200],
        action_flag=ADDITION,
        change_message="[]",
        action_time=timezone.now() - dt.timedelta(days=3),
    )
    session = SessionStore()
    session["note"] = UNICODE
    session.create()
    fill_from_factories(f)


def fill_from_factories(factories) -> None:
    """Two rows through its factory for any model still empty (models added later)."""
    from factory.django import DjangoModelFactory

    by_model = {}
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, DjangoModelFactory):
            model = value._meta.get_model_class()  # resolves "app.Model" strings too
            if model is not None:
                by_model.setdefault(model, value)
    for model, factory in by_model.items():
        if not model._default_manager.exists():
            factory.create_batch(2)


def encoded(value):
    """A value as exact, comparable JSON, whatever engine it came from."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, dt.datetime):
        return ["datetime", value.astimezone(dt.UTC).isoformat()]
    if isinstance(value, (dt.date, dt.time)):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, (uuid.UUID, decimal.Decimal, dt.timedelta)):
        return [type(value).__name__, str(value)]
    if isinstance(value, (bytes, memoryview)):
        return ["bytes", bytes(value).hex()]
    return ["json", json.dumps(value, sort_keys=True, ensure_ascii=False)]


def snapshot() -> dict:
    """Every row of every table, read through the ORM: {"tables": [...], "rows": {...}}."""
    from django.db import connection

    rows = {}
    for model in every_model():
        fields = model._meta.local_concrete_fields
        values = model._base_manager.values_list(*[field.attname for field in fields])
        table = [[encoded(value) for value in row] for row in values]
        # Sorted here, not by the database: text keys sort differently on each engine.
        rows[model._meta.db_table] = sorted(table, key=json.dumps)
    return {"tables": sorted(connection.introspection.table_names()), "rows": rows}


def mutate() -> None:
    """What an operator might regret: changed rows, deleted rows, a table emptied."""
    from catalog.models import Genre, Movie, Rating
    from feedback.models import ViewingHistory
    from recommendations.models import RecommendationLog
    from tests import factories as f

    tokyo = Movie.objects.get(title="東京物語")
    tokyo.title = tokyo.overview = "changed"
    tokyo.save()
    Genre.objects.filter(slug="drame").update(name="Changed")
    RecommendationLog.objects.all().delete()
    ViewingHistory.objects.all().delete()
    Rating.objects.all().delete()
    f.GenreFactory(name="Added after the backup", slug="added")


def many_films() -> None:
    """More films than move_to_postgres sends in one COPY."""
    from backups.move import BATCH
    from catalog.models import Movie
    from tests.factories import MovieFactory

    # No outside ids: the factory's sequences start again in this process.
    films = MovieFactory.build_batch(BATCH + 500, tmdb_id=None, imdb_id=None)
    Movie.objects.bulk_create(films)


def mendable() -> None:
    """Rows a data migration would change, were it run on this database
    (tests/mendable_rows.py)."""
    from tests.mendable_rows import write_rows_the_data_migrations_mend

    write_rows_the_data_migrations_mend()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from tests.backups import world

    for action in sys.argv[1:]:  # several in one process: each start-up costs a second
        if action == "snapshot":
            json.dump(world.snapshot(), sys.stdout, ensure_ascii=False)
        else:
            getattr(world, action)()
