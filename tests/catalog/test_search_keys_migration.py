"""Catalog migration 0023 stores each logged search's key (folding.query_key): the
searches logged before it are keyed as the model keys new ones, so the public list counts
their spellings as one query; going back drops the key."""

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.models import UserSearch
from tests import factories
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0022_search_title_marks_where_the_title_ends")
SPELT = {
    "Schindler's List": "schindler's list",
    "Schindler’s List": "schindler's list",  # the apostrophe a phone types
    "SCHINDLER'S  LIST": "schindler's list",
    "amelie": "amelie",
    "Amélie": "amelie",
    "HÄXAN": "haxan",
    "Alien³": "alien 3",
    "alien -covenant": "alien -covenant",
}


def test_searches_logged_before_are_keyed_as_new_ones_are():
    people = factories.UserFactory.create_batch(3)
    with models_before(*BEFORE) as apps:
        OldUserSearch = apps.get_model("catalog", "UserSearch")
        for typed in SPELT:
            for person in people:
                OldUserSearch.objects.create(
                    query=typed, results_count=1, names_a_film=True, user_id=person.pk
                )
        OldUserSearch.objects.create(query="heat")  # anonymous, found nothing: keyed too

    keys = dict(UserSearch.objects.values_list("query", "query_key").distinct())
    assert keys == SPELT | {"heat": "heat"}
    listed = {row["query"]: row["people"] for row in UserSearch.objects.most_searched()}
    assert listed == {
        "schindler's list": 3,
        "amelie": 3,
        "häxan": 3,
        "alien³": 3,
        "alien -covenant": 3,
    }


def test_going_back_drops_the_key_and_keeps_the_searches():
    factories.UserSearchFactory(query="Amélie")

    call_command("migrate", *BEFORE, verbosity=0)
    try:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                connection.cursor(), "catalog_usersearch"
            )
        }
        assert "query_key" not in columns
        assert "0023_usersearch_query_key" not in applied_migrations("catalog")
        with connection.cursor() as cursor:
            cursor.execute("SELECT query FROM catalog_usersearch")
            assert cursor.fetchall() == [("Amélie",)]
    finally:
        call_command("migrate", verbosity=0)

    assert UserSearch.objects.get().query_key == "amelie"
