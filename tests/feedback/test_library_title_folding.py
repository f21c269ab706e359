"""The library's title box folds accents and case as the film search does: "amelie"
finds Amélie and "LEON" Léon, on SQLite (whose LIKE folds only ASCII) and PostgreSQL."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from feedback.models import Media
from tests.factories import MediaFactory, UserFeedbackFactory
from tests.migration_states import models_before

LIBRARY_URL = reverse("feedback:library")


def titles(response):
    return [item.title for item in response.context["page_obj"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("amelie", ["Amélie"]),
        ("AMÉLIE", ["Amélie"]),
        ("LEON", ["Léon: The Professional"]),
        ("léon", ["Léon: The Professional"]),
        ("haxan", ["HÄXAN"]),
        ("professional", ["Léon: The Professional"]),
        # Each "é" is an e too.
        ("e", ["Amélie", "Léon: The Professional", "L’Avventura", "Ocean's Eleven"]),
        ("zzz", []),
        # The apostrophe both ways, as on the film list: typed or not, curly or straight.
        ("oceans", ["Ocean's Eleven"]),
        ("ocean's", ["Ocean's Eleven"]),
        ("ocean’s", ["Ocean's Eleven"]),
        ("avventura", ["L’Avventura"]),
    ],
)
def test_the_title_box_ignores_accents_and_case(user_client, user, typed, found):
    for title in ("Amélie", "Léon: The Professional", "HÄXAN", "Ocean's Eleven", "L’Avventura"):
        UserFeedbackFactory(user=user, media=MediaFactory(title=title))

    response = user_client.get(LIBRARY_URL, {"title": typed})

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == found


@pytest.mark.django_db
def test_every_way_of_writing_an_item_keeps_its_folded_title():
    item = MediaFactory(title="Amélie")
    item.title = "Léon"
    item.save(update_fields=["title"])
    made, *_ = Media.objects.bulk_create([Media(media_id="x:1", title="Ça", media_type="movie")])
    made.title = "Fête"
    Media.objects.bulk_update([made], ["title"])

    assert dict(Media.objects.values_list("title", "folded_title")) == {
        "Léon": "leon",
        "Fête": "fete",
    }
    with pytest.raises(TypeError):
        Media.objects.update(title="Même")


@pytest.mark.django_db(transaction=True)
def test_the_migration_folds_the_titles_already_stored():
    with models_before("feedback", "0008_minutes_watched_at_most_a_week") as apps:
        old_media = apps.get_model("feedback", "Media")
        old_media.objects.create(media_id="plex:1", title="Amélie", media_type="movie")
        old_media.objects.create(media_id="plex:2", title="LÉON", media_type="movie")

    assert dict(Media.objects.values_list("media_id", "folded_title")) == {
        "plex:1": "amelie",
        "plex:2": "leon",
    }
