"""The feedback rules, broken through validation and through raw SQL."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.models import Media, UserFeedback
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import MediaFactory, UserFeedbackFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db


def feedback_row(media_id, user, **overrides):
    return {"media_id": media_id, "user_id": user.pk, "timestamp": timezone.now()} | overrides


@pytest.mark.parametrize("rating", [0, 6, 7])
def test_feedback_rating_is_between_1_and_5(rating, user):
    media = MediaFactory()
    with pytest.raises(ValidationError) as excinfo:
        UserFeedbackFactory.build(media=media, user=user, rating=rating).full_clean()
    assert "rating" in excinfo.value.message_dict
    assert_refused_by_database(
        "feedback_userfeedback", **feedback_row(media.media_id, user, rating=rating)
    )


def test_raw_insert_of_rating_6_is_refused_and_5_is_accepted(user):
    media = MediaFactory()
    assert_refused_by_database(
        "feedback_userfeedback", **feedback_row(media.media_id, user, rating=6)
    )
    raw_insert("feedback_userfeedback", **feedback_row(media.media_id, user, rating=5))
    assert UserFeedback.objects.get(user=user).rating == 5


def test_feedback_for_a_missing_media_id_is_refused(user):
    with pytest.raises(ValidationError) as excinfo:
        UserFeedback(media_id="plex:does-not-exist", user=user, rating=3).full_clean()
    assert "media" in excinfo.value.message_dict
    assert_refused_by_database(
        "feedback_userfeedback", **feedback_row("plex:does-not-exist", user, rating=3)
    )


def test_feedback_must_say_something(user):
    media = MediaFactory()
    empty = UserFeedback(media=media, user=user)
    with pytest.raises(ValidationError) as excinfo:
        empty.full_clean()
    assert "Give a rating, or say whether" in " ".join(excinfo.value.messages)
    assert_refused_by_database("feedback_userfeedback", **feedback_row(media.media_id, user))


def test_one_feedback_per_user_and_media(user, other_user):
    feedback = UserFeedbackFactory(user=user)
    with pytest.raises(ValidationError) as excinfo:
        UserFeedback(media=feedback.media, user=user, rating=2).full_clean()
    assert "You already gave feedback on this; change it instead." in excinfo.value.messages
    assert_refused_by_database(
        "feedback_userfeedback", **feedback_row(feedback.media_id, user, rating=2)
    )
    UserFeedbackFactory(media=feedback.media, user=other_user)


def test_media_type_and_duration_rules():
    with pytest.raises(ValidationError) as excinfo:
        Media(media_id="x", title="X", media_type="podcast", duration=0).full_clean()
    assert set(excinfo.value.message_dict) == {"media_type", "duration"}
    now = timezone.now()
    assert_refused_by_database(
        "feedback_media", media_id="y", title="Y", type="podcast", last_updated=now
    )
    assert_refused_by_database(
        "feedback_media", media_id="z", title="Z", type="movie", duration=0, last_updated=now
    )
    assert_refused_by_database("feedback_media", media_id="", title="E", type="movie")


def test_seed_defaults_apply_to_raw_inserts(user):
    """The seed gives last_updated and timestamp CURRENT_TIMESTAMP defaults: so do we."""
    raw_insert("feedback_media", media_id="raw:1", title="Raw", type="episode")
    raw_insert("feedback_userfeedback", media_id="raw:1", user_id=user.pk, rating=4)
    media = Media.objects.get(pk="raw:1")
    feedback = UserFeedback.objects.get(media=media)
    assert media.last_updated is not None
    assert abs(feedback.timestamp - timezone.now()).total_seconds() < 120


def test_minutes_watched_cannot_be_negative(user):
    media = MediaFactory()
    with pytest.raises(ValidationError):
        ViewingHistoryFactory.build(user=user, media=media, minutes_watched=-5).full_clean()
    assert_refused_by_database(
        "feedback_viewinghistory",
        user_id=user.pk,
        media_id=media.media_id,
        started_at=timezone.now(),
        minutes_watched=-5,
        completed=False,
    )
