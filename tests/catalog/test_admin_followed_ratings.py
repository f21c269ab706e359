"""A Marquee rating that follows its person's feedback is shown in the admin, not changed.

feedback.services keeps it from the person's latest rated feedback on the film: a staff
edit or delete of the rating itself lasted only until that feedback's next save, and
meanwhile the film's stats counted stars the person never gave. Ratings no feedback
stands behind (a staff entry for a film without feedback) stay editable.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.admin_inlines import FOLLOWS_FEEDBACK
from catalog.models import MovieRatingStats, Rating
from feedback.services import feedback_record
from tests.catalog.test_admin_rating_rows import INLINE, movie_form, row_errors
from tests.factories import MediaFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(user):
    media = MediaFactory()
    feedback_record(user=user, media=media, rating=4)
    return Rating.objects.get(user=user, movie=media.movie, source="marquee")


@pytest.fixture
def unfollowed(user):
    return RatingFactory(user=user, value=2)  # a Marquee rating; no feedback on its film


def change_url(rating) -> str:
    return reverse("admin:catalog_rating_change", args=[rating.pk])


def edited(rating, value: str) -> dict:
    return {
        "movie": rating.movie_id,
        "source": rating.source,
        "rater_kind": rating.rater_kind,
        "user": rating.user_id,
        "external_rater_id": "",
        "value": value,
        "scale_min": "1",
        "scale_max": "5",
        "rated_at_0": "2026-01-01",
        "rated_at_1": "12:00:00",
    }


def test_a_followed_rating_is_shown_read_only_saying_why(staff_client, followed):
    response = staff_client.get(change_url(followed))

    assert response.status_code == HTTPStatus.OK
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.text
    assert FOLLOWS_FEEDBACK in [str(message) for message in response.context["messages"]]


def test_a_followed_rating_is_not_changed_by_a_post(staff_client, followed):
    response = staff_client.post(change_url(followed), edited(followed, "1"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    followed.refresh_from_db()
    assert followed.value == 4
    assert MovieRatingStats.objects.get(movie=followed.movie).score == pytest.approx(0.75)


def test_a_followed_rating_is_not_deleted(staff_client, followed):
    url = reverse("admin:catalog_rating_delete", args=[followed.pk])

    page = staff_client.get(url)
    response = staff_client.post(url, {"post": "yes"})

    assert "Marquee ratings that follow their person&#x27;s feedback" in page.text
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Rating.objects.filter(pk=followed.pk).exists()


def test_a_bulk_delete_with_a_followed_rating_deletes_nothing(staff_client, followed, unfollowed):
    data = {"action": "delete_selected", "_selected_action": [followed.pk, unfollowed.pk]}

    response = staff_client.post(reverse("admin:catalog_rating_changelist"), data | {"post": "yes"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Rating.objects.filter(pk__in=[followed.pk, unfollowed.pk]).count() == 2


def test_a_rating_no_feedback_stands_behind_is_edited_and_deleted(staff_client, unfollowed):
    response = staff_client.post(change_url(unfollowed), edited(unfollowed, "5"))

    assert response.status_code == HTTPStatus.FOUND
    unfollowed.refresh_from_db()
    assert unfollowed.value == 5

    data = {"action": "delete_selected", "_selected_action": [unfollowed.pk], "post": "yes"}
    staff_client.post(reverse("admin:catalog_rating_changelist"), data)
    assert not Rating.objects.filter(pk=unfollowed.pk).exists()


def test_feedback_without_stars_leaves_nothing_to_follow(staff_client, user):
    """Feedback that rates nothing keeps no Marquee rating: one entered by staff stays theirs."""
    media = MediaFactory()
    feedback_record(user=user, media=media, watched_completion=True)
    rating = RatingFactory(movie=media.movie, user=user, value=3)

    response = staff_client.get(change_url(rating))

    assert response.context["has_change_permission"] is True


def inline_rows(movie, rows: list[tuple[Rating, dict]]) -> dict:
    """The movie's change form with these ratings as its Ratings inline's initial rows."""
    data = movie_form(movie, [])
    data |= {f"{INLINE}-TOTAL_FORMS": str(len(rows)), f"{INLINE}-INITIAL_FORMS": str(len(rows))}
    for index, (rating, changes) in enumerate(rows):
        row = edited(rating, str(rating.value)) | {"id": rating.pk} | changes
        data |= {f"{INLINE}-{index}-{name}": value for name, value in row.items()}
    return data


def test_the_films_inline_refuses_to_change_a_followed_rating(staff_client, followed):
    url = reverse("admin:catalog_movie_change", args=[followed.movie_id])

    response = staff_client.post(url, inline_rows(followed.movie, [(followed, {"value": "1"})]))

    assert row_errors(response) == [[FOLLOWS_FEEDBACK]]
    followed.refresh_from_db()
    assert followed.value == 4


def test_the_films_inline_refuses_to_delete_a_followed_rating(staff_client, followed):
    url = reverse("admin:catalog_movie_change", args=[followed.movie_id])

    response = staff_client.post(url, inline_rows(followed.movie, [(followed, {"DELETE": "on"})]))

    assert response.status_code == HTTPStatus.OK, "saved"
    [inline] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == INLINE]
    assert list(inline.formset.non_form_errors()) == [FOLLOWS_FEEDBACK]
    assert Rating.objects.filter(pk=followed.pk).exists()


def test_the_films_inline_edits_another_persons_unfollowed_rating(staff_client, followed):
    theirs = RatingFactory(movie=followed.movie, user=UserFactory(), value=2)
    url = reverse("admin:catalog_movie_change", args=[followed.movie_id])

    rows = [(followed, {}), (theirs, {"value": "3"})]
    response = staff_client.post(url, inline_rows(followed.movie, rows))

    assert response.status_code == HTTPStatus.FOUND
    theirs.refresh_from_db()
    assert theirs.value == 3
