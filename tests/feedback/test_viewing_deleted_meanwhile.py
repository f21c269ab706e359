"""A viewing, or feedback, deleted in one tab while another tab writes to it: the write
that comes second finds it gone and says so, or takes its turn; never a 500.

The writes at the same moment run as the web server's would, each request a thread with
a connection of its own (tests/at_once.py), the first holding its transaction open while
the second is sent: on PostgreSQL the second meets the first's locks, on SQLite it waits
at BEGIN (IMMEDIATE) after reading the rows as they were.
"""

import threading
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from catalog.models import RaterKind, Rating, RatingSource
from feedback import services
from feedback.admin import ViewingHistoryAdmin
from feedback.models import UserFeedback, ViewingHistory
from feedback.services import feedback_delete, feedback_record
from tests.at_once import Answer, at_once, held, pages_in_turn
from tests.factories import MediaFactory, MovieFactory, ViewingHistoryFactory

HISTORY_URL = reverse("feedback:history")
ALREADY_DELETED = "That viewing is already deleted."


def edit_url(viewing):
    return reverse("feedback:history_edit", args=[viewing.pk])


def delete_url(viewing):
    return reverse("feedback:history_delete", args=[viewing.pk])


def edit(viewing):
    return lambda client: client.post(
        edit_url(viewing), {"started_at": "2024-05-01T21:30", "minutes_watched": "20"}
    )


def delete(viewing):
    return lambda client: client.post(delete_url(viewing))


def watched_it(media):
    """ "I watched this" sent again, saying the person finished it after all."""
    url = reverse("feedback:media_watched", args=[media.pk])
    return lambda client: client.post(url, {"minutes_watched": "160", "completed": "on"})


@pytest.fixture
def half_watched(user):
    """ "Ran", and the person's viewing of it just added: 45 minutes, not finished."""
    media = MediaFactory(title="Ran")
    viewing = ViewingHistoryFactory(
        user=user, media=media, started_at=timezone.now(), minutes_watched=45, completed=False
    )
    return media, viewing


@pytest.mark.django_db(transaction=True)
def test_an_edit_sent_as_the_viewing_is_deleted_says_it_is_deleted(user, monkeypatch):
    """The edit read the viewing before the delete committed, then saved it: no row to
    update, a 500. It takes the person's lock, then finds the viewing gone."""
    viewing = ViewingHistoryFactory(user=user, media__title="Ran")
    went = threading.Event()
    monkeypatch.setattr(services, "viewing_delete", held(services.viewing_delete, went))

    deleted, edited = pages_in_turn(user, delete(viewing), edit(viewing), went=went)

    assert deleted == Answer(HTTPStatus.FOUND, HISTORY_URL, ["Your viewing of “Ran” is deleted."])
    assert edited == Answer(HTTPStatus.FOUND, HISTORY_URL, [ALREADY_DELETED])
    assert not ViewingHistory.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_i_watched_this_corrected_as_the_viewing_is_deleted_adds_a_viewing(
    user, half_watched, monkeypatch
):
    """ "I watched this" sent again saying otherwise corrects the viewing just added; the
    correction read it before the delete committed, then saved it (a 500 on PostgreSQL).
    The delete takes the person's lock now: the correction finds no viewing to correct,
    and adds one."""
    media, viewing = half_watched
    went = threading.Event()
    monkeypatch.setattr(services, "viewing_delete", held(services.viewing_delete, went))

    deleted, corrected = pages_in_turn(user, delete(viewing), watched_it(media), went=went)

    assert deleted.messages == ["Your viewing of “Ran” is deleted."]
    assert corrected == Answer(
        HTTPStatus.FOUND, media.get_absolute_url(), ["“Ran” is added to your history."]
    )
    added = ViewingHistory.objects.get()
    assert added.pk != viewing.pk
    assert (added.minutes_watched, added.completed) == (160, True)


@pytest.mark.django_db(transaction=True)
def test_two_feedbacks_on_one_film_deleted_at_once_leave_no_marquee_rating(user):
    """Each delete derived the film's Marquee rating from the other's feedback as it was
    before, and one was left that no feedback stands behind (on PostgreSQL). They take
    turns on the person's row now: the second sees the first's delete."""
    movie = MovieFactory()
    first, second = (
        feedback_record(user=user, media=MediaFactory(movie=movie), rating=rating)
        for rating in (2, 5)
    )

    errors = at_once(
        lambda: feedback_delete(feedback=first),
        lambda: feedback_delete(feedback=second),
        stagger=0.1,
    )

    assert errors == []
    assert not UserFeedback.objects.exists()
    assert not Rating.objects.filter(
        movie=movie, source=RatingSource.MARQUEE, rater_kind=RaterKind.USER
    ).exists()


@pytest.mark.django_db
def test_an_edit_of_a_viewing_deleted_after_the_page_read_it_says_so(
    user_client, user, monkeypatch
):
    """The viewing deleted between the edit page's read and the save: the service, given
    the viewing as read, finds it gone once it has the lock."""
    viewing = ViewingHistoryFactory(user=user)
    update = services.viewing_update

    def deleted_first(*, viewing, **changes):
        ViewingHistory.objects.filter(pk=viewing.pk).delete()
        return update(viewing=viewing, **changes)

    monkeypatch.setattr(services, "viewing_update", deleted_first)

    response = edit(viewing)(user_client)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == HISTORY_URL
    assert [str(message) for message in get_messages(response.wsgi_request)] == [ALREADY_DELETED]
    assert not ViewingHistory.objects.exists()


def staff_deletes(viewing):
    url = reverse("admin:feedback_viewinghistory_delete", args=[viewing.pk])
    return lambda client: client.post(url, {"post": "yes"})


def staff_delete_selected(viewing):
    url = reverse("admin:feedback_viewinghistory_changelist")
    data = {"action": "delete_selected", "_selected_action": [viewing.pk], "post": "yes"}
    return lambda client: client.post(url, data)


@pytest.mark.parametrize(
    ("delete_in_admin", "admin_method"),
    [(staff_deletes, "delete_model"), (staff_delete_selected, "delete_queryset")],
)
@pytest.mark.django_db(transaction=True)
def test_i_watched_this_corrected_as_staff_delete_the_viewing_adds_a_viewing(
    user, staff_user, half_watched, monkeypatch, delete_in_admin, admin_method
):
    """Staff deleting the viewing in the admin, from its page or the list's action, while
    its member corrects it with "I watched this": the correction read it under the
    person's lock, which the admin did not take, then saved it once the delete committed
    (a 500 on PostgreSQL). The admin takes the lock now, as the member's own delete does."""
    media, viewing = half_watched
    went = threading.Event()
    monkeypatch.setattr(
        ViewingHistoryAdmin, admin_method, held(getattr(ViewingHistoryAdmin, admin_method), went)
    )

    deleted, corrected = pages_in_turn(
        user, delete_in_admin(viewing), watched_it(media), went=went, first_by=staff_user
    )

    assert deleted.status == HTTPStatus.FOUND
    assert corrected == Answer(
        HTTPStatus.FOUND, media.get_absolute_url(), ["“Ran” is added to your history."]
    )
    added = ViewingHistory.objects.get()
    assert added.pk != viewing.pk
    assert (added.minutes_watched, added.completed) == (160, True)
