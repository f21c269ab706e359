"""Which links the TMDB import derived is the import's to say, not the admin's.

derived_from_collection marks the links import_tmdb recomputes from a collection, and
deletes when the collection no longer gives them: set by hand, it would make a link
entered by hand vanish on the next import; cleared, it would make a derived one stay.
The admin shows it and never writes it.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import MovieRelationship
from tests.factories import MovieFactory, MovieRelationshipFactory

pytestmark = pytest.mark.django_db

FIELD = "derived_from_collection"
INLINE = "relationships_from"


def test_a_link_added_by_hand_is_never_marked_derived(staff_client):
    first, second = MovieFactory(), MovieFactory()

    response = staff_client.post(
        reverse("admin:catalog_movierelationship_add"),
        {
            "from_movie": first.pk,
            "to_movie": second.pk,
            "relationship_type": "sequel",
            "weight": "1",
            FIELD: "10",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert MovieRelationship.objects.get().derived_from_collection is None


def test_editing_a_derived_link_keeps_it_derived(staff_client):
    link = MovieRelationshipFactory(derived_from_collection=10)
    url = reverse("admin:catalog_movierelationship_change", args=[link.pk])

    page = staff_client.get(url).text
    response = staff_client.post(
        url,
        {
            "from_movie": link.from_movie_id,
            "to_movie": link.to_movie_id,
            "relationship_type": "sequel",
            "weight": "0.5",
            FIELD: "",
        },
    )

    assert f'name="{FIELD}"' not in page
    assert '<div class="readonly">10</div>' in page
    assert response.status_code == HTTPStatus.FOUND
    link.refresh_from_db()
    assert (link.weight, link.derived_from_collection) == (0.5, 10)


def movie_form(movie, links: list[dict]) -> dict:
    """The movie's change form as posted, with these rows in its related-movies inline."""
    data = {
        "title": movie.title,
        "popularity": str(movie.popularity),
        f"{INLINE}-TOTAL_FORMS": str(len(links)),
        f"{INLINE}-INITIAL_FORMS": str(sum("id" in link for link in links)),
        f"{INLINE}-MIN_NUM_FORMS": "0",
        f"{INLINE}-MAX_NUM_FORMS": "1000",
    }
    for prefix in ("ratings",):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    for index, link in enumerate(links):
        data |= {f"{INLINE}-{index}-{name}": value for name, value in link.items()}
        data[f"{INLINE}-{index}-from_movie"] = movie.pk
    return data


def test_the_movie_inline_shows_the_mark_and_never_writes_it(staff_client):
    movie, sequel, remake = MovieFactory(), MovieFactory(), MovieFactory()
    derived = MovieRelationshipFactory(from_movie=movie, to_movie=sequel, derived_from_collection=7)
    url = reverse("admin:catalog_movie_change", args=[movie.pk])

    page = staff_client.get(url).text
    response = staff_client.post(
        url,
        movie_form(
            movie,
            [
                {"id": derived.pk, "to_movie": sequel.pk, "relationship_type": "sequel"}
                | {"weight": "0.5", FIELD: ""},
                {"to_movie": remake.pk, "relationship_type": "remake", "weight": "1", FIELD: "7"},
            ],
        ),
    )

    assert f'name="{INLINE}-0-{FIELD}"' not in page
    assert "<p>7</p>" in page
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    derived.refresh_from_db()
    assert (derived.weight, derived.derived_from_collection) == (0.5, 7)
    assert MovieRelationship.objects.get(to_movie=remake).derived_from_collection is None
