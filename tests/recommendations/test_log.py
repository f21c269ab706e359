"""The log: one row per pick, written together or not at all, and the selection rules."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from feedback.models import Media
from feedback.services import movie_media
from recommendations.engine import ENGINE_VERSION
from recommendations.models import RecommendationLog
from recommendations.services import (
    Recommendation,
    recommendation_select,
    slate_for_user,
    slate_log,
)
from tests.factories import MediaFactory, RecommendationLogFactory
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    films = [film(f"Film {n}", ["Drama", "Comedy", "Western", "War"][n % 4]) for n in range(8)]
    fans("fans", 4, *films[:5])
    learn()
    return films


def test_a_slate_writes_one_row_per_pick_with_one_slate_id(catalog, user):
    feedback(user, catalog[0], rating=5)

    slate = slate_for_user(user)

    rows = list(RecommendationLog.objects.filter(user=user).order_by("log_id"))
    assert [row.recommendation_type for row in rows] == ["primary", "backup", "wildcard"]
    assert {row.slate_id for row in rows} == {slate.slate_id}
    assert {row.engine_version for row in rows} == {ENGINE_VERSION}
    assert len({row.timestamp for row in rows}) == 1
    assert not any(row.selected for row in rows)
    for row, pick in zip(rows, slate.picks, strict=True):
        assert row.media.movie_id == pick.movie_id
        assert row.score == pick.score
        assert row.reason == pick.reason
        assert pick.log == row


def test_picks_without_a_media_item_get_one_and_existing_ones_are_reused(catalog, user):
    existing = MediaFactory(media_id="plex:1", movie=catalog[1])
    picks = [
        Recommendation(catalog[1].pk, "Film 1", 0.9, "Because", "primary"),
        Recommendation(catalog[2].pk, "Film 2", 0.8, "Because", "backup"),
    ]

    slate = slate_log(user=user, picks=picks)

    assert slate.picks[0].log.media == existing
    assert slate.picks[1].log.media.media_id == f"marquee:movie:{catalog[2].pk}"


def test_a_slate_is_logged_whole_or_not_at_all(catalog, user):
    media_before = Media.objects.count()
    picks = [
        Recommendation(catalog[3].pk, "Film 3", 0.9, "Because", "primary"),
        Recommendation(catalog[4].pk, "Film 4", 0.8, "Because", "backup"),
    ]
    with (
        mock.patch.object(
            RecommendationLog.objects, "bulk_create", side_effect=IntegrityError("boom")
        ),
        pytest.raises(IntegrityError),
    ):
        slate_log(user=user, picks=picks)

    assert not RecommendationLog.objects.exists()
    assert Media.objects.count() == media_before  # the media made for it went too


def test_a_pick_that_breaks_a_rule_is_refused_before_anything_is_written(catalog, user):
    picks = [
        Recommendation(catalog[3].pk, "Film 3", 0.9, "Because", "primary"),
        Recommendation(catalog[4].pk, "Film 4", 1.5, "Because", "backup"),
    ]
    with pytest.raises(ValidationError) as excinfo:
        slate_log(user=user, picks=picks)

    assert "score" in excinfo.value.message_dict
    assert not RecommendationLog.objects.exists()


def slate_rows(user, slate_id=None):
    kwargs = {"user": user}
    if slate_id:
        kwargs["slate_id"] = slate_id
    first = RecommendationLogFactory(**kwargs, recommendation_type="primary")
    second = RecommendationLogFactory(
        user=user, slate_id=first.slate_id, recommendation_type="backup"
    )
    return first, second


def test_selecting_a_pick_marks_it(user):
    first, second = slate_rows(user)

    chosen = recommendation_select(user=user, log_id=first.pk)

    assert chosen == first
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.selected, second.selected) == (True, False)


def test_selecting_another_pick_of_the_same_slate_moves_the_choice(user):
    first, second = slate_rows(user)
    other_slate = RecommendationLogFactory(user=user, selected=True)
    recommendation_select(user=user, log_id=first.pk)

    recommendation_select(user=user, log_id=second.pk)
    recommendation_select(user=user, log_id=second.pk)  # twice changes nothing

    assert set(RecommendationLog.objects.filter(selected=True).values_list("pk", flat=True)) == {
        other_slate.pk,
        second.pk,
    }


def test_a_pick_shown_to_someone_else_is_refused(user, other_user):
    theirs, _ = slate_rows(other_user)

    with pytest.raises(PermissionDenied):
        recommendation_select(user=user, log_id=theirs.pk)

    theirs.refresh_from_db()
    assert not theirs.selected


def test_a_pick_that_does_not_exist_is_refused(user):
    with pytest.raises(PermissionDenied):
        recommendation_select(user=user, log_id=123456)


def test_the_log_names_the_film_by_the_item_its_feedback_form_uses(catalog, user):
    # Three items of one film, linked in an order their ids do not follow.
    MediaFactory(media_id="plex:9", movie=catalog[1])
    standing = MediaFactory(media_id="jellyfin:3", movie=catalog[1])
    MediaFactory(media_id=f"marquee:movie:{catalog[1].pk}", movie=catalog[1])
    pick = Recommendation(catalog[1].pk, "Film 1", 0.9, "Because", "primary")

    slate = slate_log(user=user, picks=[pick])

    assert slate.picks[0].log.media == standing == movie_media(movie=catalog[1])


def three_picks(films):
    return [
        Recommendation(movie.pk, movie.title, 0.9 - n / 10, "Because", slot)
        for n, (movie, slot) in enumerate(
            zip(films, ["primary", "backup", "wildcard"], strict=True)
        )
    ]


def test_picks_that_all_need_a_media_item_cost_a_fixed_few_queries_more(
    catalog, user, django_assert_num_queries
):
    """Made one at a time, each new item cost about six queries: a logged slate whose
    three picks all needed one ran 36 queries against 16 unlogged."""
    with_items, without = catalog[:3], catalog[3:6]
    for movie in with_items:
        MediaFactory(movie=movie)
    # The media lookup and the insert, in a savepoint here.
    with django_assert_num_queries(4):
        slate_log(user=user, picks=three_picks(with_items))

    # The films, their items and the ids they could take, the insert, the read back.
    with django_assert_num_queries(4 + 4):
        slate = slate_log(user=user, picks=three_picks(without))

    assert [pick.log.media.media_id for pick in slate.picks] == [
        f"marquee:movie:{movie.pk}" for movie in without
    ]
    assert [pick.log.media.movie for pick in slate.picks] == without
    assert Media.objects.filter(movie__in=without).count() == 3


def test_a_slate_s_new_items_leave_ids_held_by_other_items_to_them(catalog, user):
    """An export from another Marquee brought an item under one film's id (there, that pk
    was another film); another film's id is held by the item of a film deleted since."""
    imported, orphaned, free = catalog[3:6]
    taken = MediaFactory(media_id=f"marquee:movie:{imported.pk}", movie=catalog[7])
    MediaFactory(media_id=f"marquee:movie:{orphaned.pk}", movie=None)
    MediaFactory(media_id=f"marquee:movie:{orphaned.pk}:2", movie=None)

    slate = slate_log(user=user, picks=three_picks([imported, orphaned, free]))

    assert [pick.log.media.media_id for pick in slate.picks] == [
        f"marquee:movie:{imported.pk}:2",
        f"marquee:movie:{orphaned.pk}:3",
        f"marquee:movie:{free.pk}",
    ]
    assert [pick.log.media.movie for pick in slate.picks] == [imported, orphaned, free]
    taken.refresh_from_db()
    assert taken.movie == catalog[7]
    # The film's feedback form names the same item the log does.
    assert [movie_media(movie=movie) for movie in (imported, orphaned, free)] == [
        pick.log.media for pick in slate.picks
    ]
