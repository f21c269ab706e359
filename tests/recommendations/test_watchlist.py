"""What the person's watchlist does to their slate: the films they asked for come first,
said so, as they chose them, and never once seen."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import RelationshipType
from feedback.models import WatchlistEntry
from recommendations.models import RecommendationLog, RecommendationType
from recommendations.services import rank_for_user, slate_for_user
from tests.factories import MovieRelationshipFactory, UserFactory, UserTimeZoneFactory
from tests.recommendations.builders import crime_fan_of, fans, feedback, film, learn

pytestmark = pytest.mark.django_db

ADDED = dt.datetime(2026, 5, 3, 20, 0, tzinfo=dt.UTC)


def wants(user, movie, added=ADDED):
    return WatchlistEntry.objects.create(user=user, movie=movie, added_at=added)


@pytest.fixture
def crime_fan(user):
    return crime_fan_of(user)


def test_without_a_watchlist_the_best_match_comes_first(crime_fan, user):
    assert slate_for_user(user, log=False).picks[0].movie_id == crime_fan["ronin"].pk


def test_a_film_on_the_watchlist_comes_first_and_says_why(crime_fan, user):
    wants(user, crime_fan["thief"])

    primary = slate_for_user(user, log=False).picks[0]

    assert primary.movie_id == crime_fan["thief"].pk
    assert primary.recommendation_type == RecommendationType.PRIMARY
    assert primary.reason == (
        "On your watchlist since 3 May 2026; people who loved Heat loved this"
    )


def test_a_watchlist_film_nothing_else_speaks_for_says_only_that(crime_fan, user):
    wants(user, crime_fan["tootsie"])

    ranked = rank_for_user(user)

    reasons = {r.movie_id: r.reason for r in ranked}
    assert reasons[crime_fan["tootsie"].pk] == (
        "On your watchlist since 3 May 2026; popular and well rated"
    )
    # It fits them badly: above a film that fits them a little, not above the best match.
    order = [r.movie_id for r in ranked]
    assert order.index(crime_fan["ronin"].pk) == 0
    assert order.index(crime_fan["tootsie"].pk) < order.index(crime_fan["thief"].pk)


# Noon in Greenwich, midnight in Kiritimati (UTC+14): 22 November there.
KIRITIMATI_NOON = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def test_a_logged_slate_dates_the_watchlist_in_the_person_s_time_zone(crime_fan, user):
    """`manage.py recommend` runs in the server's zone, and its log row is what the page
    shows: the date is written in the person's, as the page would have it."""
    UserTimeZoneFactory(user=user, time_zone="Pacific/Kiritimati")
    wants(user, crime_fan["thief"], added=KIRITIMATI_NOON)

    call_command("recommend", user.username, stdout=io.StringIO())

    row = RecommendationLog.objects.get(user=user, media__movie=crime_fan["thief"])
    assert row.reason.startswith("On your watchlist since 22 November 2026;")


@pytest.mark.parametrize(
    ("zone", "active", "day"),
    [("Pacific/Kiritimati", "America/Los_Angeles", 22), ("", "Pacific/Kiritimati", 21)],
    ids=["their zone", "the site's"],
)
def test_the_watchlist_date_is_the_person_s_whatever_zone_is_active(
    crime_fan, user, zone, active, day
):
    """Whoever else's zone the request or thread has active; blank is the site's (UTC
    in the tests)."""
    UserTimeZoneFactory(user=user, time_zone=zone)
    wants(user, crime_fan["thief"], added=KIRITIMATI_NOON)

    with timezone.override(zoneinfo.ZoneInfo(active)):
        reasons = {r.movie_id: r.reason for r in rank_for_user(user)}

    assert reasons[crime_fan["thief"].pk].startswith(f"On your watchlist since {day} November")


def test_a_film_seen_is_not_offered_even_if_still_on_the_watchlist(crime_fan, user):
    wants(user, crime_fan["thief"])
    feedback(user, crime_fan["thief"], rating=3, would_watch_again=None)

    assert crime_fan["thief"].pk not in {r.movie_id for r in rank_for_user(user)}


def test_someone_elses_watchlist_changes_nothing(crime_fan, user):
    wants(UserFactory(), crime_fan["thief"])

    assert slate_for_user(user, log=False).picks[0].movie_id == crime_fan["ronin"].pk


def test_a_later_film_of_a_series_on_the_watchlist_is_offered_as_chosen(user):
    first, second = film("The Godfather", "Crime"), film("The Godfather Part II", "Crime")
    MovieRelationshipFactory(
        from_movie=first, to_movie=second, relationship_type=RelationshipType.SEQUEL
    )
    heat = film("Heat", "Crime")
    fans("crime", 5, heat, first, second)
    learn()
    feedback(user, heat, rating=5)
    wants(user, second)

    ranked = {r.movie_id: r.reason for r in rank_for_user(user)}

    assert ranked[second.pk].startswith("On your watchlist since")


def test_a_film_of_a_franchise_they_turned_away_from_is_offered_if_they_ask(user):
    alien, aliens = film("Alien", "Horror"), film("Aliens", "Action")
    MovieRelationshipFactory(from_movie=alien, to_movie=aliens)
    heat = film("Heat", "Crime")
    fans("crime", 5, heat, film("Ronin", "Crime"))
    fans("horror", 5, alien, aliens)
    learn()
    feedback(user, heat, rating=5)
    feedback(user, alien, watched_completion=False, rating=None, would_watch_again=None)
    assert aliens.pk not in {r.movie_id for r in rank_for_user(user)}

    wants(user, aliens)

    assert aliens.pk in {r.movie_id for r in rank_for_user(user)}


def test_someone_new_gets_their_watchlist_first(user):
    popular = film("Everyone's Favourite", "Drama", popularity=99)
    quiet = film("A Quiet One", "Drama", popularity=5)
    film("Another", "Comedy", popularity=60)
    learn()
    assert slate_for_user(user, log=False).picks[0].movie_id == popular.pk

    wants(user, quiet)

    primary = slate_for_user(user, log=False).picks[0]
    assert primary.movie_id == quiet.pk
    assert primary.reason.startswith("On your watchlist since")


def test_a_long_watchlist_costs_no_more_queries(crime_fan, user, django_assert_num_queries):
    other = UserFactory()
    feedback(other, crime_fan["heat"], rating=5)
    wants(other, crime_fan["thief"])
    for n in range(40):
        wants(user, film(f"Wanted {n}", "Western"))

    for person in (other, user):
        with django_assert_num_queries(18):  # as for any slate (test_engine.py)
            assert len(slate_for_user(person, log=False).picks) == 3
