"""Two lists whose names look the same: "Café" typed with "é" (U+00E9) and with "e" and a
combining acute (U+0065 U+0301), or "Favourites" and "Favou\u200brites" (a zero-width
space inside). Every write stores a name composed (NFC) and without invisible characters,
so the UNIQUE of a person's names sees the two alike; a CHECK refuses the invisible ones.
The zero-width joiner of an emoji and the non-joiner of a Persian word stay."""

import re
from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from feedback.export_import import user_export_import
from feedback.export_reading import read_export
from feedback.exports import export_json
from feedback.film_list_models import (
    INVISIBLE_IN_NAMES,
    LIST_NAME_TAKEN_MESSAGE,
    LIST_NAME_TOO_LONG_MESSAGE,
)
from feedback.film_lists import film_list_create, film_list_update
from feedback.models import FilmList
from tests.conftest import assert_refused_by_database, insert_and_check_constraints
from tests.factories import FilmListEntryFactory, FilmListFactory, UserFactory
from tests.feedback.test_admin_long_film_lists import post_form, posted_back
from tests.feedback.test_film_list_name_rule import list_row

pytestmark = pytest.mark.django_db

LISTS_URL = reverse("feedback:film_lists")
CAFE = "Caf\u00e9 films"  # composed: é
CAFE_DECOMPOSED = "Cafe\u0301 films"  # e and a combining acute accent
# Each typed name, and the existing name it looks like.
LOOK_ALIKES = {
    "decomposed": (CAFE_DECOMPOSED, CAFE),
    "zero-width-space": ("Favou\u200brites", "Favourites"),
    "word-joiner": ("Favou\u2060rites", "Favourites"),
    "byte-order-mark": ("\ufeffFavourites", "Favourites"),
    "soft-hyphen": ("Favou\u00adrites", "Favourites"),
    "left-to-right-mark": ("Favourites\u200e", "Favourites"),
    "right-to-left-override": ("\u202eFavourites", "Favourites"),
    "in-another-case-too": ("CAFE\u0301 FILMS", CAFE),
}
# Each kept as it is: the joiner makes one emoji of three, the non-joiner spells Persian.
KEPT = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467 nights",
    "\u0641\u06cc\u0644\u0645\u200c\u0647\u0627",
]


@pytest.mark.parametrize("char", sorted(INVISIBLE_IN_NAMES), ids=lambda char: f"U+{ord(char):04X}")
def test_the_database_refuses_each_invisible_character(user, char):
    assert_refused_by_database("feedback_filmlist", **list_row(user, f"Favou{char}rites"))


@pytest.mark.parametrize("name", KEPT)
def test_the_joiners_stay_and_the_database_takes_them(user, name):
    film_list = film_list_create(user=user, name=name)

    film_list.refresh_from_db()
    assert film_list.name == name
    insert_and_check_constraints("feedback_filmlist", list_row(UserFactory(), name))


def test_a_decomposed_name_is_stored_composed(user):
    film_list = film_list_create(user=user, name=CAFE_DECOMPOSED)

    film_list.refresh_from_db()
    assert film_list.name == CAFE


def test_invisible_characters_that_hid_a_space_at_the_end_go_with_it(user):
    assert film_list_create(user=user, name="Favourites \u200b").name == "Favourites"


def test_a_save_around_validation_stores_the_name_normalised(user):
    film_list = FilmList.objects.create(user=user, name="Favou\u200brites")

    film_list.refresh_from_db()
    assert film_list.name == "Favourites"
    with pytest.raises(IntegrityError), transaction.atomic():
        FilmList.objects.create(user=user, name="FAVOU\u2060RITES")  # the UNIQUE sees it


def test_an_update_around_validation_meets_the_check(user):
    film_list = FilmListFactory(user=user, name="Favourites")

    with pytest.raises(IntegrityError), transaction.atomic():
        FilmList.objects.filter(pk=film_list.pk).update(name="Favou\u200brites")


# The pages


@pytest.mark.parametrize(("typed", "existing"), LOOK_ALIKES.values(), ids=LOOK_ALIKES)
def test_making_a_list_named_like_another_is_refused(user_client, user, typed, existing):
    FilmListFactory(user=user, name=existing)

    response = user_client.post(LISTS_URL, {"name": typed, "description": ""})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": [LIST_NAME_TAKEN_MESSAGE]}
    assert list(FilmList.objects.values_list("name", flat=True)) == [existing]


@pytest.mark.parametrize(("typed", "existing"), LOOK_ALIKES.values(), ids=LOOK_ALIKES)
def test_renaming_a_list_like_another_is_refused(user_client, user, typed, existing):
    FilmListFactory(user=user, name=existing)
    film_list = FilmListFactory(user=user, name="Rewatches")

    response = user_client.post(film_list.get_absolute_url(), {"name": typed, "description": ""})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": [LIST_NAME_TAKEN_MESSAGE]}
    film_list.refresh_from_db()
    assert film_list.name == "Rewatches"


def test_a_list_renamed_with_an_invisible_character_is_stored_without_it(user):
    film_list = FilmListFactory(user=user, name="Rewatches")

    film_list_update(film_list=film_list, name="Re\u200bwatches\u00ad", description="")

    film_list.refresh_from_db()
    assert film_list.name == "Rewatches"


def test_the_page_makes_a_list_of_a_decomposed_name_composed(user_client, user):
    user_client.post(LISTS_URL, {"name": CAFE_DECOMPOSED, "description": ""})

    assert list(FilmList.objects.values_list("name", flat=True)) == [CAFE]


# The admin


def admin_posts_name(staff_client, film_list, name):
    url = reverse("admin:feedback_filmlist_change", args=[film_list.pk])
    pairs = posted_back(staff_client.get(url), "filmlist_form")
    pairs = [(field, name if field == "name" else value) for field, value in pairs]
    return post_form(staff_client, url, pairs)


@pytest.mark.parametrize(("typed", "existing"), LOOK_ALIKES.values(), ids=LOOK_ALIKES)
def test_the_admin_refuses_a_name_like_another_on_the_name(staff_client, typed, existing):
    other = FilmListFactory(name=existing)
    film_list = FilmListFactory(user=other.user, name="Rewatches")

    response = admin_posts_name(staff_client, film_list, typed)

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors == {"name": [LIST_NAME_TAKEN_MESSAGE]}
    film_list.refresh_from_db()
    assert film_list.name == "Rewatches"


def test_the_admin_stores_the_name_normalised(staff_client):
    film_list = FilmListFactory(name="Rewatches")

    response = admin_posts_name(staff_client, film_list, "Cafe\u0301\u200b films")

    assert response.status_code == HTTPStatus.FOUND
    film_list.refresh_from_db()
    assert film_list.name == CAFE


# The import of an export


def test_the_import_finds_the_list_of_a_look_alike_name(user):
    """An export whose list and entries name "Café" decomposed and with a zero-width
    space fills the account's own "Café films", not a second list."""
    FilmListEntryFactory(film_list=FilmListFactory(user=user, name=CAFE))
    rows = read_export(export_json(user))
    for row in rows["lists"]:
        row["name"] = CAFE_DECOMPOSED
    for row in rows["list_entries"]:
        row["list_name"] = f"\u200b{CAFE_DECOMPOSED}"
    elsewhere = UserFactory()
    FilmListFactory(user=elsewhere, name=CAFE)

    user_export_import(user=elsewhere, rows=rows)

    [film_list] = FilmList.objects.filter(user=elsewhere)
    assert film_list.name == CAFE
    assert film_list.entries.count() == 1


# The length, counted once the invisible characters are gone

LONGEST = "a" * 100


def test_the_page_takes_a_longest_name_pasted_with_an_invisible_character(user_client, user):
    response = user_client.post(LISTS_URL, {"name": f"{LONGEST}\u200b", "description": ""})

    assert response.status_code == HTTPStatus.FOUND
    assert list(FilmList.objects.values_list("name", flat=True)) == [LONGEST]


def test_the_browser_is_not_told_to_cut_a_name_short(user_client):
    """Chromium counts the invisible characters against maxlength, and cut the pasted
    name's last letter: the length is the server's to check, and it says so."""
    html = user_client.get(LISTS_URL).content.decode()

    [name_input] = re.findall(r'<input[^>]*name="name"[^>]*>', html)
    assert "maxlength" not in name_input


def test_the_page_still_refuses_a_name_too_long_once_normalised(user_client, user):
    response = user_client.post(LISTS_URL, {"name": f"{LONGEST}b\u200b", "description": ""})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"name": [LIST_NAME_TOO_LONG_MESSAGE]}
    assert not FilmList.objects.exists()


def test_the_admin_takes_a_longest_name_with_an_invisible_character(staff_client):
    film_list = FilmListFactory(name="Rewatches")

    response = admin_posts_name(staff_client, film_list, f"\u200b{LONGEST}")

    assert response.status_code == HTTPStatus.FOUND
    film_list.refresh_from_db()
    assert film_list.name == LONGEST
