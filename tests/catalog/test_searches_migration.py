"""Searches logged before catalog migration 0014 are marked as naming a film where their
words start a word of a film's title, so the public list keeps them, and loses the rest."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import UserSearch
from catalog.querysets import MOST_SEARCHED_DAYS, MOST_SEARCHED_MIN_PEOPLE
from tests import factories
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0013_year_one_message")


@pytest.fixture
def old_search_log():
    """UserSearch as it was before the migration, to log searches with."""
    with models_before(*BEFORE) as apps:
        yield apps.get_model("catalog", "UserSearch")


def test_searches_the_list_could_show_are_marked_where_they_name_a_film(old_search_log):
    factories.MovieFactory(title="The Godfather")
    factories.MovieFactory(title="Amélie")
    people = factories.UserFactory.create_batch(MOST_SEARCHED_MIN_PEOPLE)

    def searched(query, *, by=people, results=1, days_ago=1):
        for person in by:
            old_search_log.objects.create(query=query, results_count=results, user_id=person.pk)
        when = timezone.now() - dt.timedelta(days=days_ago)
        old_search_log.objects.filter(query=query).update(created_at=when)

    for query in ("Godfather", "amelie", "godf", "alien or buy pills", "father", "heat"):
        searched(query)
    searched("GODFATHER", by=people[:1])  # the same words, in another case: counted with them
    searched("the godfather", by=people[:-1])  # names a film, but too few people
    searched("amélie", days_ago=MOST_SEARCHED_DAYS + 1)  # too long ago for the list
    searched("godfather part", results=0)

    call_command("migrate", verbosity=0)

    marked = set(UserSearch.objects.filter(names_a_film=True).values_list("query", flat=True))
    assert marked == {"Godfather", "GODFATHER", "amelie", "godf"}
    listed = [row["query"] for row in UserSearch.objects.most_searched()]
    assert listed == ["amelie", "godf", "godfather"]  # as many people each: A to Z
