"""No admin list answers 500 to a date part no date has (`?posted_at__year=9999`), in a
time zone behind UTC as in UTC: it is refused with the admin's own redirect. Marquee's own
lists, and those other apps registered: Django's users, django-axes' access lists."""

from http import HTTPStatus

import pytest
from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db import models
from django.test import override_settings
from django.urls import reverse

from config.admin_lists import LookupsChecked, date_part_refused

pytestmark = pytest.mark.django_db

DATE_LISTS = [
    (model._meta.label_lower, field.name)
    for model in admin.site._registry
    for field in model._meta.get_fields()
    if isinstance(field, models.DateField)
]
BAD = [
    {"__year": "9999"},
    {"__year": "0"},
    {"__year": "1"},
    {"__year": "99999999999"},
    {"__year": "abc"},
    {"__year": "2020", "__month": "13"},
    {"__year": "2020", "__month": "2", "__day": "99999999999"},
]


def test_every_list_with_a_date_is_covered():
    assert ("catalog.review", "posted_at") in DATE_LISTS
    assert ("recommendations.recommendationlog", "timestamp") in DATE_LISTS
    assert ("axes.accessattempt", "attempt_time") in DATE_LISTS  # README sends staff there
    assert ("auth.user", "date_joined") in DATE_LISTS
    assert len(DATE_LISTS) >= 16


def test_every_admin_checks_its_lookups_and_other_apps_keep_theirs():
    unchecked = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, LookupsChecked)
    ]
    assert unchecked == []
    # Registered again as a subclass of django-axes' own: its columns, filters and actions stay.
    assert isinstance(admin.site._registry[AccessAttempt], AccessAttemptAdmin)


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York"])
@pytest.mark.parametrize(("label", "field"), DATE_LISTS)
def test_a_date_part_no_date_has_is_refused_not_a_500(staff_client, label, field, time_zone):
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with override_settings(TIME_ZONE=time_zone):
        for parts in BAD:
            response = staff_client.get(url, {field + part: value for part, value in parts.items()})
            assert response.status_code == HTTPStatus.FOUND, (label, field, parts)
            assert response["Location"].endswith("?e=1")


def test_a_plausible_date_still_filters(staff_client):
    url = reverse("admin:catalog_review_changelist")

    assert staff_client.get(url, {"posted_at__year": "2020"}).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("lookup", "values", "refused"),
    [
        ("posted_at__year", ["2020"], False),
        ("posted_at__year", ["9998"], True),
        ("posted_at__month", ["12"], False),
        ("posted_at__month", ["0"], True),
        ("posted_at__day", ["٣"], True),  # a digit, but not one a year is typed in
        ("title__icontains", ["9999"], False),
    ],
)
def test_date_parts(lookup, values, refused):
    assert date_part_refused(lookup, values) is refused
