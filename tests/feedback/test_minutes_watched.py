"""Minutes watched: a week at most (10,080), wherever a viewing comes from.

The site's forms held the bound and the model did not, so the admin and the import of a
user export took 2,000,000. The model's validator and the database's CHECK now hold it,
with one message, which the forms give too.
"""

import json
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from feedback.exports import export_json
from feedback.models import ViewingHistory
from tests.conftest import assert_refused_by_database
from tests.factories import MediaFactory, UserFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db

A_WEEK = 10_080
MESSAGE = "Minutes watched cannot be more than 10,080, a week of watching."
SEEN_IN_THE_REVIEW = 2_000_000


def test_a_week_is_the_most_a_viewing_holds(user):
    viewing = ViewingHistoryFactory.build(user=user, media=MediaFactory(), minutes_watched=A_WEEK)
    viewing.full_clean()

    viewing.minutes_watched = A_WEEK + 1
    with pytest.raises(ValidationError) as excinfo:
        viewing.full_clean()

    assert excinfo.value.message_dict == {"minutes_watched": [MESSAGE]}
    row = {"user_id": user.pk, "media_id": viewing.media_id, "completed": False}
    assert_refused_by_database(
        "feedback_viewinghistory", **row, started_at=timezone.now(), minutes_watched=A_WEEK + 1
    )


def test_an_update_around_validation_is_refused_too():
    viewing = ViewingHistoryFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ViewingHistory.objects.filter(pk=viewing.pk).update(minutes_watched=SEEN_IN_THE_REVIEW)


def test_the_admin_refuses_more_than_a_week(staff_client, user):
    media = MediaFactory()
    moment = timezone.localtime()

    response = staff_client.post(
        reverse("admin:feedback_viewinghistory_add"),
        {
            "user": user.pk,
            "media": media.media_id,
            "started_at_0": moment.strftime("%Y-%m-%d"),
            "started_at_1": moment.strftime("%H:%M:%S"),
            "minutes_watched": str(SEEN_IN_THE_REVIEW),
            "completed": "on",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["minutes_watched"] == [MESSAGE]
    assert not ViewingHistory.objects.exists()


def test_the_import_of_an_export_refuses_more_than_a_week(user, tmp_path):
    ViewingHistoryFactory(user=user, media=MediaFactory(media_id="plex:1"))
    exported = json.loads(export_json(user))
    exported["history"][0]["minutes_watched"] = SEEN_IN_THE_REVIEW
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    someone = UserFactory()

    with pytest.raises(CommandError) as refused:
        call_command("import_user_export", str(path), "--user", someone.username)

    assert str(refused.value) == f"export.json: history row 1: minutes_watched: {MESSAGE}"
    assert not ViewingHistory.objects.filter(user=someone).exists()


@pytest.mark.parametrize("minutes", [str(A_WEEK + 1), "99999999999999999999"])
def test_the_sites_forms_say_it_in_the_models_words(user_client, user, minutes):
    media = MediaFactory()
    viewing = ViewingHistoryFactory(user=user, media=media, minutes_watched=90)

    watched = user_client.post(
        reverse("feedback:media_watched", args=[media.media_id]), {"minutes_watched": minutes}
    )
    corrected = user_client.post(
        reverse("feedback:history_edit", args=[viewing.pk]),
        {"started_at": "2024-05-01T21:30", "minutes_watched": minutes},
    )

    assert watched.context["form"].errors["minutes_watched"] == [MESSAGE]
    assert corrected.context["form"].errors["minutes_watched"] == [MESSAGE]
    assert list(ViewingHistory.objects.values_list("minutes_watched", flat=True)) == [90]
