"""A Letterboxd export imported again after the person changed their time zone: its
diary's viewings, put at 8 pm in the zone they had then, are found, and a film watched
again the next day is still a second viewing, in the zones where 8 pm of one day in one
zone is 8 pm of the day before in another (+12 to +14 against -12 to -10)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.letterboxd_import import letterboxd_import
from feedback.letterboxd_viewings import evening_days
from feedback.models import UserFeedback, UserTimeZone, ViewingHistory
from tests.factories import MovieFactory
from tests.feedback.letterboxd_zips import diary, letterboxd_zip, rating, review, watched

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def films():
    MovieFactory(title="Alien", year=1979)
    MovieFactory(title="Aliens", year=1986)


def reviewers_export() -> bytes:
    """The file of the report: two films, each logged the day after it was watched."""
    return letterboxd_zip(
        diary=[
            diary("2025-03-01", "Alien", 1979, "4", logged="2025-03-02"),
            diary("2025-03-05", "Aliens", 1986, "5", logged="2025-03-06"),
        ],
        ratings=[
            rating("2025-03-02", "Alien", 1979, "4"),
            rating("2025-03-06", "Aliens", 1986, "5"),
        ],
        watched=[watched("2025-03-02", "Alien", 1979), watched("2025-03-06", "Aliens", 1986)],
        reviews=[review("2025-03-02", "Alien", 1979, "Still scary.", stars="4")],
    )


def alien_on(*days: str) -> bytes:
    return letterboxd_zip(diary=[diary(day, "Alien", 1979) for day in days])


def zone_set(user, name: str) -> None:
    UserTimeZone.objects.update_or_create(user=user, defaults={"time_zone": name})


def evenings(user) -> list[dt.datetime]:
    return list(
        ViewingHistory.objects.filter(user=user)
        .order_by("started_at", "pk")
        .values_list("started_at", flat=True)
    )


def evening(day: str, zone: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(20), tzinfo=ZoneInfo(zone))


ZONE_CHANGES = [
    ("UTC", "Asia/Tokyo"),
    ("Asia/Tokyo", "America/New_York"),
    ("UTC", "Pacific/Kiritimati"),
    ("Pacific/Kiritimati", "Pacific/Honolulu"),
    ("Pacific/Honolulu", "Pacific/Kiritimati"),
    ("Etc/GMT+12", "Pacific/Kiritimati"),
]


@pytest.mark.parametrize(("before", "after"), ZONE_CHANGES)
def test_the_same_file_after_a_zone_change_changes_nothing(user, before, after):
    zone_set(user, before)
    first = letterboxd_import(user=user, data=reviewers_export())
    zone_set(user, after)

    second = letterboxd_import(user=user, data=reviewers_export())

    assert (first.viewings_added, first.reviews_added) == (2, 1)
    assert second.viewings_added == 0
    assert not second.changed
    # The review is the one the first import wrote, at 8 pm in the zone of then: there
    # already, not one of the person's own that Marquee kept instead of the file's.
    assert not second.kept_own
    assert (
        second.unchanged_said("file")
        == "Nothing changed: everything in the file was there already."
    )
    assert evenings(user) == [evening("2025-03-01", before), evening("2025-03-05", before)]


@pytest.mark.parametrize(("before", "after"), ZONE_CHANGES)
def test_a_rewatch_the_next_day_is_found_again_after_a_zone_change(user, before, after):
    zone_set(user, before)
    letterboxd_import(user=user, data=alien_on("2025-03-01", "2025-03-02"))
    zone_set(user, after)

    second = letterboxd_import(user=user, data=alien_on("2025-03-01", "2025-03-02"))

    assert second.viewings_added == 0
    assert evenings(user) == [evening("2025-03-01", before), evening("2025-03-02", before)]


# 8 pm at +12 to +14 is 8 pm of the day before at -12 to -10, where they exist.
OVERLAPPING = ["Pacific/Kiritimati", "Pacific/Tongatapu", "Pacific/Auckland", "Pacific/Honolulu"]


@pytest.mark.parametrize("zone", OVERLAPPING)
def test_a_rewatch_the_next_day_is_a_second_viewing(user, zone):
    zone_set(user, zone)

    summary = letterboxd_import(user=user, data=alien_on("2025-03-01", "2025-03-02"))

    assert summary.viewings_added == 2
    assert evenings(user) == [evening("2025-03-01", zone), evening("2025-03-02", zone)]


@pytest.mark.parametrize("zone", OVERLAPPING)
@pytest.mark.parametrize("first", ["2025-03-01", "2025-03-02"])
def test_a_rewatch_logged_since_is_added_by_the_next_export(user, zone, first):
    zone_set(user, zone)
    letterboxd_import(user=user, data=alien_on(first))

    summary = letterboxd_import(user=user, data=alien_on("2025-03-01", "2025-03-02"))

    assert (summary.viewings_added, summary.already_there) == (1, 1)
    assert evenings(user) == [evening("2025-03-01", zone), evening("2025-03-02", zone)]


@pytest.mark.parametrize(
    ("before", "after"),
    [("Pacific/Honolulu", "Pacific/Kiritimati"), ("Pacific/Kiritimati", "Pacific/Honolulu")],
)
def test_a_rewatch_logged_since_is_added_after_a_zone_change(user, before, after):
    """The viewing of the 1st put at 8 pm in Honolulu is 8 pm of the 2nd in Kiritimati
    too: the rewatch of the 2nd is added all the same, as the file's 1st is there."""
    zone_set(user, before)
    letterboxd_import(user=user, data=alien_on("2025-03-01"))
    zone_set(user, after)

    summary = letterboxd_import(user=user, data=alien_on("2025-03-01", "2025-03-02"))

    assert (summary.viewings_added, summary.already_there) == (1, 1)
    assert len(evenings(user)) == 2


def test_a_viewing_logged_on_the_site_that_day_is_still_the_diary_line_s(user):
    """A viewing at another hour is the line's on its day in the person's zone, as before."""
    zone_set(user, "Asia/Tokyo")
    letterboxd_import(user=user, data=alien_on("2025-03-01"))
    ViewingHistory.objects.update(started_at=dt.datetime(2025, 3, 1, 9, 31, 7, tzinfo=dt.UTC))

    summary = letterboxd_import(user=user, data=alien_on("2025-03-01", "2025-03-02"))

    assert (summary.viewings_added, summary.already_there) == (1, 1)


@pytest.mark.parametrize(
    ("at", "days"),
    [
        (dt.datetime(2025, 3, 1, 20, tzinfo=dt.UTC), {"2025-03-01"}),
        (evening("2025-03-01", "Asia/Kathmandu"), {"2025-03-01"}),  # +5:45
        (evening("2025-03-02", "Pacific/Kiritimati"), {"2025-03-01", "2025-03-02"}),
        (dt.datetime(2025, 3, 1, 8, 15, tzinfo=dt.UTC), {"2025-03-01"}),  # +11:45, not -12:15
        (dt.datetime(2025, 3, 1, 20, 0, 1, tzinfo=dt.UTC), set()),
        (dt.datetime(2025, 3, 1, 20, 10, tzinfo=dt.UTC), set()),
    ],
)
def test_the_days_a_moment_is_8_pm_on_somewhere(at, days):
    assert evening_days(at) == {dt.date.fromisoformat(day) for day in days}


def arrival_rated(stars: str) -> bytes:
    return letterboxd_zip(ratings=[rating("2024-01-31", "Arrival", 2016, stars)])


@pytest.mark.parametrize("after", ["America/Los_Angeles", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_a_rating_of_the_same_day_keeps_marquee_s_in_any_zone(user_client, user, after):
    """The report's: a file's rating of the day Marquee's is from does not replace it,
    whatever zone the person has when they import it."""
    MovieFactory(title="Arrival", year=2016)
    url = reverse("letterboxd_import")
    user_client.post(url, {"file": SimpleUploadedFile("a.zip", arrival_rated("4"))})
    user_client.post(url, {"file": SimpleUploadedFile("b.zip", arrival_rated("2"))})
    zone_set(user, after)

    html = user_client.post(url, {"file": SimpleUploadedFile("b.zip", arrival_rated("2"))})

    assert "1 rating kept" in html.content.decode()
    assert UserFeedback.objects.get(user=user).rating == 4


# Not from -10 to +14: 8 pm on the 31st in Honolulu is 8 pm on the 1st in Kiritimati,
# where a rating of the 1st is from the same day as Marquee's.
@pytest.mark.parametrize(("before", "after"), ZONE_CHANGES[:4])
def test_a_rating_of_the_next_day_replaces_marquee_s_after_a_zone_change(user, before, after):
    MovieFactory(title="Arrival", year=2016)
    zone_set(user, before)
    letterboxd_import(user=user, data=arrival_rated("4"))
    zone_set(user, after)

    summary = letterboxd_import(
        user=user, data=letterboxd_zip(ratings=[rating("2024-02-01", "Arrival", 2016, "2")])
    )

    assert summary.ratings_set == 1
    assert UserFeedback.objects.get(user=user).rating == 2


@pytest.mark.parametrize(("before", "after"), ZONE_CHANGES)
def test_two_viewings_of_a_day_are_found_again_after_a_zone_change(user, before, after):
    data = letterboxd_zip(
        diary=[
            diary("2025-03-01", "Alien", 1979, uri="https://boxd.it/a1"),
            diary("2025-03-01", "Alien", 1979, uri="https://boxd.it/a2"),
            diary("2025-03-02", "Alien", 1979, uri="https://boxd.it/a3"),
        ]
    )
    zone_set(user, before)
    first = letterboxd_import(user=user, data=data)
    zone_set(user, after)

    second = letterboxd_import(user=user, data=data)

    assert (first.viewings_added, second.viewings_added, second.already_there) == (3, 0, 3)
    assert evenings(user) == [
        evening("2025-03-01", before),
        evening("2025-03-01", before),
        evening("2025-03-02", before),
    ]


@pytest.mark.parametrize("zone", OVERLAPPING)
def test_a_second_viewing_of_a_day_logged_since_is_added(user, zone):
    zone_set(user, zone)
    letterboxd_import(user=user, data=alien_on("2025-03-01", "2025-03-02"))
    data = letterboxd_zip(
        diary=[
            diary("2025-03-01", "Alien", 1979, uri="https://boxd.it/a1"),
            diary("2025-03-02", "Alien", 1979, uri="https://boxd.it/a2"),
            diary("2025-03-02", "Alien", 1979, uri="https://boxd.it/a3"),
        ]
    )

    summary = letterboxd_import(user=user, data=data)

    assert (summary.viewings_added, summary.already_there) == (1, 2)
    assert evenings(user) == [
        evening("2025-03-01", zone),
        evening("2025-03-02", zone),
        evening("2025-03-02", zone),
    ]
