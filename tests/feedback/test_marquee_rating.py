"""A person's Marquee rating of a film follows their feedback on every media item of it.

Someone with Plex and Jellyfin has two media items for one film. Their Marquee rating of
the film is the rating of their most recent rated feedback on any of them, and it goes
only when no rated feedback on the film remains.
"""

import importlib
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from catalog.models import RaterKind, Rating, RatingSource
from feedback.models import UserFeedback
from feedback.services import feedback_delete, feedback_record, marquee_ratings_sync
from tests.factories import (
    MediaFactory,
    MovieFactory,
    RatingFactory,
    UserFactory,
    UserFeedbackFactory,
)
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db


def marquee_rating(user, movie):
    rating = Rating.objects.filter(
        user=user, movie=movie, source=RatingSource.MARQUEE, rater_kind=RaterKind.USER
    ).first()
    return None if rating is None else rating.value


@pytest.fixture
def alien():
    return MovieFactory(title="Alien")


@pytest.fixture
def plex(alien):
    return MediaFactory(media_id="plex:10400", movie=alien)


@pytest.fixture
def jellyfin(alien):
    return MediaFactory(media_id="jellyfin:alien-copy", movie=alien)


def test_the_latest_rating_on_any_item_of_the_film_is_the_films(user, alien, plex, jellyfin):
    feedback_record(user=user, media=plex, rating=5)
    feedback_record(user=user, media=jellyfin, rating=1)

    assert marquee_rating(user, alien) == 1
    assert Rating.objects.filter(user=user).count() == 1
    assert_stats_match_the_ratings()


def test_deleting_the_latest_falls_back_to_the_other_item(user, alien, plex, jellyfin):
    feedback_record(user=user, media=plex, rating=5)
    latest = feedback_record(user=user, media=jellyfin, rating=1)

    feedback_delete(feedback=latest)

    assert marquee_rating(user, alien) == 5
    rating = Rating.objects.get(user=user)
    assert rating.rated_at == UserFeedback.objects.get(user=user, media=plex).timestamp
    assert_stats_match_the_ratings()


def test_deleting_an_older_feedback_keeps_the_latest(user, alien, plex, jellyfin):
    older = feedback_record(user=user, media=plex, rating=5)
    feedback_record(user=user, media=jellyfin, rating=1)

    feedback_delete(feedback=older)

    assert marquee_rating(user, alien) == 1
    assert_stats_match_the_ratings()


def test_clearing_the_rating_on_one_item_falls_back_to_the_other(user, alien, plex, jellyfin):
    feedback_record(user=user, media=plex, rating=5)
    feedback_record(user=user, media=jellyfin, rating=2)

    feedback_record(user=user, media=jellyfin, rating=None, would_watch_again=True)

    assert marquee_rating(user, alien) == 5
    assert_stats_match_the_ratings()


def test_unrated_feedback_on_another_item_leaves_the_rating_alone(user, alien, plex, jellyfin):
    feedback_record(user=user, media=plex, rating=4)

    feedback_record(user=user, media=jellyfin, would_watch_again=False)

    assert marquee_rating(user, alien) == 4
    assert_stats_match_the_ratings()


def test_the_rating_goes_only_with_the_last_rated_feedback(user, alien, plex, jellyfin):
    first = feedback_record(user=user, media=plex, rating=5)
    second = feedback_record(user=user, media=jellyfin, rating=3)

    feedback_delete(feedback=second)
    assert marquee_rating(user, alien) == 5
    feedback_delete(feedback=first)

    assert marquee_rating(user, alien) is None
    assert_stats_match_the_ratings()


def test_another_persons_feedback_counts_only_for_them(user, other_user, alien, plex, jellyfin):
    feedback_record(user=user, media=plex, rating=5)
    theirs = feedback_record(user=other_user, media=jellyfin, rating=1)

    feedback_delete(feedback=theirs)

    assert marquee_rating(user, alien) == 5
    assert marquee_rating(other_user, alien) is None
    assert_stats_match_the_ratings()


def test_deleting_through_the_page_keeps_the_other_items_rating(
    user_client, user, alien, plex, jellyfin
):
    for media, stars in ((plex, "5"), (jellyfin, "1")):
        user_client.post(
            reverse("feedback:feedback_edit", args=[media.media_id]), {"rating": stars}
        )
    assert marquee_rating(user, alien) == 1

    response = user_client.post(reverse("feedback:feedback_delete", args=[jellyfin.media_id]))

    assert response.status_code == HTTPStatus.FOUND
    assert marquee_rating(user, alien) == 5
    assert_stats_match_the_ratings()


@pytest.mark.parametrize("items", [2, 12])
def test_the_queries_do_not_grow_with_the_items_of_the_film(
    user, alien, items, django_assert_num_queries
):
    media = MediaFactory.create_batch(items, movie=alien)
    for item in media[1:]:
        feedback_record(user=user, media=item, rating=3)

    # As many for 2 items as for 12: one query finds the latest rated feedback of them all.
    # (full_clean asks the database whether it says something, the one CHECK no
    # validator states: 3 queries; one locks the person, the last takes the film off
    # their watchlist.)
    with django_assert_num_queries(20):
        feedback_record(user=user, media=media[0], rating=4)
    # As the page reads it: with its media item. (One query locks the person.)
    feedback = UserFeedback.objects.select_related("media").get(user=user, media=media[0])
    with django_assert_num_queries(12):
        feedback_delete(feedback=feedback)

    assert marquee_rating(user, alien) == 3


# The same rule for many people and films at once (the admin's writes, imports)


def test_many_pairs_at_once_follow_the_rule_each_batch_alike(
    user, other_user, alien, plex, jellyfin, monkeypatch
):
    monkeypatch.setattr("feedback.services.IN_LIST_SIZE", 2)  # a batch of two pairs
    heat, ran, up = MovieFactory.create_batch(3)
    # Feedback and ratings written around the services, the rule broken every way.
    UserFeedbackFactory(user=user, media=plex, rating=5)
    UserFeedbackFactory(user=user, media=jellyfin, rating=1)  # the later row: no rating yet
    RatingFactory(user=other_user, movie=alien, value=3)  # no feedback behind it
    UserFeedbackFactory(user=user, media=MediaFactory(movie=heat), rating=4)
    RatingFactory(user=user, movie=heat, value=2)  # not its feedback's
    UserFeedbackFactory(user=other_user, media=MediaFactory(movie=ran), rating=None)
    feedback_record(user=user, media=MediaFactory(movie=up), rating=5)  # right already
    left_alone = UserFactory()
    RatingFactory(user=left_alone, movie=alien, value=2)

    marquee_ratings_sync(
        pairs=[
            *((person.pk, film.pk) for person in (user, other_user) for film in (alien, heat, ran)),
            (user.pk, up.pk),
            (user.pk, None),
        ]
    )

    assert marquee_rating(user, alien) == 1
    assert Rating.objects.get(user=user, movie=alien).rated_at == (
        UserFeedback.objects.get(user=user, media=jellyfin).timestamp
    )
    assert marquee_rating(other_user, alien) is None
    assert marquee_rating(user, heat) == 4
    assert marquee_rating(other_user, ran) is None
    assert marquee_rating(user, up) == 5
    assert marquee_rating(left_alone, alien) == 2
    assert Rating.objects.count() == 4
    assert_stats_match_the_ratings()


# The migration that repairs the ratings the old code broke


def repair_migration():
    module = importlib.import_module("feedback.migrations.0002_repair_marquee_ratings")
    module.repair(apps, SimpleNamespace(connection=connection))


def test_the_migration_gives_back_a_rating_the_old_code_deleted(user, alien, plex, jellyfin):
    feedback_record(user=user, media=plex, rating=5)
    latest = feedback_record(user=user, media=jellyfin, rating=1)
    # What deleting the Jellyfin feedback did: the film's rating went with it.
    UserFeedback.objects.filter(pk=latest.pk).delete()
    Rating.objects.get(user=user).delete()

    repair_migration()

    assert marquee_rating(user, alien) == 5
    assert_stats_match_the_ratings()


def test_the_migration_leaves_ratings_that_follow_no_rated_feedback_alone(user, alien, plex):
    kept = feedback_record(user=user, media=plex, rating=5)
    unrated = MediaFactory(movie=MovieFactory())
    feedback_record(user=user, media=unrated, would_watch_again=True)
    RatingFactory(user=user, movie=unrated.movie, value=2)  # given in the admin, say
    rated_at = Rating.objects.get(user=user, movie=alien).rated_at

    repair_migration()

    assert marquee_rating(user, alien) == 5
    assert Rating.objects.get(user=user, movie=alien).rated_at == rated_at == kept.timestamp
    assert marquee_rating(user, unrated.movie) == 2
    assert_stats_match_the_ratings()
