"""Catalog migration 0020: reviews edited at a date the new rules refuse, written before
it, keep saying "edited", at the nearest date the rules allow."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import FIRST_FILM
from catalog.models import Review
from tests import factories
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0019_member_review_rules")
UTC = dt.UTC


@pytest.fixture
def old_review():
    """Review as it was before the migration, without the rules of edited_at: a row maker."""
    movie = factories.MovieFactory()
    with models_before(*BEFORE) as apps:
        model = apps.get_model("catalog", "Review")

        def create(**fields):
            fields = {"movie_id": movie.pk, "source": "user", "text": "Edited."} | fields
            return model.objects.create(**fields).pk

        yield create


def test_impossible_edits_are_dated_at_the_nearest_plausible_date(old_review):
    posted_at = timezone.now() - dt.timedelta(days=10)
    tomorrow = timezone.now() + dt.timedelta(hours=20)  # within the clock's leeway

    def edited(edited_at, posted=posted_at):
        member = factories.UserFactory()
        return old_review(user_id=member.pk, posted_at=posted, edited_at=edited_at)

    last_moment = edited(dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))
    far = edited(dt.datetime(2200, 1, 1, tzinfo=UTC))
    in_2099 = edited(dt.datetime(2099, 1, 1, tzinfo=UTC))
    undated = edited(dt.datetime(2099, 1, 1, tzinfo=UTC), posted=None)
    # Posted ahead: "now" would be before the posting.
    posted_ahead = edited(dt.datetime(9999, 1, 1, tzinfo=UTC), posted=tomorrow)
    # Only a review without a posting date can have one: 0019 holds the others to it.
    year_one = edited(dt.datetime(1, 1, 1, tzinfo=UTC), posted=None)
    right = edited(posted_at + dt.timedelta(days=1))
    ahead = edited(tomorrow, posted=tomorrow)
    before = timezone.now()

    call_command("migrate", verbosity=0)

    dates = dict(Review.objects.values_list("pk", "edited_at"))
    for dated_now in (last_moment, far, in_2099, undated):
        assert before <= dates[dated_now] <= timezone.now()
    assert dates[posted_ahead] == tomorrow
    assert dates[year_one] == FIRST_FILM
    assert dates[right] == posted_at + dt.timedelta(days=1)
    assert dates[ahead] == tomorrow


def test_the_pages_show_a_mended_review_east_of_utc(old_review, client):
    """Edited in 9999, the review was a 500 on its pages for a member in Tokyo."""
    member = factories.UserFactory()
    old_review(
        user_id=member.pk,
        posted_at=timezone.now() - dt.timedelta(days=3),
        edited_at=dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    )

    call_command("migrate", verbosity=0)

    factories.UserTimeZoneFactory(user=member, time_zone="Asia/Tokyo")
    client.force_login(member)  # the zone rides on the session from the log-in
    movie_id = Review.objects.get(user=member).movie_id
    for url in (
        reverse("catalog:movie_detail", args=[movie_id]),
        reverse("catalog:movie_reviews", args=[movie_id]),
        reverse("catalog:my_reviews"),
    ):
        assert client.get(url).status_code == HTTPStatus.OK
