"""The migrations build the schema, agree with the models, and unwind to zero and back."""

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

APPS = ["recommendations", "feedback", "catalog"]  # dependants first when unwinding


def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_migrations_built_every_table():
    tables = set(connection.introspection.table_names())
    expected = {
        "catalog_genre",
        "catalog_movie",
        "catalog_movie_genres",
        "catalog_review",
        "catalog_rating",
        "catalog_usersearch",
        "catalog_movierelationship",
        "feedback_media",
        "feedback_userfeedback",
        "feedback_viewinghistory",
        "recommendations_recommendationlog",
    }
    assert expected <= tables


def test_every_app_migrates_to_zero_and_back():
    for app in APPS:
        call_command("migrate", app, "zero", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert not any(table.startswith(tuple(f"{app}_" for app in APPS)) for table in tables)

    call_command("migrate", verbosity=0)
    assert "feedback_userfeedback" in connection.introspection.table_names()
