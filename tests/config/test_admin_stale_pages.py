"""An admin page of one object opened before someone else changed it, saved by staff:
refused, naming what changed, and nothing written (config/admin_stale.py). Each page is
posted back as the browser sends it: every field it drew, the hidden copies of the
values drawn included."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from config.admin_stale import CHANGED_MEANWHILE
from feedback.models import UserFeedback, ViewingHistory
from feedback.services import viewing_update
from tests import factories
from tests.admin_forms import post_form, posted_back

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 1, 20, 15, 30, 123456, tzinfo=dt.UTC)


def changed(pairs, field: str, value: str) -> list[tuple[str, str]]:
    return [(name, value if name == field else posted) for name, posted in pairs]


def form_errors(response) -> list[str]:
    return list(response.context["adminform"].form.non_field_errors())


@pytest.fixture
def viewing():
    return factories.ViewingHistoryFactory(started_at=START, minutes_watched=95, completed=True)


def viewing_page(viewing) -> str:
    return reverse("admin:feedback_viewinghistory_change", args=[viewing.pk])


def corrected_by_its_person(viewing) -> dict:
    viewing_update(
        viewing=ViewingHistory.objects.get(pk=viewing.pk),
        started_at=START - dt.timedelta(hours=2),
        minutes_watched=40,
        completed=False,
    )
    return ViewingHistory.objects.filter(pk=viewing.pk).values().get()


def test_a_viewing_its_person_corrected_meanwhile_is_not_overwritten(staff_client, viewing):
    url = viewing_page(viewing)
    pairs = posted_back(staff_client.get(url), "viewinghistory_form")
    theirs = corrected_by_its_person(viewing)

    response = post_form(staff_client, url, changed(pairs, "minutes_watched", "50"))

    assert response.status_code == HTTPStatus.OK, "saved"
    fields = "started at, minutes watched, completed"
    assert form_errors(response) == [CHANGED_MEANWHILE.format(object="viewing", fields=fields)]
    assert ViewingHistory.objects.filter(pk=viewing.pk).values().get() == theirs


def test_a_viewing_nobody_changed_meanwhile_saves_to_the_microsecond_drawn(staff_client, viewing):
    # The start is drawn to the second; the stored one has microseconds: not a change.
    url = viewing_page(viewing)
    pairs = posted_back(staff_client.get(url), "viewinghistory_form")

    response = post_form(staff_client, url, changed(pairs, "minutes_watched", "50"))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert ViewingHistory.objects.get(pk=viewing.pk).minutes_watched == 50


def test_a_post_without_the_drawn_values_is_saved_as_before(staff_client, viewing):
    # A script's POST, or one from before the hidden copies: nothing to compare, so no
    # refusal; the form's values are written, as they were.
    url = viewing_page(viewing)
    pairs = posted_back(staff_client.get(url), "viewinghistory_form")
    pairs = [(name, value) for name, value in pairs if not name.startswith("initial-")]
    corrected_by_its_person(viewing)

    response = post_form(staff_client, url, changed(pairs, "minutes_watched", "50"))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    saved = ViewingHistory.objects.get(pk=viewing.pk)
    assert (saved.minutes_watched, saved.completed) == (50, True)


def test_a_page_drawn_again_after_an_error_keeps_the_values_first_drawn(staff_client, viewing):
    # Django drew a date and time's hidden copy again with the value posted: the start
    # staff moved then counted as unchanged at the next save (and, compared with the
    # database, as moved by someone else).
    url = viewing_page(viewing)
    pairs = posted_back(staff_client.get(url), "viewinghistory_form")
    pairs = changed(pairs, "started_at_1", "18:00:00")
    with_error = post_form(staff_client, url, changed(pairs, "minutes_watched", "-5"))
    assert with_error.status_code == HTTPStatus.OK, "saved"

    pairs = posted_back(with_error, "viewinghistory_form")
    response = post_form(staff_client, url, changed(pairs, "minutes_watched", "50"))

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    saved = ViewingHistory.objects.get(pk=viewing.pk)
    assert timezone.localtime(saved.started_at).time() == dt.time(18, 0)
    # A finished viewing moved in time says anew that its person finished the item.
    feedback = UserFeedback.objects.get(user=saved.user, media=saved.media)
    assert feedback.watched_completion is True


def test_an_account_whose_person_logged_in_meanwhile_names_the_last_login(staff_client):
    member = factories.UserFactory(last_login=START)
    url = reverse("admin:auth_user_change", args=[member.pk])
    pairs = posted_back(staff_client.get(url), "user_form")
    get_user_model().objects.filter(pk=member.pk).update(last_login=timezone.now())

    response = post_form(staff_client, url, changed(pairs, "first_name", "Ann"))

    assert response.status_code == HTTPStatus.OK, "saved"
    message = CHANGED_MEANWHILE.format(object="user", fields="last login")
    assert form_errors(response) == [message]


@pytest.fixture
def pages():
    """Change pages of every kind of field the admin draws: dates and times, choices of
    objects (autocomplete, and many at once), JSON, decimals, booleans."""
    movie = factories.MovieFactory()
    movie.genres.set([factories.GenreFactory(), factories.GenreFactory()])
    media = factories.MediaFactory(movie=movie)
    return {
        "catalog_movie": movie,
        "catalog_genre": movie.genres.first(),
        "catalog_review": factories.ReviewFactory(movie=movie),
        "catalog_rating": factories.RatingFactory(movie=movie, aggregate=True),
        "catalog_usersearch": factories.UserSearchFactory(),
        "feedback_media": media,
        "feedback_userfeedback": factories.UserFeedbackFactory(media=media),
        "feedback_viewinghistory": factories.ViewingHistoryFactory(media=media),
        "feedback_filmlist": factories.FilmListEntryFactory().film_list,
        "recommendations_recommendationlog": factories.RecommendationLogFactory(media=media),
        "auth_user": factories.UserFactory(last_login=START),
    }


@pytest.mark.parametrize(
    "page",
    [
        "catalog_movie",
        "catalog_genre",
        "catalog_review",
        "catalog_rating",
        "catalog_usersearch",
        "feedback_media",
        "feedback_userfeedback",
        "feedback_viewinghistory",
        "feedback_filmlist",
        "recommendations_recommendationlog",
        "auth_user",
    ],
)
def test_a_page_nobody_changed_meanwhile_is_saved_as_drawn(staff_client, pages, page):
    obj = pages[page]
    url = reverse(f"admin:{page}_change", args=[obj.pk])
    model = type(obj)
    before = model.objects.filter(pk=obj.pk).values().get()

    response = post_form(
        staff_client, url, posted_back(staff_client.get(url), f"{model._meta.model_name}_form")
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    after = model.objects.filter(pk=obj.pk).values().get()
    drawn_to_the_second = {k for k, v in before.items() if isinstance(v, dt.datetime)}
    assert {k: v for k, v in after.items() if k not in drawn_to_the_second} == {
        k: v for k, v in before.items() if k not in drawn_to_the_second
    }
