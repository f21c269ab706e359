"""A review's date makes sense: not before the first film, nor later than tomorrow, and
a tweet's not before Twitter began; a far bound and the first ones are CHECKs too."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import BEFORE_FIRST_FILM_MESSAGE, IN_THE_FUTURE_MESSAGE
from catalog.models import BEFORE_TWITTER_MESSAGE, Review
from tests.conftest import assert_refused_by_database
from tests.factories import MovieFactory, ReviewFactory
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def review_row(movie, **overrides) -> dict:
    row = {"movie_id": movie.pk, "source": "critic", "author": "", "text": "x"}
    return row | {"sentiment_label": "", "created_at": timezone.now()} | overrides


@pytest.mark.parametrize(
    ("source", "posted_at", "message"),
    [
        ("critic", dt.datetime(2099, 1, 1, tzinfo=UTC), IN_THE_FUTURE_MESSAGE),
        ("twitter", dt.datetime(2099, 1, 1, tzinfo=UTC), IN_THE_FUTURE_MESSAGE),
        ("critic", dt.datetime(1850, 1, 1, tzinfo=UTC), BEFORE_FIRST_FILM_MESSAGE),
        ("twitter", dt.datetime(2001, 9, 1, tzinfo=UTC), BEFORE_TWITTER_MESSAGE),
    ],
)
def test_an_impossible_date_is_refused(source, posted_at, message):
    review = ReviewFactory.build(movie=MovieFactory(), tweet=source == "twitter")
    review.posted_at = posted_at

    with pytest.raises(ValidationError) as excinfo:
        review.full_clean()

    assert excinfo.value.message_dict["posted_at"] == [message]


@pytest.mark.parametrize(
    ("source", "posted_at"),
    [
        ("critic", dt.datetime(1927, 10, 7, tzinfo=UTC)),  # older than Twitter: fine here
        ("twitter", dt.datetime(2006, 3, 21, 20, 50, tzinfo=UTC)),
        ("twitter", None),
    ],
)
def test_a_plausible_date_or_none_is_kept(source, posted_at):
    review = ReviewFactory.build(movie=MovieFactory(), tweet=source == "twitter")
    review.posted_at = posted_at

    review.full_clean()


def test_the_database_refuses_what_no_one_can_mean():
    movie = MovieFactory()
    for posted_at in (dt.datetime(2200, 1, 1, tzinfo=UTC), dt.datetime(1850, 1, 1, tzinfo=UTC)):
        assert_refused_by_database("catalog_review", **review_row(movie, posted_at=posted_at))
    tweet = {"source": "twitter", "tweet_id": 1, "posted_at": dt.datetime(2001, 1, 1, tzinfo=UTC)}
    assert_refused_by_database("catalog_review", **review_row(movie, **tweet))


def test_the_admin_refuses_a_review_from_the_future(staff_client):
    movie = MovieFactory()
    form = {"movie": movie.pk, "source": "critic", "text": "Ahead of its time"}

    response = staff_client.post(
        reverse("admin:catalog_review_add"),
        form | {"posted_at_0": "2099-01-01", "posted_at_1": "00:00:00"},
    )

    assert response.status_code == HTTPStatus.OK, "saved"
    assert response.context["adminform"].form.errors["posted_at"] == [IN_THE_FUTURE_MESSAGE]


@pytest.fixture
def before_the_bounds():
    with models_before("catalog", "0011_relationship_type_reads_to_of_from") as old_apps:
        yield old_apps


@pytest.mark.django_db(transaction=True)
def test_existing_impossible_dates_become_unknown(before_the_bounds, client):
    """Catalog migration 0012: a review dated 2099 no longer shows first on its film."""
    movie = MovieFactory()
    when = {
        "2099": dt.datetime(2099, 1, 1, tzinfo=UTC),
        "1850": dt.datetime(1850, 1, 1, tzinfo=UTC),
    }
    when |= {
        "2021": dt.datetime(2021, 10, 23, tzinfo=UTC),
        "2001": dt.datetime(2001, 1, 1, tzinfo=UTC),
    }
    # Written with the models of that state: today's Review has columns it lacks.
    OldReview = before_the_bounds.get_model("catalog", "Review")
    reviews = {
        year: OldReview.objects.create(
            movie_id=movie.pk, source="critic", author="A critic", text="Fine.", posted_at=moment
        )
        for year, moment in when.items()
    }
    tweet_of_2001 = OldReview.objects.create(
        movie_id=movie.pk, source="twitter", tweet_id=1, text="Fine.", posted_at=when["2001"]
    )

    call_command("migrate", verbosity=0)

    dates = dict(Review.objects.values_list("pk", "posted_at"))
    assert dates[reviews["2099"].pk] is None
    assert dates[reviews["1850"].pk] is None
    assert dates[tweet_of_2001.pk] is None
    assert dates[reviews["2001"].pk] == when["2001"]  # a critic wrote then
    response = client.get(reverse("catalog:movie_detail", args=[movie.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response.context["reviews_page"][0].pk == reviews["2021"].pk


@pytest.mark.parametrize(
    ("edited_at", "message"),
    [
        (dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), IN_THE_FUTURE_MESSAGE),
        (dt.datetime(2099, 1, 1, tzinfo=UTC), IN_THE_FUTURE_MESSAGE),
        (dt.datetime(1850, 1, 1, tzinfo=UTC), BEFORE_FIRST_FILM_MESSAGE),
    ],
)
def test_an_impossible_edit_date_is_refused(edited_at, message):
    review = ReviewFactory.build(movie=MovieFactory(), posted_at=None)
    review.edited_at = edited_at

    with pytest.raises(ValidationError) as excinfo:
        review.full_clean()

    assert excinfo.value.message_dict["edited_at"] == [message]


def test_the_database_refuses_an_edit_date_no_one_can_mean():
    movie = MovieFactory()
    for edited_at in (dt.datetime(2200, 1, 1, tzinfo=UTC), dt.datetime(1850, 1, 1, tzinfo=UTC)):
        assert_refused_by_database("catalog_review", **review_row(movie, edited_at=edited_at))


def member_review_form(review) -> dict:
    """What the admin's review page sends back unchanged, in UTC (the staff's zone here)."""
    return {
        "movie": review.movie_id,
        "source": review.source,
        "user": review.user_id,
        "text": review.text,
        "posted_at_0": review.posted_at.strftime("%Y-%m-%d"),
        "posted_at_1": review.posted_at.strftime("%H:%M:%S"),
    }


@pytest.mark.parametrize("day", ["9999-12-31", "2099-01-01"])
def test_the_admin_refuses_an_edit_from_the_future(staff_client, day):
    """Saved, an edit dated 9999 was a 500 on the film's page for a member east of UTC."""
    review = ReviewFactory(member=True)
    url = reverse("admin:catalog_review_change", args=[review.pk])

    response = staff_client.post(
        url, member_review_form(review) | {"edited_at_0": day, "edited_at_1": "23:59:59"}
    )

    assert response.status_code == HTTPStatus.OK, "saved"
    assert response.context["adminform"].form.errors["edited_at"] == [IN_THE_FUTURE_MESSAGE]
    review.refresh_from_db()
    assert review.edited_at is None


def test_the_admin_takes_a_plausible_edit(staff_client):
    review = ReviewFactory(member=True, posted_at=dt.datetime(2024, 5, 1, tzinfo=UTC))
    url = reverse("admin:catalog_review_change", args=[review.pk])

    response = staff_client.post(
        url, member_review_form(review) | {"edited_at_0": "2024-05-02", "edited_at_1": "08:00:00"}
    )

    assert response.status_code == HTTPStatus.FOUND
    review.refresh_from_db()
    assert review.edited_at == dt.datetime(2024, 5, 2, 8, tzinfo=UTC)
