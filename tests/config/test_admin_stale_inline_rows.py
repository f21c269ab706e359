"""Inline rows of an admin page opened before someone else changed them, saved by staff
(config/admin_stale.py, config/admin_inlines.py). Each page is posted back as the
browser sends it: every field it drew, the hidden copies of the values drawn included."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.admin_inlines import FOLLOWS_FEEDBACK
from catalog.models import Rating
from config.admin_stale import CHANGED_MEANWHILE, DELETED_MEANWHILE
from feedback.film_lists import film_list_entry_move, film_list_entry_note_save
from feedback.models import UserFeedback
from feedback.services import feedback_delete, feedback_record
from tests import factories
from tests.admin_forms import post_form, posted_back

pytestmark = pytest.mark.django_db


def changed(pairs, field: str, value: str) -> list[tuple[str, str]]:
    return [(name, value if name == field else posted) for name, posted in pairs]


def row_of(pairs, prefix: str, row) -> str:
    [name] = [
        n.removesuffix("-id")
        for n, v in pairs
        if n.startswith(f"{prefix}-") and n.endswith("-id") and v == str(row.pk)
    ]
    return name


def row_errors(response, prefix: str) -> list[list[str]]:
    [inline] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix]
    return [list(form.non_field_errors()) for form in inline.formset.forms]


@pytest.fixture
def rated_film(user):
    """A film with the person's stars (a Marquee rating following their feedback) and
    another member's rating staff entered."""
    media = factories.MediaFactory()
    feedback_record(user=user, media=media, rating=4)
    factories.RatingFactory(movie=media.movie, user=factories.UserFactory(), value=2)
    return media


def film_page(media) -> str:
    return reverse("admin:catalog_movie_change", args=[media.movie_id])


def test_a_rating_its_person_changed_meanwhile_is_not_taken_for_staffs_edit(
    staff_client, user, rated_film
):
    url = film_page(rated_film)
    pairs = posted_back(staff_client.get(url), "movie_form")
    feedback_record(user=user, media=rated_film, rating=2)  # the person changes their stars

    response = post_form(staff_client, url, changed(pairs, "title", "Heat (1995)"))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    rated_film.movie.refresh_from_db()
    assert rated_film.movie.title == "Heat (1995)"
    assert Rating.objects.get(user=user, movie=rated_film.movie).value == 2


def test_a_rating_deleted_meanwhile_says_so_on_its_row(staff_client, user, rated_film):
    url = film_page(rated_film)
    pairs = posted_back(staff_client.get(url), "movie_form")
    feedback_delete(feedback=UserFeedback.objects.get(user=user))  # and its rating with it

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.OK, "saved"
    message = DELETED_MEANWHILE.format(object="rating")
    assert row_errors(response, "ratings") == [[], [message]]
    assert message in response.content.decode().replace("&#x27;", "'")


def test_a_rating_deleted_meanwhile_and_marked_for_deletion_is_let_go(
    staff_client, user, rated_film
):
    url = film_page(rated_film)
    gone = Rating.objects.get(user=user)
    pairs = posted_back(staff_client.get(url), "movie_form")
    pairs.append((f"{row_of(pairs, 'ratings', gone)}-DELETE", "on"))
    feedback_delete(feedback=UserFeedback.objects.get(user=user))

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]


@pytest.fixture
def film_list():
    film_list = factories.FilmListFactory(description="Old")
    for _ in range(4):
        factories.FilmListEntryFactory(film_list=film_list, note="")
    return film_list


def list_page(film_list) -> str:
    return reverse("admin:feedback_filmlist_change", args=[film_list.pk])


def order_of(film_list) -> list[int]:
    return list(film_list.entries.order_by("position").values_list("pk", flat=True))


def test_a_list_its_person_reordered_meanwhile_keeps_their_order(staff_client, film_list):
    url = list_page(film_list)
    pairs = posted_back(staff_client.get(url), "filmlist_form")
    last = film_list.entries.order_by("position").last()
    film_list_entry_move(entry=last, to_position=1)  # the person moves their last film up
    reordered = order_of(film_list)

    response = post_form(staff_client, url, changed(pairs, "description", "New"))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    film_list.refresh_from_db()
    assert film_list.description == "New"
    assert order_of(film_list) == reordered


def test_a_row_staff_changed_that_its_person_changed_too_is_refused(staff_client, film_list):
    url = list_page(film_list)
    entry = film_list.entries.order_by("position").first()
    pairs = posted_back(staff_client.get(url), "filmlist_form")
    film_list_entry_note_save(entry=entry, note="Theirs")

    response = post_form(
        staff_client, url, changed(pairs, f"{row_of(pairs, 'entries', entry)}-note", "Staff's")
    )

    assert response.status_code == HTTPStatus.OK, "saved"
    message = CHANGED_MEANWHILE.format(object="film list entry", fields="note")
    assert row_errors(response, "entries") == [[message], [], [], []]
    entry.refresh_from_db()
    assert entry.note == "Theirs"


def test_a_post_without_the_drawn_values_compares_with_the_rows_now(staff_client, user, rated_film):
    # A script's POST, or one from before the hidden copies: as before, a row differing
    # from the database is staff's edit, and the rating that follows feedback refuses it.
    url = film_page(rated_film)
    pairs = posted_back(staff_client.get(url), "movie_form")
    pairs = [(name, value) for name, value in pairs if not name.startswith("initial-")]
    feedback_record(user=user, media=rated_film, rating=2)

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.OK, "saved"
    assert row_errors(response, "ratings") == [[], [FOLLOWS_FEEDBACK]]
    assert Rating.objects.get(user=user, movie=rated_film.movie).value == 2
