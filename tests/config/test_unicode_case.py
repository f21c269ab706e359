"""Names unique in any letter case are so in every alphabet, on SQLite as on PostgreSQL
(config/unicode_case.py): "Émile" is "émile" for usernames, email addresses, one person's
list names and genre names, in the database and in the forms; and feedback migration 0015
refuses, naming them, such names that an older SQLite database already holds."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse
from django.utils import timezone

from config.unicode_case import install_unicode_case, lower, upper
from feedback.film_list_models import LIST_NAME_TAKEN_MESSAGE
from feedback.film_lists import film_list_create
from tests.config.test_username_case_migration import account_row
from tests.conftest import assert_refused_by_database, insert_and_check_constraints
from tests.factories import FilmListFactory, GenreFactory, UserFactory
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db

SAMPLES = ["Émile", "straße", "ΟΔΟΣ", "Ǆemal", "Привет", "ÅSA", "Çé ŒUVRE", "plain ASCII"]


def list_row(user, name: str) -> dict:
    now = timezone.now()
    return {"user_id": user.pk, "name": name, "description": ""} | {
        "created_at": now,
        "updated_at": now,
    }


def genre_row(name: str, slug: str) -> dict:
    return {"name": name, "slug": slug}


@pytest.mark.parametrize("text", SAMPLES)
def test_the_database_folds_every_letter_as_marquee_does(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT UPPER(%s), LOWER(%s)", [text, text])
        assert cursor.fetchone() == (upper(text), lower(text))


def test_every_new_connection_folds_every_letter():
    fresh = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT UPPER(%s), LOWER(%s)", ["émile", "ÉMILE"])
            assert cursor.fetchone() == ("ÉMILE", "émile")
    finally:
        fresh.close()


def test_letters_are_folded_one_by_one_as_postgresql_folds_them():
    assert upper("émile straße") == "ÉMILE STRAßE"  # ß has no one-letter upper case
    assert lower("ΟΔΟΣ") == "οδοσ"  # no final-sigma rule
    assert (upper(None), lower(None), upper(12), lower(1.5)) == (None, None, "12", "1.5")


def test_the_database_refuses_a_username_taken_in_accented_capitals():
    UserFactory(username="émile")

    assert_refused_by_database("auth_user", **account_row("ÉMILE"))
    insert_and_check_constraints("auth_user", account_row("emile"))  # no accent: another name


def test_the_database_refuses_an_email_taken_in_accented_capitals():
    UserFactory(username="a", email="élodie@exemple.fr")

    assert_refused_by_database("auth_user", **account_row("b") | {"email": "ÉLODIE@exemple.fr"})


def test_the_database_refuses_a_list_name_taken_in_accented_capitals(user, other_user):
    FilmListFactory(user=user, name="Été 2024")

    assert_refused_by_database("feedback_filmlist", **list_row(user, "ÉTÉ 2024"))
    insert_and_check_constraints("feedback_filmlist", list_row(other_user, "ÉTÉ 2024"))


def test_the_database_refuses_a_genre_name_taken_in_other_capitals():
    GenreFactory(name="Épouvante", slug="epouvante")

    assert_refused_by_database("catalog_genre", **genre_row("ÉPOUVANTE", "epouvante-2"))
    insert_and_check_constraints("catalog_genre", genre_row("Ужасы", "uzhasy"))
    assert_refused_by_database("catalog_genre", **genre_row("ужасы", "uzhasy-2"))


def test_iexact_matches_accented_capitals_and_reads_no_pattern():
    emile = UserFactory(username="émile")
    UserFactory(username="a_c")

    User = get_user_model()
    assert list(User.objects.filter(username__iexact="ÉMILE")) == [emile]
    assert not User.objects.filter(username__iexact="abc").exists()  # _ is no wildcard
    assert not User.objects.filter(username__iexact="a%").exists()


def test_the_sign_up_form_says_a_username_is_taken_in_accented_capitals(client):
    UserFactory(username="émile")
    password = "a-quite-unguessable-passphrase-42"

    response = client.post(
        reverse("signup"),
        {"username": "ÉMILE", "email": "", "password1": password, "password2": password},
    )

    assert response.context["form"].has_error("username")
    assert get_user_model().objects.count() == 1


def test_a_list_name_taken_in_accented_capitals_is_the_forms_error(user):
    film_list_create(user=user, name="Été 2024", description="")

    with pytest.raises(ValidationError) as refused:
        film_list_create(user=user, name="ÉTÉ 2024", description="")

    assert refused.value.message_dict == {"name": [LIST_NAME_TAKEN_MESSAGE]}


def ascii_only(change):
    """SQLite's built-in UPPER or LOWER: ASCII letters only."""
    return lambda text: (
        None
        if text is None
        else "".join(change(letter) if letter.isascii() else letter for letter in str(text))
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_names_an_older_sqlite_let_through_then_indexes_again():
    with models_before("feedback", "0014_emails_unique_in_any_case") as apps:
        User = apps.get_model("auth", "User")
        FilmList = apps.get_model("feedback", "FilmList")
        Genre = apps.get_model("catalog", "Genre")
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            # The names a database got while SQLite folded ASCII letters only.
            for name, change in [("upper", str.upper), ("lower", str.lower)]:
                connection.connection.create_function(
                    name, 1, ascii_only(change), deterministic=True
                )
        bob = User.objects.create(username="bob")
        User.objects.create(username="émile", email="émile@exemple.fr")
        FilmList.objects.create(user=bob, name="Été")
        Genre.objects.create(name="Ужасы", slug="g1")
        if sqlite:
            User.objects.create(username="Émile", email="Émile@exemple.fr")
            FilmList.objects.create(user=bob, name="été")
            Genre.objects.create(name="ужасы", slug="g2")
        else:
            # PostgreSQL's indexes always folded every letter: it never let these in.
            assert_refused_by_database("auth_user", **account_row("Émile"))
        if sqlite:
            install_unicode_case(connection.connection)

        if sqlite:
            with pytest.raises(CommandError) as refused:
                call_command("migrate", "feedback", verbosity=0)
            message = str(refused.value)
            assert 'usernames (admin: Users): "Émile", "émile"' in message
            assert '"Émile@exemple.fr", "émile@exemple.fr"' in message
            assert 'list names (admin: Film lists): of "bob": "Été", "été"' in message
            assert 'genre names (admin: Genres): "Ужасы", "ужасы"' in message
            assert "Nothing was changed" in message
            assert "0015_unicode_case_on_sqlite" not in applied_migrations("feedback")
            # As the message says: all but one of each renamed, the migration goes through.
            User.objects.filter(username="Émile").update(username="emile2", email="e2@x.fr")
            FilmList.objects.filter(name="été").update(name="Été 2")
            Genre.objects.filter(name="ужасы").update(name="Ужасы 2")
        call_command("migrate", "feedback", verbosity=0)

    assert "0015_unicode_case_on_sqlite" in applied_migrations("feedback")
    # The indexes hold every name folded as the database folds it now.
    assert_refused_by_database("auth_user", **account_row("ÉMILE"))
    assert_refused_by_database("feedback_filmlist", **list_row(bob, "ÉTÉ"))
    assert_refused_by_database("catalog_genre", **genre_row("УЖАСЫ", "g-new"))
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]
