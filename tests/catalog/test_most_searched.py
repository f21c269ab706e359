""" "What people search for most": spellings that search alike are one query, counted by
the key each search is stored with (UserSearch.query_key)."""

import pytest
from django.db.models import F
from django.urls import reverse

from catalog.folding import query_key
from catalog.models import UserSearch
from catalog.querysets import MOST_SEARCHED_MIN_PEOPLE
from tests.factories import UserFactory, UserSearchFactory

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("catalog:search")


def listed():
    return [(row["query"], row["people"]) for row in UserSearch.objects.most_searched()]


def searched_by(people: int, query: str):
    for user in UserFactory.create_batch(people):
        UserSearchFactory(query=query, user=user)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Schindler’s List", "schindler's list"),  # the apostrophe a phone types
        ("  SCHINDLER'S   LIST ", "schindler's list"),
        ("Amélie", "amelie"),
        ("alien -covenant", "alien -covenant"),  # the syntax stays: not "alien covenant"
        ("Alien³", "alien 3"),
    ],
)
def test_a_query_is_keyed_as_search_reads_it(typed, key):
    assert query_key(typed) == key


def test_each_spelling_is_stored_with_its_key():
    search = UserSearchFactory(query="Schindler’s  List")

    search.refresh_from_db()
    assert search.query_key == "schindler's list"


def test_the_key_follows_the_query_when_it_is_changed():
    search = UserSearchFactory(query="heat")

    search.query = "Amélie"
    search.save(update_fields=["query"])
    UserSearch.objects.bulk_create([UserSearch(query="Léon")])
    UserSearch.objects.filter(query="Léon").update(query="LÉON  the professional")

    keys = set(UserSearch.objects.values_list("query_key", flat=True))
    assert keys == {"amelie", "leon the professional"}


def test_an_update_the_key_cannot_follow_is_refused():
    UserSearchFactory(query="heat")

    with pytest.raises(TypeError):
        UserSearch.objects.update(query=F("query_key"))


def test_spellings_that_search_alike_are_one_query():
    searched_by(1, "Schindler’s List")
    searched_by(1, "schindler's list")
    searched_by(1, "SCHINDLER'S  LIST")
    searched_by(2, "amelie")
    searched_by(1, "Amélie")

    assert listed() == [("amelie", 3), ("schindler's list", 3)]


def test_the_spelling_most_people_typed_is_shown_in_lower_case():
    searched_by(1, "amelie")
    searched_by(2, "Amélie")
    searched_by(1, "AMÉLIE")  # the same spelling in lower case: 3 people typed "amélie"
    # As many people for each spelling: the first from A to Z.
    searched_by(2, "Léon")
    searched_by(2, "leon")

    assert listed() == [("amélie", 4), ("leon", 4)]


def test_a_person_typing_two_spellings_counts_once(user):
    UserSearchFactory(query="amelie", user=user)
    UserSearchFactory(query="Amélie", user=user)
    searched_by(MOST_SEARCHED_MIN_PEOPLE - 2, "amelie")  # one person short

    assert listed() == []


def test_a_query_with_its_syntax_is_not_the_same_query():
    searched_by(MOST_SEARCHED_MIN_PEOPLE, "alien -covenant")
    searched_by(MOST_SEARCHED_MIN_PEOPLE - 1, "alien covenant")

    assert listed() == [("alien -covenant", MOST_SEARCHED_MIN_PEOPLE)]


def test_the_page_links_to_the_spelling_shown(client):
    searched_by(MOST_SEARCHED_MIN_PEOPLE, "Amélie")

    html = client.get(SEARCH_URL).content.decode()

    assert '<a href="/search/?q=am%C3%A9lie">amélie</a>' in html


def test_the_list_takes_two_queries_however_many_spellings(django_assert_num_queries):
    for number in range(12):
        searched_by(MOST_SEARCHED_MIN_PEOPLE, f"film {number}")
        searched_by(1, f"FILM  {number}")

    with django_assert_num_queries(2):
        rows = listed()

    assert len(rows) == 10
    assert rows[0] == ("film 0", MOST_SEARCHED_MIN_PEOPLE + 1)


def test_the_admin_change_form_keeps_the_key_in_step(staff_client):
    search = UserSearchFactory(query="heat")

    response = staff_client.post(
        reverse("admin:catalog_usersearch_change", args=[search.pk]),
        {
            "query": "Amélie",
            "filters": "{}",
            "results_count": "3",
            "names_a_film": "on",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    search.refresh_from_db()
    assert (search.query, search.query_key) == ("Amélie", "amelie")
