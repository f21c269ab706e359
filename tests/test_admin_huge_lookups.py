"""No admin list answers 500 to a filter value no integer column holds
(`?user__exact=99999999999999999999999`): on an integer field, or on a relation to one, it
is refused with the admin's own "incorrect lookup" redirect, on SQLite as on PostgreSQL.
SQLite's driver cannot even send an integer past 64 bits, and Django's guard against that
covers a model's own integer fields, not a relation (an account, a film, a key that is a
OneToOne to another model's). Every list is walked: its key, its filters, its relations."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.db import DEFAULT_DB_ALIAS, models
from django.urls import reverse

from catalog.models import Movie
from config.admin_lists import integer_refused
from feedback.models import ViewingHistory
from tests import factories

pytestmark = pytest.mark.django_db

HUGE_VALUES = [
    "99999999999999999999999",
    "-9223372036854775809",  # one below the smallest 64-bit integer
]
COMPARISONS = ["", "__exact", "__in", "__gt", "__lte"]


def filtered_paths(model, model_admin) -> list[str]:
    """What a list can be filtered by: its key, its filters (those that name a field)
    and its relations, each of them also by the key of the object it names."""
    paths = ["pk", model._meta.pk.name]
    paths += [item for item in model_admin.list_filter if isinstance(item, str)]
    for field in model._meta.get_fields():
        if (field.many_to_one or field.one_to_one) and field.concrete:
            paths += [field.name, f"{field.name}__pk", f"{field.name}__{field.target_field.name}"]
    return list(dict.fromkeys(paths))


def compares_integers(model, path: str) -> bool:
    field = None
    for name in path.split("__"):
        options = model._meta if field is None else field.related_model._meta
        field = options.pk if name == "pk" else options.get_field(name)
    while field.is_relation:
        field = field.target_field
    return isinstance(field, models.IntegerField)


FILTERED = [
    (model._meta.label_lower, path, compares_integers(model, path))
    for model, model_admin in admin.site._registry.items()
    for path in filtered_paths(model, model_admin)
]


def test_every_list_and_the_lists_that_failed_are_walked():
    walked = {(label, path) for label, path, _ in FILTERED}
    for failed in [
        ("feedback.pendingemailchange", "pk"),
        ("catalog.movieratingstats", "pk"),
        ("feedback.viewinghistory", "user"),
        ("feedback.filmlist", "user"),
        ("auth.user", "groups"),  # a many-to-many filter
        ("axes.accessattempt", "pk"),
    ]:
        assert failed in walked
    assert len({label for label, _, _ in FILTERED}) == len(admin.site._registry)


@pytest.mark.parametrize(("label", "path", "integers"), FILTERED)
def test_a_value_no_column_holds_is_refused_not_a_500(staff_client, label, path, integers):
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    for comparison in COMPARISONS:
        for huge in HUGE_VALUES:
            value = f"1,{huge}" if comparison == "__in" else huge
            response = staff_client.get(url, {path + comparison: value})
            if integers:
                assert response.status_code == HTTPStatus.FOUND, (path + comparison, value)
                assert response["Location"].endswith("?e=1")
            else:  # a text key, a choice: what Django answers, never a 500
                assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)


@pytest.mark.parametrize(
    "query",
    [
        {"user__exact": "99999999999999999999999"},
        {"user": ["1", "99999999999999999999999"]},  # any of several values
        {"user__id__in": "99999999999999999999999"},
        {"media__movie__id__exact": "99999999999999999999999"},  # through two relations
    ],
)
def test_the_reported_filters_are_refused(staff_client, query):
    response = staff_client.get(reverse("admin:feedback_viewinghistory_changelist"), query)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith("?e=1")


def test_a_value_the_column_holds_still_filters(staff_client):
    viewing, other = factories.ViewingHistoryFactory(), factories.ViewingHistoryFactory()
    url = reverse("admin:feedback_viewinghistory_changelist")

    for query in [{"user__exact": viewing.user_id}, {"user__in": f"{viewing.user_id},-1"}]:
        response = staff_client.get(url, query)
        assert response.status_code == HTTPStatus.OK
        assert list(response.context["cl"].result_list) == [viewing]
    assert other.user_id != viewing.user_id


@pytest.mark.parametrize(
    ("model", "lookup", "values", "refused"),
    [
        (ViewingHistory, "user__exact", ["7"], False),
        (ViewingHistory, "user__exact", ["9223372036854775808"], True),  # one past 64 bits
        (ViewingHistory, "user", ["7", "9223372036854775808"], True),
        (ViewingHistory, "user__in", ["7,9223372036854775808"], True),
        (ViewingHistory, "user__in", ["7,8"], False),
        (ViewingHistory, "user__lt", ["-9223372036854775809"], True),
        (ViewingHistory, "pk", ["9223372036854775807"], False),  # the largest there is
        (ViewingHistory, "media__movie__pk", ["9223372036854775808"], True),
        (ViewingHistory, "media__exact", ["9223372036854775808"], False),  # a text key
        (ViewingHistory, "user__isnull", ["9223372036854775808"], False),  # not compared
        (ViewingHistory, "user__username", ["9223372036854775808"], False),
        (ViewingHistory, "started_at__year", ["9223372036854775808"], False),  # a date part
        (ViewingHistory, "nothing_of_the_kind", ["9223372036854775808"], False),
        (ViewingHistory, "user__exact", ["abc"], False),  # not a number: Django refuses it
        (ViewingHistory, "user__exact", ["9" * 5000], False),  # too long even to read
        (Movie, "genres__in", ["9223372036854775808"], True),  # a many-to-many
        (Movie, "ratings", ["9223372036854775808"], True),  # a relation the other way
        (Movie, "year__gte", ["9223372036854775808"], True),  # the model's own column
    ],
)
def test_values_beyond_the_column(model, lookup, values, refused):
    assert integer_refused(model, lookup, values, DEFAULT_DB_ALIAS) is refused
