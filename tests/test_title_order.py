"""Lists sorted by title read as an index does: accents, case and punctuation aside
(catalog.filters.NullsLastOrderingFilter, feedback.filters). By the titles' own bytes,
on SQLite and on PostgreSQL's C collation, "amores perros" and "Élite Squad" came after
"Zodiac"."""

import pytest
from django.urls import reverse

from tests.factories import MediaFactory, MovieFactory, UserFeedbackFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db

# In the order a reader expects; the factories get them shuffled.
A_TO_Z = ["(500) Days of Summer", "amores perros", "Elephant", "Élite Squad", "Zodiac"]
SHUFFLED = ["Zodiac", "Élite Squad", "(500) Days of Summer", "Elephant", "amores perros"]


@pytest.mark.parametrize(("ordering", "expected"), [("title", A_TO_Z), ("-title", A_TO_Z[::-1])])
def test_the_film_list_sorts_titles_folded(client, ordering, expected):
    for title in SHUFFLED:
        MovieFactory(title=title, original_title="")

    response = client.get(reverse("catalog:movie_list"), {"ordering": ordering})

    assert [movie.title for movie in response.context["object_list"]] == expected


@pytest.mark.parametrize(("ordering", "expected"), [("title", A_TO_Z), ("-title", A_TO_Z[::-1])])
def test_the_watchlist_sorts_titles_folded(user_client, user, ordering, expected):
    for title in SHUFFLED:
        WatchlistEntryFactory(user=user, movie=MovieFactory(title=title, original_title=""))

    response = user_client.get(reverse("feedback:watchlist"), {"ordering": ordering})

    shown = [entry.movie.title for entry in response.context["page_obj"].object_list]
    assert shown == expected


@pytest.mark.parametrize(("ordering", "expected"), [("title", A_TO_Z), ("-title", A_TO_Z[::-1])])
def test_the_library_sorts_titles_folded(user_client, user, ordering, expected):
    for title in SHUFFLED:
        UserFeedbackFactory(user=user, media=MediaFactory(movie=MovieFactory(title=title)))

    response = user_client.get(reverse("feedback:library"), {"ordering": ordering})

    assert [item.title for item in response.context["page_obj"].object_list] == expected


# Films whose original title differs: the order reads their own title, not the original
# after it (search_title is " solaris | солярис"), nor a leading apostrophe.
OWN_TITLE_FIRST = [
    ("Amélie", "Le Fabuleux Destin d'Amélie Poulain"),
    ("'Round Midnight", ""),
    ("Solaris", "Солярис"),
    ("Solaris Rising", ""),
    ("The Raid", "Serbuan maut"),
    ("The Raid 2", "The Raid 2: Berandal"),
]


@pytest.mark.parametrize("descending", [False, True])
def test_a_film_sorts_by_its_own_title_whatever_its_original(client, user_client, user, descending):
    for title, original in reversed(OWN_TITLE_FIRST):
        movie = MovieFactory(title=title, original_title=original)
        WatchlistEntryFactory(user=user, movie=movie)
    expected = [title for title, _ in OWN_TITLE_FIRST]
    expected = expected[::-1] if descending else expected
    ordering = "-title" if descending else "title"

    films = client.get(reverse("catalog:movie_list"), {"ordering": ordering})
    watchlist = user_client.get(reverse("feedback:watchlist"), {"ordering": ordering})

    assert [movie.title for movie in films.context["object_list"]] == expected
    assert [entry.movie.title for entry in watchlist.context["page_obj"].object_list] == expected


def test_films_sort_so_without_an_order_chosen_too(client):
    for title in SHUFFLED:
        MovieFactory(title=title, original_title="")

    response = client.get(reverse("catalog:movie_list"))

    assert [movie.title for movie in response.context["object_list"]] == A_TO_Z
