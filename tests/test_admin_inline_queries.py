"""An admin page with inline rows reads them in a fixed number of queries, however many
rows it shows: each row's label and each chosen object of its autocomplete box included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import RelationshipType
from tests import factories

pytestmark = pytest.mark.django_db

KINDS = [RelationshipType.SEQUEL, RelationshipType.REMAKE, RelationshipType.SIMILAR]


def film_with(rows: int):
    movie = factories.MovieFactory()
    for n in range(rows):
        factories.MovieRelationshipFactory(
            from_movie=movie, to_movie=factories.MovieFactory(), relationship_type=KINDS[n % 3]
        )
        factories.RatingFactory(movie=movie)
        factories.ReviewFactory(movie=movie)  # counted and linked to, not listed
    return movie


def media_with(rows: int):
    media = factories.MediaFactory()
    for _ in range(rows):
        factories.UserFeedbackFactory(media=media)
    return media


def film_list_with(rows: int):
    film_list = factories.FilmListFactory()
    for _ in range(rows):
        factories.FilmListEntryFactory(film_list=film_list)
    return film_list


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("make", "view", "expected"),
    [
        (film_with, "admin:catalog_movie_change", 10),
        (media_with, "admin:feedback_media_change", 6),
        (film_list_with, "admin:feedback_filmlist_change", 7),
    ],
    ids=["film: related films and ratings", "media item: feedback", "film list: its films"],
)
def test_a_change_page_costs_the_same_for_2_or_20_inline_rows(staff_client, make, view, expected):
    few, many = make(2), make(20)
    # The first page an admin opens reads what later pages find cached (content types).
    queries_of(staff_client, reverse(view, args=[make(0).pk]))

    counts = [queries_of(staff_client, reverse(view, args=[obj.pk])) for obj in (few, many)]

    assert counts == [expected, expected]


def test_the_inline_rows_show_their_chosen_objects(staff_client):
    movie = film_with(3)

    page = staff_client.get(reverse("admin:catalog_movie_change", args=[movie.pk]))

    html = page.content.decode()
    for relationship in movie.relationships_from.select_related("to_movie"):
        assert f'value="{relationship.to_movie_id}" selected>{relationship.to_movie}<' in html
    for rating in movie.ratings.select_related("user"):
        assert f'value="{rating.user_id}" selected>{rating.user}<' in html
