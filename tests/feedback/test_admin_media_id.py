"""A media item's id is its primary key: the admin sets it once, when the item is added.

Changed on the change form, Django saved a second, empty item under the new id and left
everything on the old one; with feedback in the inline, it failed (a 500) showing the
form again. The form says how to move what an item holds instead.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.admin import MEDIA_ID_IS_FIXED
from feedback.models import Media, UserFeedback, ViewingHistory
from recommendations.models import RecommendationLog
from tests.factories import (
    MediaFactory,
    RecommendationLogFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:feedback_media_add")


def change_url(media) -> str:
    return reverse("admin:feedback_media_change", args=[media.pk])


def feedback_fields(row, media_id: str) -> dict:
    """A feedback row's form, on its own page or in its item's inline, as it is."""
    moment = timezone.localtime(row.timestamp)
    return {
        "feedback_id": row.pk,
        "media": media_id,
        "user": row.user_id,
        "watched_completion": "true",
        "would_watch_again": "true",
        "rating": row.rating,
        "timestamp_0": moment.strftime("%Y-%m-%d"),
        "timestamp_1": moment.strftime("%H:%M:%S"),
    }


def item_form(media_id: str, title: str, feedback=()) -> dict:
    data = {
        "media_id": media_id,
        "title": title,
        "media_type": "movie",
        "duration": "",
        "movie": "",
        "feedback-TOTAL_FORMS": len(feedback),
        "feedback-INITIAL_FORMS": len(feedback),
    }
    for number, row in enumerate(feedback):
        fields = feedback_fields(row, row.media_id)
        data |= {f"feedback-{number}-{name}": value for name, value in fields.items()}
    return data


def test_a_new_item_is_given_its_id(staff_client):
    page = staff_client.get(ADD).text

    response = staff_client.post(ADD, item_form("plex:11362", "Heat"))

    assert 'name="media_id"' in page
    assert MEDIA_ID_IS_FIXED in page
    assert response.status_code == HTTPStatus.FOUND
    assert Media.objects.get().media_id == "plex:11362"


def test_the_id_of_a_saved_item_is_shown_and_not_editable(staff_client):
    media = MediaFactory(media_id="plex:11362")

    page = staff_client.get(change_url(media)).text

    assert 'name="media_id"' not in page
    assert '<div class="readonly">plex:11362</div>' in page
    assert MEDIA_ID_IS_FIXED in page


def test_a_new_id_posted_for_a_saved_item_changes_nothing_but_the_rest_is_saved(staff_client):
    viewing = ViewingHistoryFactory(media=MediaFactory(media_id="plex:11362"))

    response = staff_client.post(
        change_url(viewing.media), item_form("plex:11362-new", "Heat (1995)")
    )

    assert response.status_code == HTTPStatus.FOUND
    assert list(Media.objects.values_list("media_id", "title")) == [("plex:11362", "Heat (1995)")]
    assert ViewingHistory.objects.get().media_id == "plex:11362"


def test_an_item_with_feedback_saves_with_a_new_id_posted(staff_client):
    feedback = UserFeedbackFactory(media=MediaFactory(media_id="plex:10400"))

    response = staff_client.post(
        change_url(feedback.media), item_form("plex:10400-new", "Alien", [feedback])
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert list(Media.objects.values_list("media_id", flat=True)) == ["plex:10400"]
    assert UserFeedback.objects.get().media_id == "plex:10400"


def test_what_an_item_holds_moves_to_a_new_id_as_the_form_says(staff_client):
    """Add the new item, give its feedback, viewings and log entries the new item, then
    delete the old one."""
    old = MediaFactory(media_id="plex:10400")
    feedback = UserFeedbackFactory(media=old)
    viewing = ViewingHistoryFactory(media=old)
    log = RecommendationLogFactory(media=old)
    staff_client.post(ADD, item_form("jellyfin:10400", old.title))
    moment = timezone.localtime(viewing.started_at)
    shown = timezone.localtime(log.timestamp)

    moved = [
        staff_client.post(
            reverse("admin:feedback_userfeedback_change", args=[feedback.pk]),
            feedback_fields(feedback, "jellyfin:10400"),
        ),
        staff_client.post(
            reverse("admin:feedback_viewinghistory_change", args=[viewing.pk]),
            {
                "user": viewing.user_id,
                "media": "jellyfin:10400",
                "started_at_0": moment.strftime("%Y-%m-%d"),
                "started_at_1": moment.strftime("%H:%M:%S"),
                # As the browser sends it back: the start the form showed.
                "initial-started_at_0": moment.strftime("%Y-%m-%d"),
                "initial-started_at_1": moment.strftime("%H:%M:%S"),
                "minutes_watched": viewing.minutes_watched,
                "completed": "on",
            },
        ),
        staff_client.post(
            reverse("admin:recommendations_recommendationlog_change", args=[log.pk]),
            {
                "user": log.user_id,
                "media": "jellyfin:10400",
                "recommendation_type": log.recommendation_type,
                "slate_id": log.slate_id,
                "engine_version": log.engine_version,
                "timestamp_0": shown.strftime("%Y-%m-%d"),
                "timestamp_1": shown.strftime("%H:%M:%S"),
            },
        ),
        staff_client.post(reverse("admin:feedback_media_delete", args=[old.pk]), {"post": "yes"}),
    ]

    assert [response.status_code for response in moved] == [HTTPStatus.FOUND] * 4
    assert list(Media.objects.values_list("media_id", flat=True)) == ["jellyfin:10400"]
    assert UserFeedback.objects.get().media_id == "jellyfin:10400"
    assert ViewingHistory.objects.get().media_id == "jellyfin:10400"
    assert RecommendationLog.objects.get().media_id == "jellyfin:10400"


def test_view_on_site_leads_to_the_items_page(admin_client):
    media = MediaFactory(media_id="plex:42")

    page = admin_client.get(change_url(media)).content.decode()

    assert f'href="{media.get_absolute_url()}" class="viewsitelink"' in page
