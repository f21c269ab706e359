"""A media id is the last part of its item's page address, so it holds only what comes
back from a browser as it went: no control character (a line feed made the link
impossible to build, and the history and library pages of everyone with the item 500),
no "." or ".." between slashes (browsers resolve them: the page could not be reached).
The model's validator and the database's CHECKs hold the rule, in the same words."""

import json
from http import HTTPStatus
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import resolve, reverse

from feedback.exports import export_json
from feedback.media_ids import CONTROL_CHARACTER_MESSAGE, DOT_SEGMENT_MESSAGE
from feedback.models import Media, MediaType, UserFeedback, ViewingHistory
from tests.conftest import assert_refused_by_database, insert_and_check_constraints
from tests.factories import MediaFactory, UserFactory, UserFeedbackFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db

WITH_CONTROL_CHARACTERS = ["Show\nS01E01", "tab\there", "cr\r", "\x7fdel", "c1\x85", "bell\x07"]
WITH_DOT_SEGMENTS = [".", "..", "a/../b", "a/./b", "./a", "../a", "a/.", "a/..", "a/b/.."]
REFUSED = [(media_id, CONTROL_CHARACTER_MESSAGE) for media_id in WITH_CONTROL_CHARACTERS] + [
    (media_id, DOT_SEGMENT_MESSAGE) for media_id in WITH_DOT_SEGMENTS
]
# Taken as they are: dots that are part of a name, and what reverse() percent-encodes.
VALID = [
    "plex://movie/5d776b59ad5437001f79c6f0",
    "jellyfin:ép/1",
    "Show S01E01",
    "100% real_name",
    "what?",
    "#1",
    "a.b",
    "...",
    ".hidden/..x/x..",
    "a//b/",
    "/leading",
    "名前/映画",
]


def item_row(media_id: str) -> dict:
    return {"media_id": media_id, "title": "Item", "type": "episode", "folded_title": "item"}


@pytest.mark.parametrize(("media_id", "message"), REFUSED)
def test_validation_and_the_database_refuse_the_id_in_the_same_words(media_id, message):
    item = Media(media_id=media_id, title="Item", media_type=MediaType.EPISODE)

    with pytest.raises(ValidationError) as refused:
        item.full_clean()

    assert refused.value.message_dict == {"media_id": [message]}
    assert {
        constraint.violation_error_message
        for constraint in Media._meta.constraints
        if constraint.name.startswith("feedback_media_id_no_")
    } == {CONTROL_CHARACTER_MESSAGE, DOT_SEGMENT_MESSAGE}
    assert_refused_by_database("feedback_media", **item_row(media_id))


def test_a_nul_is_refused_by_validation():
    """Not by a CHECK: PostgreSQL stores no NUL at all, and SQLite's LIKE cannot look
    for one (feedback/media_ids.py)."""
    with pytest.raises(ValidationError) as refused:
        Media(media_id="a\x00b", title="Item", media_type=MediaType.EPISODE).full_clean()

    assert refused.value.message_dict == {"media_id": [CONTROL_CHARACTER_MESSAGE]}


@pytest.mark.parametrize("media_id", VALID)
def test_valid_ids_are_taken_by_validation_and_the_database(media_id):
    Media(media_id=media_id, title="Item", media_type=MediaType.EPISODE).full_clean()

    insert_and_check_constraints("feedback_media", item_row(media_id))


@pytest.mark.parametrize("media_id", VALID)
def test_every_valid_id_s_page_is_reached_by_its_link(user_client, user, media_id):
    media = MediaFactory(media_id=media_id, movie=None, media_type=MediaType.EPISODE)
    ViewingHistoryFactory(user=user, media=media)
    UserFeedbackFactory(user=user, media=media, rating=4)
    url = reverse("feedback:media_detail", args=[media_id])

    match = resolve(unquote(url))  # the path as the server hands it to Django

    assert (match.url_name, match.kwargs) == ("media_detail", {"media_id": media_id})
    assert user_client.get(url).status_code == HTTPStatus.OK
    for page in ("feedback:history", "feedback:library"):
        response = user_client.get(reverse(page))
        assert response.status_code == HTTPStatus.OK
        assert url in response.text


def test_the_admin_shows_the_error_on_the_id(staff_client):
    response = staff_client.post(
        reverse("admin:feedback_media_add"),
        {
            "media_id": "a/../b",
            "title": "Item",
            "media_type": "episode",
            "duration": "",
            "movie": "",
            "feedback-TOTAL_FORMS": 0,
            "feedback-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors == {"media_id": [DOT_SEGMENT_MESSAGE]}
    assert not Media.objects.exists()


@pytest.mark.parametrize(("kind", "media_id", "message"), [
    ("history", "Show\nS01E01", CONTROL_CHARACTER_MESSAGE),
    ("feedback", "a/../b", DOT_SEGMENT_MESSAGE),
])  # fmt: skip
def test_the_import_of_an_export_refuses_the_id_naming_the_row(
    user, tmp_path, kind, media_id, message
):
    episode = MediaFactory(media_id="plex:1", movie=None, media_type=MediaType.EPISODE)
    ViewingHistoryFactory(user=user, media=episode)
    UserFeedbackFactory(user=user, media=episode, rating=4)
    exported = json.loads(export_json(user))
    exported[kind][0]["media_id"] = media_id
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    erin = UserFactory(username="erin")

    with pytest.raises(CommandError) as refused:
        call_command("import_user_export", str(path), "--user", "erin")

    row = "feedback row 1" if kind == "feedback" else "history row 1"
    assert str(refused.value) == f"export.json: {row}: media_id: {message}"
    assert list(Media.objects.values_list("media_id", flat=True)) == ["plex:1"]
    assert not UserFeedback.objects.filter(user=erin).exists()
    assert not ViewingHistory.objects.filter(user=erin).exists()
