"""The admin's account page refuses a last login or a date joined that makes no sense,
in the words of Marquee's own dates (catalog.bounds): saved, a date of the year 1 or 9999
was a 500 on that page for staff in a time zone behind or ahead of UTC."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.bounds import BEFORE_FIRST_FILM_MESSAGE, IN_THE_FUTURE_MESSAGE
from tests.config.test_usernames import change_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def dated(field: str, day: str, time: str) -> dict:
    return {f"{field}_0": day, f"{field}_1": time}


@pytest.mark.parametrize(
    ("field", "day", "time", "message"),
    [
        ("last_login", "0001-01-01", "00:00:00", BEFORE_FIRST_FILM_MESSAGE),
        ("last_login", "9999-12-31", "23:59:59", IN_THE_FUTURE_MESSAGE),
        ("date_joined", "9999-12-31", "23:59:59", IN_THE_FUTURE_MESSAGE),
        ("date_joined", "2099-01-01", "00:00:00", IN_THE_FUTURE_MESSAGE),
        ("date_joined", "0001-01-01", "00:00:00", BEFORE_FIRST_FILM_MESSAGE),
    ],
)
def test_the_admin_refuses_an_implausible_account_date(admin_client, field, day, time, message):
    member = UserFactory()
    before = (member.last_login, member.date_joined)
    url = reverse("admin:auth_user_change", args=[member.pk])

    response = admin_client.post(url, change_form(member) | dated(field, day, time))

    assert response.status_code == HTTPStatus.OK, "saved"
    assert response.context["adminform"].form.errors[field] == [message]
    member.refresh_from_db()
    assert (member.last_login, member.date_joined) == before


def test_the_admin_takes_plausible_account_dates(admin_client):
    member = UserFactory()
    url = reverse("admin:auth_user_change", args=[member.pk])
    dates = dated("last_login", "2024-05-02", "08:00:00") | dated(
        "date_joined", "2024-05-01", "08:00:00"
    )

    response = admin_client.post(url, change_form(member) | dates)

    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert (member.last_login, member.date_joined) == (
        dt.datetime(2024, 5, 2, 8, tzinfo=dt.UTC),
        dt.datetime(2024, 5, 1, 8, tzinfo=dt.UTC),
    )


def test_the_add_page_asks_for_no_date(admin_client):
    """A new account's dates are the site's (joined now, never logged in): nothing to check."""
    response = admin_client.get(reverse("admin:auth_user_add"))

    assert response.status_code == HTTPStatus.OK
    fields = response.context["adminform"].form.fields
    assert not {"last_login", "date_joined"} & set(fields)
