"""Recommendations migration 0003: log entries timed out of bounds before it are kept,
their time moved to the nearest one allowed (the column may not be empty), so the
constraints can be added and the log and its report open again."""

import datetime as dt
import uuid
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import FIRST_FILM
from recommendations.models import RecommendationLog
from tests import factories
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("recommendations", "0002_movie_similarity_and_prior")
UTC = dt.UTC


@pytest.fixture
def old_log():
    """RecommendationLog as it was before the migration, without its rules."""
    with models_before(*BEFORE) as apps:
        yield apps.get_model("recommendations", "RecommendationLog")


def test_impossible_times_move_to_the_nearest_allowed(old_log, admin_client):
    media, user = factories.MediaFactory(), factories.UserFactory()
    moments = {
        "9999": dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        "2150": dt.datetime(2150, 1, 1, tzinfo=UTC),
        "0001": dt.datetime(1, 1, 1, tzinfo=UTC),
        "2021": dt.datetime(2021, 10, 23, tzinfo=UTC),
    }
    entries = {
        year: old_log.objects.create(
            media_id=media.pk,
            user_id=user.pk,
            recommendation_type="primary",
            slate_id=uuid.uuid4(),
            engine_version="typed",
            timestamp=moment,
        ).pk
        for year, moment in moments.items()
    }
    before = timezone.now()

    call_command("migrate", verbosity=0)

    times = dict(RecommendationLog.objects.values_list("pk", "timestamp"))
    assert times[entries["0001"]] == FIRST_FILM
    assert times[entries["2021"]] == moments["2021"]
    for year in ("9999", "2150"):
        assert before <= times[entries[year]] <= timezone.now()
    with override_settings(TIME_ZONE="Asia/Tokyo"):
        for view in ("changelist", "report"):
            url = reverse(f"admin:recommendations_recommendationlog_{view}")
            assert admin_client.get(url).status_code == HTTPStatus.OK
