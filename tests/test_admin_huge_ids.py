"""No admin page of one object answers 500 to an id no column holds: its change, history
and delete pages give the admin's own "doesn't exist" redirect, on SQLite as on
PostgreSQL. SQLite's driver cannot even send an integer past 64 bits, and Django's
guard against that covers a model's own integer key, not a key that is a OneToOne to
another model's (a film's rating stats, its prior, an account's pending email)."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE_IDS = [
    "99999999999999999999999",
    "9223372036854775808",  # one past the largest 64-bit integer
    "-9223372036854775809",
    "2147483648",  # one past the largest 32-bit integer
]
OBJECT_PAGES = [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    for model in admin.site._registry
    for view in ("change", "history", "delete")
]


def test_the_models_keyed_by_a_one_to_one_are_walked():
    for label in ("catalog_movieratingstats", "feedback_pendingemailchange"):
        assert f"admin:{label}_change" in OBJECT_PAGES
    assert "admin:recommendations_movieprior_delete" in OBJECT_PAGES
    assert "admin:auth_user_history" in OBJECT_PAGES


@pytest.mark.parametrize("huge_id", HUGE_IDS)
@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_an_id_no_column_holds_does_not_exist(staff_client, page, huge_id):
    response = staff_client.get(reverse(page, args=[huge_id]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:index")
    message = str(list(get_messages(response.wsgi_request))[-1])
    assert f"with ID “{huge_id}” doesn’t exist" in message
