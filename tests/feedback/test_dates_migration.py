"""Existing rows dated out of bounds do not stop the migration that adds the bounds.

They are kept, with their date moved to the nearest one allowed (feedback migration
0004): the pages that overflowed on them open again.
"""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import FIRST_FILM
from feedback.models import UserFeedback, ViewingHistory
from tests.conftest import raw_insert
from tests.factories import MovieFactory, UserFactory
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

UTC = dt.UTC
BEFORE = "0003_media_movie_set_null"


@pytest.fixture
def before_the_bounds():
    """Yields a maker of media items as that state stores them (today's Media has
    columns it lacks)."""
    with models_before("feedback", BEFORE) as apps:
        old_media = apps.get_model("feedback", "Media")
        made = iter(range(1, 100))
        yield lambda: old_media.objects.create(
            media_id=f"old:{next(made)}",
            title="Old item",
            media_type="movie",
            movie_id=MovieFactory().pk,
        )


def test_rows_out_of_bounds_are_moved_into_them(before_the_bounds, client, settings):
    person = UserFactory()
    fine = dt.datetime(2024, 5, 1, 20, tzinfo=UTC)
    starts = [dt.datetime(1, 1, 1, tzinfo=UTC), dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC)]
    starts += [dt.datetime(2150, 1, 1, tzinfo=UTC), fine]
    for started_at in starts:
        viewing = {
            "user_id": person.pk,
            "media_id": before_the_bounds().media_id,
            "completed": True,
        }
        raw_insert("feedback_viewinghistory", **viewing, started_at=started_at)
    for timestamp in (dt.datetime(1850, 1, 1, tzinfo=UTC), dt.datetime(3000, 1, 1, tzinfo=UTC)):
        feedback = {"user_id": person.pk, "media_id": before_the_bounds().media_id, "rating": 3}
        raw_insert("feedback_userfeedback", **feedback, timestamp=timestamp)
    before = timezone.now()

    call_command("migrate", "feedback", verbosity=0)

    after = timezone.now()
    moved = list(ViewingHistory.objects.order_by("id").values_list("started_at", flat=True))
    assert moved[0] == FIRST_FILM
    assert all(before <= start <= after for start in moved[1:3])
    assert moved[3] == fine
    dated = list(UserFeedback.objects.order_by("pk").values_list("timestamp", flat=True))
    assert dated[0] == FIRST_FILM
    assert before <= dated[1] <= after
    settings.TIME_ZONE = "America/New_York"
    client.force_login(person)
    oldest = ViewingHistory.objects.get(started_at=FIRST_FILM)
    for url in (
        reverse("feedback:history"),
        reverse("feedback:history_edit", args=[oldest.pk]),
        oldest.media.get_absolute_url(),
        reverse("catalog:movie_detail", args=[oldest.media.movie_id]),
    ):
        assert client.get(url).status_code == HTTPStatus.OK, url
