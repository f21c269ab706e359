"""No admin form answers 500 to a chosen object whose id no integer column holds
(`to_movie=99999999999999999999`): the field says "Select a valid choice", as it does
for an id that fits and names nothing, on SQLite as on PostgreSQL, and nothing is saved.
SQLite's driver cannot even send an integer past 64 bits, and Django's guard against that
covers `pk=…`, not the `pk__in=…` with which a many-to-many field checks its choices and
an autocomplete box reads what it shows as chosen. Every form of the admin site is
walked: each relation field of its add and change forms and of its inlines' rows."""

from http import HTTPStatus

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from catalog.models import Genre, Movie
from feedback.models import FilmListEntry, ViewingHistory
from tests import factories

pytestmark = pytest.mark.django_db

HUGE_IDS = [
    "99999999999999999999",  # the reported one, past 64 bits
    "9223372036854775808",  # one past the largest 64-bit integer
    "-9223372036854775809",
    "2147483648",  # one past the largest 32-bit integer, an account's id's bound
    "9223372036854775807",  # the largest there is: already refused, the model to follow
]
# Values no key holds at all, which Django's fields already refuse in their own words:
# the autocomplete box, drawing the form again, sent them too (a ValueError; PostgreSQL
# refuses to be sent a NUL, here to a media item's text key).
NOT_IDS = ["abc", "a\x00b"]


def superuser_request():
    """Whoever sees every field: staff that are not superusers see fewer on accounts."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_staff=True, is_superuser=True, is_active=True)
    return request


def relation_fields(form_class) -> list[str]:
    return [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)
    ]


def admin_form_fields() -> list[tuple[str, str, str]]:
    """(model, page, field): each relation field of each admin's forms, on its add page,
    or on its change page when only that form has it (an account's groups). An admin's
    change form has its add form's fields, or fewer read-only, but where the add page
    has a form of its own (`add_form`, as Django's account admin)."""
    request, found = superuser_request(), []
    for model, model_admin in admin.site._registry.items():
        on_add = relation_fields(model_admin.get_form(request, None, change=False))
        on_change = []
        if getattr(model_admin, "add_form", None) is not None:
            on_change = relation_fields(model_admin.get_form(request, model(), change=True))
        found += [(model._meta.label_lower, "add", name) for name in on_add]
        found += [(model._meta.label_lower, "change", n) for n in on_change if n not in on_add]
    return found


def admin_inline_fields() -> list[tuple[str, str, str]]:
    """(model, inline's prefix, field): each relation field of each inline's rows, but
    the key to the object the page shows, which the inline sets itself."""
    request, found = superuser_request(), []
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            found += [
                (model._meta.label_lower, formset.get_default_prefix(), name)
                for name in relation_fields(formset.form)
            ]
    return found


FORM_FIELDS = admin_form_fields()
INLINE_FIELDS = admin_inline_fields()


def test_every_form_and_the_reported_fields_are_walked():
    for reported in [
        ("catalog.movierelationship", "add", "to_movie"),
        ("feedback.viewinghistory", "add", "user"),
        ("feedback.viewinghistory", "add", "media"),  # a text key, which must keep working
        ("catalog.movie", "add", "genres"),  # a many-to-many
        ("auth.user", "change", "groups"),  # Django's own admin
        ("auth.group", "add", "permissions"),
    ]:
        assert reported in FORM_FIELDS
    assert ("feedback.filmlist", "entries", "movie") in INLINE_FIELDS
    assert ("catalog.movie", "relationships_from", "to_movie") in INLINE_FIELDS
    assert ("feedback.media", "feedback", "user") in INLINE_FIELDS


def model_of(label: str):
    return next(model for model in admin.site._registry if model._meta.label_lower == label)


def empty_inlines(client, url: str) -> dict:
    """The management forms of the page's inlines, each with no row."""
    data = {}
    for inline_admin_formset in client.get(url).context["inline_admin_formsets"]:
        prefix = inline_admin_formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def expected_error(form_field, value: str) -> list[str]:
    """The field's own word for a choice that names nothing."""
    return [form_field.error_messages["invalid_choice"] % {"value": value}]


@pytest.mark.parametrize(("label", "page", "field"), FORM_FIELDS)
def test_an_id_no_column_holds_is_a_form_error(staff_client, staff_user, label, page, field):
    model = model_of(label)
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    url = reverse(info, args=[staff_user.pk] if page == "change" else [])
    data = empty_inlines(staff_client, url)
    rows = model._default_manager.count()
    for huge in HUGE_IDS:
        response = staff_client.post(url, data | {field: huge})

        assert response.status_code == HTTPStatus.OK, (field, huge)
        form = response.context["adminform"].form
        assert form.errors[field] == expected_error(form.fields[field], huge), huge
    for not_an_id in NOT_IDS:
        response = staff_client.post(url, data | {field: not_an_id})

        assert response.status_code == HTTPStatus.OK, (field, not_an_id)
        assert field in response.context["adminform"].form.errors
    assert model._default_manager.count() == rows
    staff_user.refresh_from_db()
    assert not staff_user.groups.exists()


@pytest.mark.parametrize(("label", "prefix", "field"), INLINE_FIELDS)
def test_an_id_no_column_holds_in_an_inline_row_is_a_form_error(staff_client, label, prefix, field):
    model = model_of(label)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    data = empty_inlines(staff_client, url) | {f"{prefix}-TOTAL_FORMS": "1"}
    for value in HUGE_IDS + NOT_IDS:
        response = staff_client.post(url, data | {f"{prefix}-0-{field}": value})

        assert response.status_code == HTTPStatus.OK, (field, value)
        (formset,) = [
            inline.formset
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.prefix == prefix
        ]
        row = formset.forms[0]
        if value in HUGE_IDS:
            assert row.errors[field] == expected_error(row.fields[field], value), value
        else:
            assert field in row.errors
    assert not model._default_manager.exists()


def test_the_reported_film_list_change_page(staff_client):
    """A list with a film on it, and a row added whose film no column holds."""
    entry = factories.FilmListEntryFactory()
    film_list = entry.film_list
    data = {
        "name": film_list.name,
        "user": film_list.user_id,
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "1",
        "entries-0-id": entry.pk,
        "entries-0-film_list": film_list.pk,
        "entries-0-position": entry.position,
        "entries-0-movie": entry.movie_id,
        "entries-0-note": entry.note,
        "entries-1-film_list": film_list.pk,
        "entries-1-position": entry.position + 1,
        "entries-1-movie": "99999999999999999999",
    }
    url = reverse("admin:feedback_filmlist_change", args=[film_list.pk])

    response = staff_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[1].errors["movie"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert list(FilmListEntry.objects.all()) == [entry]


def test_a_chosen_genre_among_huge_ones_saves_nothing_and_alone_saves(staff_client):
    genre = factories.GenreFactory()
    url = reverse("admin:catalog_movie_add")
    data = empty_inlines(staff_client, url) | {"title": "Alien", "popularity": "0"}

    response = staff_client.post(url, data | {"genres": [genre.pk, "99999999999999999999"]})

    assert response.status_code == HTTPStatus.OK
    assert not Movie.objects.exists()
    response = staff_client.post(url, data | {"genres": [genre.pk]})
    assert response.status_code == HTTPStatus.FOUND
    assert list(Movie.objects.get().genres.all()) == [genre]
    assert Genre.objects.count() == 1


def test_chosen_objects_by_text_and_by_number_still_save(staff_client):
    """A media item's key is text: a number that looks huge is only its name."""
    media = factories.MediaFactory(media_id="99999999999999999999")
    user = factories.UserFactory()
    data = {"user": user.pk, "media": media.pk}
    data |= {"started_at_0": "2024-05-01", "started_at_1": "20:00:00"}

    response = staff_client.post(reverse("admin:feedback_viewinghistory_add"), data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    viewing = ViewingHistory.objects.get()
    assert (viewing.user, viewing.media) == (user, media)
