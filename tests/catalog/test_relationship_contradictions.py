"""A film link must not say the opposite of one already recorded.

With "Aliens is a sequel of Alien" recorded, the admin accepted From Aliens, Sequel, To
Alien, and Alien's page then listed Aliens under Prequels. The rule is across rows: no
CHECK can hold it, so validation does (MovieRelationship.clean()).
"""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import MovieRelationship
from tests.factories import MovieFactory, MovieRelationshipFactory

pytestmark = pytest.mark.django_db

INLINE = "relationships_from"


@pytest.fixture
def alien():
    return MovieFactory(title="Alien", release_date=dt.date(1979, 5, 25))


@pytest.fixture
def aliens():
    return MovieFactory(title="Aliens", release_date=dt.date(1986, 7, 18))


@pytest.fixture
def sequel(alien, aliens):
    """Aliens is a sequel of Alien."""
    return MovieRelationshipFactory(from_movie=alien, to_movie=aliens, relationship_type="sequel")


def link(from_movie, kind, to_movie) -> MovieRelationship:
    return MovieRelationship(from_movie=from_movie, to_movie=to_movie, relationship_type=kind)


@pytest.mark.parametrize(
    ("starts_at", "kind"),
    [("aliens", "sequel"), ("alien", "prequel")],
    ids=["Alien is a sequel of Aliens", "Aliens is a prequel of Alien"],
)
def test_a_link_saying_the_opposite_order_is_refused(sequel, alien, aliens, starts_at, kind):
    films = {"alien": alien, "aliens": aliens}
    start = films[starts_at]
    other = aliens if start == alien else alien

    with pytest.raises(ValidationError) as excinfo:
        link(start, kind, other).full_clean()

    [message] = excinfo.value.message_dict["relationship_type"]
    assert "contradicts “Aliens is a sequel of Alien”, already recorded" in message


@pytest.mark.parametrize(
    "kind", ["prequel", "same_franchise", "similar"], ids=["the same fact", "both", "ways"]
)
def test_a_link_that_agrees_is_kept(sequel, alien, aliens, kind):
    link(aliens, kind, alien).full_clean()


@pytest.mark.parametrize("kind", ["remake", "spin_off"])
def test_a_film_is_not_made_from_the_film_made_from_it(alien, aliens, kind):
    MovieRelationshipFactory(from_movie=alien, to_movie=aliens, relationship_type=kind)

    with pytest.raises(ValidationError) as excinfo:
        link(aliens, kind, alien).full_clean()

    assert "relationship_type" in excinfo.value.message_dict
    link(alien, "sequel", aliens).full_clean()  # another fact about the same two


def test_a_link_can_change_its_own_type(sequel):
    sequel.relationship_type = "prequel"  # the same pair: it was a sequel, not any longer

    sequel.full_clean()


def test_the_admin_refuses_the_contradiction_and_says_which_way_a_link_reads(
    staff_client, client, sequel, alien, aliens
):
    url = reverse("admin:catalog_movierelationship_add")
    form = {"from_movie": aliens.pk, "to_movie": alien.pk, "relationship_type": "sequel"}

    page = staff_client.get(url).text
    response = staff_client.post(url, form | {"weight": "1"})

    assert "Sequel says Aliens is a sequel of Alien" in page
    assert response.status_code == HTTPStatus.OK, "saved"
    errors = response.context["adminform"].form.errors["relationship_type"]
    assert errors == [
        "“Alien is a sequel of Aliens” contradicts “Aliens is a sequel of Alien”, already recorded."
    ]
    assert MovieRelationship.objects.count() == 1
    alien_page = client.get(alien.get_absolute_url()).text
    assert "Prequels" not in alien_page


def movie_form(movie, rows: list[dict]) -> dict:
    """The movie's change form as posted, with these rows in its related-movies inline."""
    data = {"title": movie.title, "popularity": str(movie.popularity)}
    data |= {
        f"{INLINE}-TOTAL_FORMS": str(len(rows)),
        f"{INLINE}-INITIAL_FORMS": str(sum("id" in row for row in rows)),
    }
    for prefix in ("reviews", "ratings"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        row = {"from_movie": movie.pk, "weight": "1"} | row
        data |= {f"{INLINE}-{index}-{name}": value for name, value in row.items()}
    return data


def inline_errors(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK, "saved"
    [formset] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == INLINE]
    return [
        error
        for form in formset.formset.forms
        for error in form.errors.get("relationship_type", [])
    ]


def test_the_movie_inline_refuses_the_contradiction(staff_client, sequel, alien, aliens):
    url = reverse("admin:catalog_movie_change", args=[aliens.pk])

    response = staff_client.post(
        url, movie_form(aliens, [{"to_movie": alien.pk, "relationship_type": "sequel"}])
    )

    assert inline_errors(response) == [
        "“Alien is a sequel of Aliens” contradicts “Aliens is a sequel of Alien”, already recorded."
    ]


def test_two_new_rows_of_one_save_may_not_contradict_each_other(staff_client, alien, aliens):
    url = reverse("admin:catalog_movie_change", args=[alien.pk])
    rows = [
        {"to_movie": aliens.pk, "relationship_type": "sequel"},
        {"to_movie": aliens.pk, "relationship_type": "prequel"},
    ]

    response = staff_client.post(url, movie_form(alien, rows))

    assert inline_errors(response) == ["Another row says the opposite of this one."] * 2
    assert not MovieRelationship.objects.exists()


def test_a_contradiction_recorded_earlier_can_be_deleted_from_the_page(
    staff_client, sequel, alien, aliens
):
    """Rows saved again as they were are not checked: else neither could be saved, not
    even with the other one deleted in the same save."""
    prequel = MovieRelationshipFactory(
        from_movie=alien, to_movie=aliens, relationship_type="prequel"
    )
    url = reverse("admin:catalog_movie_change", args=[alien.pk])
    rows = [
        {"id": sequel.pk, "to_movie": aliens.pk, "relationship_type": "sequel"},
        {"id": prequel.pk, "to_movie": aliens.pk, "relationship_type": "prequel", "DELETE": "on"},
    ]

    response = staff_client.post(url, movie_form(alien, rows))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert list(MovieRelationship.objects.all()) == [sequel]


def test_a_link_deleted_and_its_opposite_added_in_one_save(staff_client, sequel, alien, aliens):
    """The link deleted says nothing any more: neither the recorded links nor the other
    rows hold it against the new one."""
    url = reverse("admin:catalog_movie_change", args=[alien.pk])
    rows = [
        {"id": sequel.pk, "to_movie": aliens.pk, "relationship_type": "sequel", "DELETE": "on"},
        {"to_movie": aliens.pk, "relationship_type": "prequel"},
    ]

    response = staff_client.post(url, movie_form(alien, rows))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    [prequel] = MovieRelationship.objects.all()
    assert str(prequel) == "Aliens is a prequel of Alien"


def test_deleting_another_link_in_the_save_lets_no_contradiction_in(
    staff_client, sequel, alien, aliens
):
    remake = MovieRelationshipFactory(from_movie=alien, relationship_type="remake")
    url = reverse("admin:catalog_movie_change", args=[alien.pk])
    rows = [
        {"id": sequel.pk, "to_movie": aliens.pk, "relationship_type": "sequel"},
        {"id": remake.pk, "to_movie": remake.to_movie_id, "relationship_type": "remake"}
        | {"DELETE": "on"},
        {"to_movie": aliens.pk, "relationship_type": "prequel"},
    ]

    response = staff_client.post(url, movie_form(alien, rows))

    assert inline_errors(response) == [
        "“Aliens is a prequel of Alien” contradicts “Aliens is a sequel of Alien”, "
        "already recorded."
    ]
    assert MovieRelationship.objects.count() == 2


def test_a_link_of_another_film_is_not_deleted_from_this_films_page(
    staff_client, sequel, alien, aliens
):
    """Only the film's own links are its inline's to delete: a row naming another
    film's link deletes nothing, and leaves that link in the check."""
    url = reverse("admin:catalog_movie_change", args=[aliens.pk])
    rows = [
        {"id": sequel.pk, "to_movie": alien.pk, "relationship_type": "prequel", "DELETE": "on"},
        {"to_movie": alien.pk, "relationship_type": "sequel"},
    ]

    response = staff_client.post(url, movie_form(aliens, rows))

    assert "already recorded" in " ".join(inline_errors(response))
    assert list(MovieRelationship.objects.all()) == [sequel]
