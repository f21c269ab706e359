"""Searches logged before catalog migration 0014 are marked as naming a film where their
words start a word of a film's title, so the public list keeps them, and loses the rest."""

import pytest
from django.core.management import call_command

from catalog.models import UserSearch
from tests import factories
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0013_year_one_message")


@pytest.fixture
def old_search_log():
    """UserSearch as it was before the migration, to log searches with."""
    with models_before(*BEFORE) as apps:
        yield apps.get_model("catalog", "UserSearch")


def test_searches_naming_a_film_are_marked_and_the_rest_are_not(old_search_log):
    factories.MovieFactory(title="The Godfather")
    factories.MovieFactory(title="Amélie")
    user = factories.UserFactory()
    for query in ("Godfather", "amelie", "godf", "alien or buy pills", "father", "heat"):
        old_search_log.objects.create(query=query, results_count=1, user_id=user.pk)
    old_search_log.objects.create(query="godfather", results_count=0, user_id=user.pk)

    call_command("migrate", verbosity=0)

    marked = set(UserSearch.objects.filter(names_a_film=True).values_list("query", flat=True))
    assert marked == {"Godfather", "amelie", "godf"}
