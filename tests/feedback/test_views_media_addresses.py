"""Every media item reaches its page and its actions, whatever its id ends with.

A media id may hold slashes (plex://movie/5d77...), and an item's page address ends with
it. The actions on an item (its feedback, deleting it, "I watched this") used to be its
page address plus a suffix, so an item whose id ended as such a suffix ("show/watched",
"x/feedback", "x/feedback/delete") had its page taken by the action on another item
("show", "x"). The actions have addresses of their own now; bookmarks of their old ones
are sent on to the new.
"""

import re
from http import HTTPStatus
from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse

from feedback.models import Media, MediaType, UserFeedback, ViewingHistory
from tests.factories import MediaFactory, UserFeedbackFactory

pytestmark = pytest.mark.django_db

# (an id ending as an old action address did, the item whose action took its page)
ACTION_LIKE_IDS = [
    ("show/watched", "show"),
    ("x/feedback", "x"),
    ("x/feedback/delete", "x"),
    ("plex://movie/5d77/feedback", "plex://movie/5d77"),
]
LINK_TARGET = re.compile(r'(?:href|action)="([^"?]*)')
ITEM_ROUTES = ["media_detail", "feedback_edit", "feedback_delete", "media_watched"]
# Any id, however it ends, with every route: none may resolve to another route or id.
IDS = [
    *(media_id for media_id, _ in ACTION_LIKE_IDS),
    "watched",
    "feedback",
    "feedback/delete",
    "new",
    "media-feedback/x",
    "x/media-watched",
    "a//b/",
    "/leading",
    "library/media/x",
    "名前/映画",
]


def item(media_id: str) -> Media:
    return MediaFactory(media_id=media_id, movie=None, media_type=MediaType.EPISODE)


def url_of(name: str, media_id: str) -> str:
    return reverse(f"feedback:{name}", args=[media_id])


@pytest.fixture
def shadowed(request, user):
    """An item with an action-like id, and the item whose action address its page had:
    both the person's, with their feedback on each."""
    media_id, shadowing_id = request.param
    mine, shadowing = item(media_id), item(shadowing_id)
    UserFeedbackFactory(user=user, media=mine, rating=2)
    UserFeedbackFactory(user=user, media=shadowing, rating=5)
    return mine, shadowing


by_id = pytest.mark.parametrize(
    "shadowed", ACTION_LIKE_IDS, indirect=True, ids=[media_id for media_id, _ in ACTION_LIKE_IDS]
)


@pytest.mark.parametrize("name", ITEM_ROUTES)
@pytest.mark.parametrize("media_id", IDS)
def test_every_route_resolves_to_itself_for_any_id(name, media_id):
    match = resolve(unquote(url_of(name, media_id)))  # the path as the server hands it

    assert (match.url_name, match.kwargs) == (name, {"media_id": media_id})


@by_id
def test_the_item_s_page_is_its_own(user_client, shadowed):
    """Though its address is also an old action address of the other item's: those are
    sent on only when no item has the whole id."""
    mine, shadowing = shadowed

    response = user_client.get(mine.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert response.templates[0].name == "feedback/media_detail.html"
    assert response.context["media"] == mine
    assert response.context["feedback"].rating == 2


@by_id
def test_its_feedback_form_saves_its_own_feedback(user_client, user, shadowed):
    mine, shadowing = shadowed

    response = user_client.post(url_of("feedback_edit", mine.media_id), {"rating": "4"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == mine.get_absolute_url()
    ratings = dict(UserFeedback.objects.filter(user=user).values_list("media_id", "rating"))
    assert ratings == {mine.media_id: 4, shadowing.media_id: 5}


@by_id
def test_its_delete_deletes_its_own_feedback(user_client, user, shadowed):
    mine, shadowing = shadowed

    response = user_client.post(url_of("feedback_delete", mine.media_id))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == mine.get_absolute_url()
    assert list(UserFeedback.objects.filter(user=user).values_list("media_id", flat=True)) == [
        shadowing.media_id
    ]


@by_id
def test_its_watched_form_records_a_viewing_of_it(user_client, user, shadowed):
    mine, shadowing = shadowed

    response = user_client.post(url_of("media_watched", mine.media_id))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == mine.get_absolute_url()
    assert list(ViewingHistory.objects.filter(user=user).values_list("media_id", flat=True)) == [
        mine.media_id
    ]


@by_id
def test_its_page_links_to_its_own_actions(user_client, shadowed):
    mine, shadowing = shadowed

    html = user_client.get(mine.get_absolute_url()).content.decode()

    targets = set(LINK_TARGET.findall(html))
    for name in ("feedback_edit", "feedback_delete", "media_watched"):
        assert url_of(name, mine.media_id) in targets
        assert url_of(name, shadowing.media_id) not in targets


# The old addresses: library/media/<id>/feedback/, .../feedback/delete/ and .../watched/

OLD_SUFFIXES = [("feedback/", "feedback_edit"), ("feedback/delete/", "feedback_delete")]
OLD_SUFFIXES += [("watched/", "media_watched")]


def old_url(media_id: str, suffix: str) -> str:
    return f"{url_of('media_detail', media_id)}{suffix}"


@pytest.mark.parametrize(("suffix", "name"), OLD_SUFFIXES)
def test_a_bookmark_of_an_old_action_address_is_sent_to_the_new(user_client, user, suffix, name):
    media = item("plex://movie/5d77")
    UserFeedbackFactory(user=user, media=media, rating=3)

    response = user_client.get(f"{old_url(media.media_id, suffix)}?next=/library/%3Fpage%3D2")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{url_of(name, media.media_id)}?next=/library/%3Fpage%3D2"
    assert user_client.get(response["Location"]).status_code == HTTPStatus.OK
    assert UserFeedback.objects.get(user=user).rating == 3  # a GET changes nothing


@pytest.mark.parametrize(("suffix", "name"), OLD_SUFFIXES)
def test_an_old_address_keeps_working_for_an_item_the_person_has_nothing_on(
    user_client, suffix, name
):
    """As the old address did, and as the new one does: any item's form may be opened."""
    media = item("jellyfin:ep/1")

    response = user_client.get(old_url(media.media_id, suffix))

    assert response["Location"] == url_of(name, media.media_id)


@pytest.mark.parametrize(("suffix", "name"), OLD_SUFFIXES)
def test_an_old_address_of_no_item_is_404(user_client, suffix, name):
    assert user_client.get(old_url("plex:missing", suffix)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("suffix", "data"),
    [("feedback/", {"rating": "4"}), ("feedback/delete/", {}), ("watched/", {})],
)
def test_a_post_to_an_old_address_is_404_and_changes_nothing(user_client, user, suffix, data):
    media = item("plex:1")
    UserFeedbackFactory(user=user, media=media, rating=3)

    response = user_client.post(old_url(media.media_id, suffix), data)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert UserFeedback.objects.get(user=user).rating == 3
    assert not ViewingHistory.objects.exists()


def test_an_old_address_needs_an_account_first(client):
    media = item("plex:1")
    old = old_url(media.media_id, "feedback/")

    response = client.get(old)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert unquote(response["Location"]).endswith(old)


def test_sending_an_old_address_on_runs_a_fixed_number_of_queries(
    user_client, django_assert_num_queries
):
    media = item("plex:1")

    # session, user, the item the whole id names (none), the item before "/feedback/"
    with django_assert_num_queries(4):
        response = user_client.get(old_url(media.media_id, "feedback/"))

    assert response.status_code == HTTPStatus.FOUND
