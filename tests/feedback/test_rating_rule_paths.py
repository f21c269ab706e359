"""The Marquee rating rule holds on the paths that write feedback past the page services.

The admin (feedback added, changed, moved to another item, deleted, bulk deleted; a media
item linked to another film or to none, and the feedback inline on its page) and
`import_user_export`: after each, a person's Marquee rating of every film touched is that
of their latest rated feedback on any item of it, dated by it, or there is none.
"""

import datetime as dt
import io
import json
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.models import RaterKind, Rating, RatingSource
from feedback.exports import export_json
from feedback.models import UserFeedback
from feedback.services import marquee_rating_sync
from tests.factories import (
    MediaFactory,
    MovieFactory,
    RatingFactory,
    UserFactory,
    UserFeedbackFactory,
)
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db

# Whole seconds: the admin's time field shows (and posts back) no microseconds.
LONG_AGO = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)


def day(number: int) -> dt.datetime:
    return LONG_AGO + dt.timedelta(days=number)


def said(user, media, rating, on: int) -> UserFeedback:
    """Feedback given on day `on`, with the Marquee rating the pages would have left."""
    feedback = UserFeedbackFactory(user=user, media=media, rating=rating, timestamp=day(on))
    marquee_rating_sync(user_id=user.pk, movie_id=media.movie_id)
    return feedback


def marquee_rating(user, movie) -> tuple[float, dt.datetime] | None:
    rating = Rating.objects.filter(
        user=user, movie=movie, source=RatingSource.MARQUEE, rater_kind=RaterKind.USER
    ).first()
    return None if rating is None else (rating.value, rating.rated_at)


def ratings_by_the_rule() -> dict:
    """Every person's Marquee rating of every film, worked out from all their feedback."""
    latest = {}
    for feedback in UserFeedback.objects.filter(
        rating__isnull=False, media__movie__isnull=False
    ).select_related("media"):
        pair = (feedback.user_id, feedback.media.movie_id)
        if pair not in latest or (feedback.timestamp, feedback.pk) > latest[pair][0]:
            latest[pair] = ((feedback.timestamp, feedback.pk), feedback)
    return {
        pair: (float(feedback.rating), 1.0, 5.0, feedback.timestamp)
        for pair, (_, feedback) in latest.items()
    }


def assert_the_rule_holds() -> None:
    ratings = Rating.objects.filter(source=RatingSource.MARQUEE, rater_kind=RaterKind.USER)
    assert {
        (rating.user_id, rating.movie_id): (
            rating.value,
            rating.scale_min,
            rating.scale_max,
            rating.rated_at,
        )
        for rating in ratings
    } == ratings_by_the_rule()
    assert_stats_match_the_ratings()


@pytest.fixture
def alien():
    return MovieFactory(title="Alien")


@pytest.fixture
def aliens():
    return MovieFactory(title="Aliens")


@pytest.fixture
def plex(alien):
    return MediaFactory(media_id="plex:alien", movie=alien)


@pytest.fixture
def jellyfin(alien):
    return MediaFactory(media_id="jellyfin:alien", movie=alien)


@pytest.fixture
def sequel(aliens):
    return MediaFactory(media_id="plex:aliens", movie=aliens)


# The feedback admin


def feedback_form(*, media, user, rating, on: int) -> dict:
    moment = timezone.localtime(day(on))
    return {
        "media": media.pk,
        "user": user.pk,
        "watched_completion": "true",
        "would_watch_again": "unknown",
        "rating": "" if rating is None else str(rating),
        "timestamp_0": moment.strftime("%Y-%m-%d"),
        "timestamp_1": moment.strftime("%H:%M:%S"),
    }


def post_ok(client, url, data):
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    return response


def test_feedback_added_in_the_admin_becomes_the_films_rating(
    staff_client, user, alien, plex, jellyfin
):
    said(user, plex, 5, on=1)

    post_ok(
        staff_client,
        reverse("admin:feedback_userfeedback_add"),
        feedback_form(media=jellyfin, user=user, rating=2, on=2),
    )

    assert marquee_rating(user, alien) == (2, day(2))
    assert_the_rule_holds()


def test_a_rating_changed_in_the_admin_changes_the_films(staff_client, user, alien, plex):
    feedback = said(user, plex, 5, on=1)

    post_ok(
        staff_client,
        reverse("admin:feedback_userfeedback_change", args=[feedback.pk]),
        feedback_form(media=plex, user=user, rating=3, on=1),
    )

    assert marquee_rating(user, alien) == (3, day(1))
    assert_the_rule_holds()


def test_stars_taken_off_in_the_admin_take_the_rating_away(staff_client, user, alien, plex):
    feedback = said(user, plex, 5, on=1)

    post_ok(
        staff_client,
        reverse("admin:feedback_userfeedback_change", args=[feedback.pk]),
        feedback_form(media=plex, user=user, rating=None, on=1),
    )

    assert marquee_rating(user, alien) is None
    assert_the_rule_holds()


def test_feedback_moved_to_another_film_takes_its_rating_along(
    staff_client, user, alien, aliens, plex, jellyfin, sequel
):
    said(user, plex, 5, on=1)
    moved = said(user, jellyfin, 2, on=2)

    post_ok(
        staff_client,
        reverse("admin:feedback_userfeedback_change", args=[moved.pk]),
        feedback_form(media=sequel, user=user, rating=2, on=2),
    )

    assert marquee_rating(user, alien) == (5, day(1))
    assert marquee_rating(user, aliens) == (2, day(2))
    assert_the_rule_holds()


def test_feedback_given_to_another_person_moves_the_rating_to_them(
    staff_client, user, other_user, alien, plex
):
    feedback = said(user, plex, 4, on=1)

    post_ok(
        staff_client,
        reverse("admin:feedback_userfeedback_change", args=[feedback.pk]),
        feedback_form(media=plex, user=other_user, rating=4, on=1),
    )

    assert marquee_rating(user, alien) is None
    assert marquee_rating(other_user, alien) == (4, day(1))
    assert_the_rule_holds()


def test_feedback_deleted_in_the_admin_falls_back_to_the_other_item(
    staff_client, user, alien, plex, jellyfin
):
    said(user, plex, 5, on=1)
    latest = said(user, jellyfin, 2, on=2)
    url = reverse("admin:feedback_userfeedback_delete", args=[latest.pk])

    post_ok(staff_client, url, {"post": "yes"})

    assert marquee_rating(user, alien) == (5, day(1))
    assert_the_rule_holds()


def test_the_admins_bulk_delete_derives_every_rating_it_touched_again(
    staff_client, user, other_user, alien, aliens, plex, jellyfin, sequel
):
    said(user, plex, 5, on=1)
    chosen = [
        said(user, jellyfin, 2, on=2),
        said(user, sequel, 3, on=3),
        said(other_user, plex, 4, on=4),
    ]
    kept = said(other_user, sequel, 1, on=5)

    post_ok(
        staff_client,
        reverse("admin:feedback_userfeedback_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [feedback.pk for feedback in chosen],
            "post": "yes",
        },
    )

    assert list(UserFeedback.objects.exclude(user=user)) == [kept]
    assert marquee_rating(user, alien) == (5, day(1))
    assert marquee_rating(user, aliens) is None
    assert marquee_rating(other_user, alien) is None
    assert marquee_rating(other_user, aliens) == (1, day(5))
    assert_the_rule_holds()


# The media item admin: an item linked to another film, and its feedback inline


def media_form(media, *, movie, feedback=()) -> dict:
    """The item's change form; the feedback given is posted in its inline, as it is."""
    data = {
        "media_id": media.media_id,
        "title": media.title,
        "media_type": media.media_type,
        "duration": media.duration or "",
        "movie": "" if movie is None else movie.pk,
        "feedback-TOTAL_FORMS": len(feedback),
        "feedback-INITIAL_FORMS": len(feedback),
        "feedback-MIN_NUM_FORMS": 0,
        "feedback-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(feedback):
        moment = timezone.localtime(row.timestamp)
        data |= {
            f"feedback-{number}-{name}": value
            for name, value in {
                "feedback_id": row.pk,
                "media": media.pk,
                "user": row.user_id,
                "watched_completion": "unknown",
                "would_watch_again": "true",
                "rating": "" if row.rating is None else row.rating,
                "timestamp_0": moment.strftime("%Y-%m-%d"),
                "timestamp_1": moment.strftime("%H:%M:%S"),
            }.items()
        }
    return data


def test_an_item_linked_to_another_film_moves_everyones_rating(
    staff_client, user, other_user, alien, aliens, plex, jellyfin
):
    said(user, plex, 5, on=1)
    said(user, jellyfin, 2, on=2)
    said(other_user, jellyfin, 4, on=3)

    post_ok(
        staff_client,
        reverse("admin:feedback_media_change", args=[jellyfin.pk]),
        media_form(jellyfin, movie=aliens),
    )

    assert marquee_rating(user, alien) == (5, day(1))
    assert marquee_rating(user, aliens) == (2, day(2))
    assert marquee_rating(other_user, alien) is None
    assert marquee_rating(other_user, aliens) == (4, day(3))
    assert_the_rule_holds()


def test_an_item_linked_to_no_film_takes_its_ratings_away(
    staff_client, user, other_user, alien, plex, jellyfin
):
    said(user, plex, 5, on=1)
    said(user, jellyfin, 2, on=2)
    said(other_user, jellyfin, 4, on=3)

    post_ok(
        staff_client,
        reverse("admin:feedback_media_change", args=[jellyfin.pk]),
        media_form(jellyfin, movie=None),
    )

    assert marquee_rating(user, alien) == (5, day(1))
    assert marquee_rating(other_user, alien) is None
    assert_the_rule_holds()


def test_feedback_changed_and_deleted_in_the_items_inline(
    staff_client, user, other_user, alien, plex, jellyfin
):
    said(user, plex, 5, on=1)
    changed = said(user, jellyfin, 2, on=2)
    deleted = said(other_user, jellyfin, 4, on=3)
    changed.rating = 1
    data = media_form(jellyfin, movie=alien, feedback=[changed, deleted])
    data["feedback-1-DELETE"] = "on"

    post_ok(staff_client, reverse("admin:feedback_media_change", args=[jellyfin.pk]), data)

    assert not UserFeedback.objects.filter(pk=deleted.pk).exists()
    assert marquee_rating(user, alien) == (1, day(2))
    assert marquee_rating(other_user, alien) is None
    assert_the_rule_holds()


@pytest.mark.parametrize("people", [2, 12])
def test_linking_an_item_to_another_film_takes_the_same_queries_for_2_people_as_for_12(
    staff_client, alien, aliens, jellyfin, people, django_assert_num_queries
):
    for number in range(people):
        said(UserFactory(), jellyfin, 1 + number % 5, on=number)
    url = reverse("admin:feedback_media_change", args=[jellyfin.pk])
    staff_client.get(url)  # as staff do: the page first, which looks up what is cached

    # The admin's own 15 (session, user, savepoint, item, film, the type's and the
    # duration's checks, update, log entry; the id is read-only, so not checked),
    # and eleven for the ratings: the people with feedback on the item, read before the
    # inline's edits and after, then, in the sync's savepoint, the feedback and the ratings
    # of both films read, one insert, one delete, and the two films locked and their
    # stats computed again; and one for the watchlists, which the item's feedback and
    # viewings take the film off (feedback.watchlist.watchlist_item_watched).
    with django_assert_num_queries(27):
        post_ok(staff_client, url, media_form(jellyfin, movie=aliens))

    assert Rating.objects.filter(movie=aliens).count() == people
    assert not Rating.objects.filter(movie=alien).exists()
    assert_the_rule_holds()


# import_user_export


def import_export_of(source, user, tmp_path, *, edit=None) -> None:
    """Import what `source` would download, as `user`'s: edited first by `edit`, if given."""
    document = json.loads(export_json(source))
    if edit:
        edit(document)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("import_user_export", str(path), "--user", user.username, stdout=io.StringIO())


def test_an_import_leaves_the_rating_of_later_feedback_already_here(
    user, alien, plex, jellyfin, tmp_path
):
    source = UserFactory()
    said(source, plex, 5, on=1)
    said(user, jellyfin, 2, on=2)

    import_export_of(source, user, tmp_path)

    assert marquee_rating(user, alien) == (2, day(2))
    assert_the_rule_holds()


def test_an_import_that_takes_the_stars_off_feedback_takes_the_rating_away(
    user, alien, plex, tmp_path
):
    said(user, plex, 5, on=1)
    source = UserFactory()
    said(source, plex, None, on=2)

    import_export_of(source, user, tmp_path)

    assert UserFeedback.objects.get(user=user).rating is None
    assert marquee_rating(user, alien) is None
    assert_the_rule_holds()


def test_an_imported_rating_that_is_not_its_feedbacks_gives_way_to_it(
    user, alien, plex, jellyfin, tmp_path
):
    source = UserFactory()
    said(source, plex, 2, on=1)
    said(source, jellyfin, 5, on=2)

    def another_rating(document):
        (row,) = document["ratings"]
        row["value"] = 3.0

    import_export_of(source, user, tmp_path, edit=another_rating)

    assert marquee_rating(user, alien) == (5, day(2))
    assert_the_rule_holds()


def test_an_import_rates_the_films_its_feedback_rates(user, alien, aliens, plex, sequel, tmp_path):
    source = UserFactory()
    said(source, plex, 4, on=1)
    said(source, sequel, 3, on=2)

    def ratings_lost(document):
        document["ratings"] = []

    import_export_of(source, user, tmp_path, edit=ratings_lost)

    assert marquee_rating(user, alien) == (4, day(1))
    assert marquee_rating(user, aliens) == (3, day(2))
    assert_the_rule_holds()


def test_an_imported_rating_of_a_film_without_feedback_is_kept(user, alien, tmp_path):
    source = UserFactory()
    RatingFactory(user=source, movie=alien, value=3, rated_at=day(1))

    import_export_of(source, user, tmp_path)

    assert marquee_rating(user, alien) == (3, day(1))
