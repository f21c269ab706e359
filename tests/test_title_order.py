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
