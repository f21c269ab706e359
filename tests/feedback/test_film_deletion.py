"""Deleting a film in the admin: its media items are unlinked, and what people said stays.

A media item is a thing on someone's media server (or Marquee's own stand-in for a film
someone rated), matched to a film; it holds their feedback and viewings and the
recommendation log entries that named it. Deleting the film deletes the catalog's rows
about it and leaves the items, unmatched, with all of that on them.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import Movie, Rating
from feedback.models import Media, UserFeedback, ViewingHistory
from feedback.services import feedback_record
from recommendations.models import RecommendationLog
from tests.factories import (
    MediaFactory,
    MovieFactory,
    RecommendationLogFactory,
    ViewingHistoryFactory,
)
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def alien(user):
    movie = MovieFactory(title="Alien")
    plex = MediaFactory(media_id="plex:10400", movie=movie)
    feedback_record(user=user, media=plex, rating=5)
    ViewingHistoryFactory(user=user, media=plex)
    RecommendationLogFactory(user=user, media=MediaFactory(movie=movie))
    return movie


def assert_only_the_film_went(user, movie_id):
    assert not Movie.objects.filter(pk=movie_id).exists()
    assert Media.objects.count() == 2
    assert not Media.objects.filter(movie__isnull=False).exists()
    feedback = UserFeedback.objects.get(user=user)
    assert (feedback.media.media_id, feedback.rating) == ("plex:10400", 5)
    assert ViewingHistory.objects.filter(user=user, media_id="plex:10400").exists()
    assert RecommendationLog.objects.filter(user=user).count() == 1
    # The person's Marquee rating was the film's: it goes, and the film's stats with it.
    assert not Rating.objects.exists()
    assert_stats_match_the_ratings()


def test_staff_delete_a_film_that_people_rated_watched_and_were_shown(staff_client, user, alien):
    url = reverse("admin:catalog_movie_delete", args=[alien.pk])

    confirm = staff_client.get(url)
    deleted = staff_client.post(url, {"post": "yes"})

    assert confirm.status_code == HTTPStatus.OK
    assert "Cannot delete" not in confirm.content.decode()
    assert deleted.status_code == HTTPStatus.FOUND
    assert_only_the_film_went(user, alien.pk)


def test_the_admins_bulk_delete_does_the_same(staff_client, user, alien):
    url = reverse("admin:catalog_movie_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [alien.pk]}

    staff_client.post(url, chosen | {"post": "yes"})

    assert_only_the_film_went(user, alien.pk)


def test_the_unlinked_item_keeps_its_page_and_its_place_in_the_library(user_client, alien):
    alien.delete()

    library = user_client.get(reverse("feedback:library"))
    page = user_client.get(reverse("feedback:media_detail", args=["plex:10400"]))

    assert library.status_code == page.status_code == HTTPStatus.OK
    assert [item.media_id for item in library.context["object_list"]] == ["plex:10400"]
    assert "5/5" in page.content.decode()


def test_a_media_item_with_feedback_still_cannot_be_deleted(staff_client, alien):
    url = reverse("admin:feedback_media_delete", args=["plex:10400"])

    response = staff_client.post(url, {"post": "yes"})

    assert "Cannot delete" in response.content.decode()
    assert Media.objects.filter(pk="plex:10400").exists()
