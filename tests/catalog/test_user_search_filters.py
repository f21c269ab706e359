"""A logged search's filters are a JSON object: `null` typed in the admin is refused with a
form error, where it once reached the NOT NULL column and answered 500."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import FILTERS_NULL_MESSAGE, UserSearch
from tests.factories import UserSearchFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:catalog_usersearch_add")


def test_the_admin_refuses_null_filters(staff_client):
    response = staff_client.post(ADD, {"query": "x", "results_count": "1", "filters": "null"})

    assert response.status_code == HTTPStatus.OK, "saved"
    assert response.context["adminform"].form.errors["filters"] == [FILTERS_NULL_MESSAGE]
    assert not UserSearch.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"), [("{}", {}), ('{"genre": "drama"}', {"genre": "drama"})]
)
def test_the_admin_saves_an_object(staff_client, typed, stored):
    response = staff_client.post(ADD, {"query": "x", "results_count": "1", "filters": typed})

    assert response.status_code == HTTPStatus.FOUND
    assert UserSearch.objects.get().filters == stored


def test_validation_refuses_null_filters():
    search = UserSearchFactory.build(filters=None)

    with pytest.raises(ValidationError) as excinfo:
        search.full_clean()

    assert excinfo.value.message_dict["filters"] == [FILTERS_NULL_MESSAGE]
