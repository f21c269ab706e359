"""A list's name is one line: it heads the list's page and fills menus, select options and
exports' cells. The page's text input sends no control character, but a crafted form, the
admin and the import of an export did, and nothing refused one. FilmList.clean() and a
CHECK now refuse it, in the same words, beside the name wherever a form shows it."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_json
from feedback.film_list_models import (
    LIST_NAME_BLANK_MESSAGE,
    LIST_NAME_CONTROL_CHARACTER_MESSAGE,
    LIST_NAME_UNTRIMMED_MESSAGE,
)
from feedback.models import FilmList
from tests.conftest import assert_refused_by_database, insert_and_check_constraints
from tests.factories import FilmListEntryFactory, FilmListFactory, UserFactory
from tests.feedback.test_admin_long_film_lists import post_form, posted_back

pytestmark = pytest.mark.django_db

LISTS_URL = reverse("feedback:film_lists")
# Inside the name: the forms strip what stands at either end.
WITH_CONTROL_CHARACTERS = ["Kids\nfilms", "Kids\tfilms", "Kids\rfilms", "Kids\x85films"]
IDS = ["line-feed", "tab", "carriage-return", "next-line"]
MORE_CONTROL_CHARACTERS = ["bell\x07", "\x1bescape", "del\x7f", "c1\x9f"]
# Taken as they are: spaces inside, and whitespace that is no control character.
VALID = ["Films to show the kids", "Best  of 2024", "No\u00a0break", "名前\u3000映画", "x" * 100]


def list_row(user, name: str) -> dict:
    now = timezone.now()
    return {
        "user_id": user.pk,
        "name": name,
        "description": "",
        "created_at": now,
        "updated_at": now,
    }


def name_typed(response, name: str) -> bool:
    return f'value="{escape(name)}"' in response.text


# Validation and the database


@pytest.mark.parametrize("name", WITH_CONTROL_CHARACTERS + MORE_CONTROL_CHARACTERS)
def test_validation_and_the_database_refuse_the_name_in_the_same_words(user, name):
    with pytest.raises(ValidationError) as refused:
        FilmList(user=user, name=name).full_clean()

    assert refused.value.message_dict == {"name": [LIST_NAME_CONTROL_CHARACTER_MESSAGE]}
    [check] = [
        constraint
        for constraint in FilmList._meta.constraints
        if constraint.name == "feedback_film_list_name_no_control_character"
    ]
    assert check.violation_error_message == LIST_NAME_CONTROL_CHARACTER_MESSAGE
    assert_refused_by_database("feedback_filmlist", **list_row(user, name))


@pytest.mark.parametrize("name", VALID)
def test_valid_names_are_taken_by_validation_and_the_database(user, name):
    FilmList(user=user, name=name).full_clean()

    insert_and_check_constraints("feedback_filmlist", list_row(user, name))


def test_a_nul_is_refused_by_validation(user):
    """Not by a CHECK: PostgreSQL stores no NUL at all, and SQLite's LIKE cannot look
    for one (feedback/media_ids.py)."""
    with pytest.raises(ValidationError) as refused:
        FilmList(user=user, name="a\x00b").full_clean()

    assert refused.value.message_dict == {"name": [LIST_NAME_CONTROL_CHARACTER_MESSAGE]}


@pytest.mark.parametrize(
    ("name", "errors"),
    [
        ("Kids\n", [LIST_NAME_UNTRIMMED_MESSAGE, LIST_NAME_CONTROL_CHARACTER_MESSAGE]),
        ("\n\t", [LIST_NAME_BLANK_MESSAGE]),
    ],
    ids=["untrimmed", "blank"],
)
def test_validation_names_every_broken_rule_of_the_name(user, name, errors):
    with pytest.raises(ValidationError) as refused:
        FilmList(user=user, name=name).full_clean()

    assert refused.value.message_dict == {"name": errors}


def test_validation_asks_the_database_nothing_of_the_rule(user, django_assert_num_queries):
    film_list = FilmList(user=user, name="Kids films")

    # The owner's row, and the UNIQUE of the name in any case: no CHECK is asked.
    with django_assert_num_queries(2):
        film_list.full_clean()


@pytest.mark.parametrize("name", WITH_CONTROL_CHARACTERS, ids=IDS)
def test_the_database_refuses_a_save_or_update_around_validation(user, name):
    film_list = FilmListFactory(user=user, name="Kids films")

    with pytest.raises(IntegrityError), transaction.atomic():
        FilmList.objects.filter(pk=film_list.pk).update(name=name)
    film_list.name = name
    with pytest.raises(IntegrityError), transaction.atomic():
        film_list.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        FilmList.objects.create(user=user, name=name.replace("Kids", "Other"))

    assert list(FilmList.objects.values_list("name", flat=True)) == ["Kids films"]


# The pages


@pytest.mark.parametrize("name", WITH_CONTROL_CHARACTERS, ids=IDS)
def test_making_a_list_refuses_the_name_beside_it_keeping_what_was_typed(user_client, user, name):
    response = user_client.post(LISTS_URL, {"name": name, "description": "Kept"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": [LIST_NAME_CONTROL_CHARACTER_MESSAGE]}
    assert escape(LIST_NAME_CONTROL_CHARACTER_MESSAGE) in response.text
    assert name_typed(response, name)
    assert ">\nKept</textarea>" in response.text
    assert not FilmList.objects.exists()


@pytest.mark.parametrize("name", WITH_CONTROL_CHARACTERS, ids=IDS)
def test_renaming_a_list_refuses_the_name_beside_it_keeping_what_was_typed(user_client, user, name):
    film_list = FilmListFactory(user=user, name="Rewatches", description="")

    response = user_client.post(film_list.get_absolute_url(), {"name": name, "description": "Kept"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": [LIST_NAME_CONTROL_CHARACTER_MESSAGE]}
    assert escape(LIST_NAME_CONTROL_CHARACTER_MESSAGE) in response.text
    assert name_typed(response, name)
    assert ">\nKept</textarea>" in response.text
    film_list.refresh_from_db()
    assert (film_list.name, film_list.description) == ("Rewatches", "")


def test_a_nul_in_the_name_is_refused_by_the_form_itself(user_client, user):
    """forms.CharField refuses a NUL before the list is validated, in its own words."""
    response = user_client.post(LISTS_URL, {"name": "Kids\x00films", "description": ""})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": ["Null characters are not allowed."]}
    assert not FilmList.objects.exists()


# The admin


@pytest.mark.parametrize("name", WITH_CONTROL_CHARACTERS, ids=IDS)
def test_the_admin_shows_the_error_on_the_name(staff_client, name):
    film_list = FilmListFactory(name="Rewatches")
    url = reverse("admin:feedback_filmlist_change", args=[film_list.pk])
    pairs = posted_back(staff_client.get(url), "filmlist_form")
    pairs = [(field, name if field == "name" else value) for field, value in pairs]

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.OK
    form = response.context["adminform"].form
    assert form.errors == {"name": [LIST_NAME_CONTROL_CHARACTER_MESSAGE]}
    film_list.refresh_from_db()
    assert film_list.name == "Rewatches"


# The import of an export


@pytest.mark.parametrize("name", WITH_CONTROL_CHARACTERS, ids=IDS)
def test_the_import_of_an_export_mends_the_name_as_the_upgrade_does(user, name):
    """An export taken before feedback migration 0017 may hold such a name: the import
    mends it as the migration mended the list itself, and its films follow it."""
    FilmListFactory(user=user, name="Rewatches")
    FilmListEntryFactory(film_list=FilmListFactory(user=user, name="Kids films"))
    rows = read_export(export_json(user))
    for row in rows["lists"]:
        row["name"] = row["name"].replace("Kids films", name)
    for row in rows["list_entries"]:
        row["list_name"] = row["list_name"].replace("Kids films", f" {name}\n")
    elsewhere = UserFactory()

    user_export_import(user=elsewhere, rows=rows)

    mended = FilmList.objects.get(user=elsewhere, name="Kids films")
    assert mended.entries.count() == 1
    assert FilmList.objects.filter(user=elsewhere).count() == 2


def test_the_import_refuses_two_names_that_mend_alike_naming_the_row(user):
    FilmListFactory(user=user, name="Kids films")
    FilmListFactory(user=user, name="Rewatches")
    rows = read_export(export_json(user))
    names = [row["name"] for row in rows["lists"]]
    rows["lists"][names.index("Rewatches")]["name"] = "Kids\tfilms"
    elsewhere = UserFactory()

    with pytest.raises(ExportFormatError) as refused:
        user_export_import(user=elsewhere, rows=rows)

    later = max(names.index("Rewatches"), names.index("Kids films")) + 1
    assert f"lists row {later}: name 'Kids films' is another row's list" in str(refused.value)
    assert not FilmList.objects.filter(user=elsewhere).exists()
