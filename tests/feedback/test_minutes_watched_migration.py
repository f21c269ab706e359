"""Viewings of more than a week's minutes before feedback migration 0008 keep everything
but the minutes, which become unknown, so that the constraint can be added."""

import pytest
from django.core.management import call_command

from feedback.models import ViewingHistory
from tests.factories import UserFactory
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("feedback", "0007_watchlist")


@pytest.fixture
def old_viewing():
    """ViewingHistory as it was before the migration: any minutes up to 2³¹ − 1."""
    with models_before(*BEFORE) as apps:
        yield apps.get_model("feedback", "ViewingHistory")


def test_minutes_past_a_week_become_unknown_and_the_viewing_stays(old_viewing):
    # The item as that state stores it: today's Media has columns it lacks.
    old_media = old_viewing._meta.apps.get_model("feedback", "Media")
    person = UserFactory()
    media = old_media.objects.create(media_id="plex:1", title="Heat", media_type="movie")
    for minutes in (2_000_000, 10_081, 10_080, 95, None):
        old_viewing.objects.create(
            user_id=person.pk, media_id=media.media_id, minutes_watched=minutes, completed=True
        )

    call_command("migrate", verbosity=0)

    rows = ViewingHistory.objects.order_by("id").values_list("minutes_watched", "completed")
    assert list(rows) == [(None, True), (None, True), (10_080, True), (95, True), (None, True)]
