"""A Letterboxd list's Date, the day it was made there: a list the import makes was made
then, at 8 pm in the person's zone as every Letterboxd day, and never after the import; a
list the person had keeps its own date. A Date that cannot be one refuses its file."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from feedback.letterboxd_import import letterboxd_import
from feedback.models import FilmList
from tests.factories import FilmListFactory, UserTimeZoneFactory
from tests.feedback.test_letterboxd_lists import (  # noqa: F401 (films, a fixture)
    BEST_OF_2023,
    COMFORT,
    export,
    films,
)

# The films the lists name, in the catalog.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("films")]

TOKYO = ZoneInfo("Asia/Tokyo")
# Without the Date column, as a file cut down by hand to what Marquee reads.
UNDATED = COMFORT.replace(
    "Date,Name,Description\n2020-02-02,comfort rewatches", "Name,Description\nUndated"
)


def evening(day: dt.date, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(20), tzinfo=zone)


def dated(text: str, day: str) -> str:
    return text.replace("2023-01-05,", f"{day},", 1)


def test_a_new_list_is_made_on_its_date_at_8_pm_in_the_person_s_zone(user):
    UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")
    mine = FilmListFactory(user=user, name="Comfort Rewatches")
    before = timezone.now()

    letterboxd_import(
        user=user, data=export(best_of_2023=BEST_OF_2023, comfort=COMFORT, undated=UNDATED)
    )

    best = FilmList.objects.get(user=user, name="Best of 2023")
    assert best.created_at == evening(dt.date(2023, 1, 5), TOKYO)
    # Changed now, as any list just written: first on "Your lists".
    assert best.updated_at >= before
    # A list the person had keeps its own date; one of a file without Date is made now.
    assert FilmList.objects.get(pk=mine.pk).created_at == mine.created_at
    assert FilmList.objects.get(user=user, name="Undated").created_at >= before


def test_a_list_made_today_is_not_made_after_the_import(user):
    before = timezone.now()
    today = before.date()

    letterboxd_import(user=user, data=export(best_of_2023=dated(BEST_OF_2023, today.isoformat())))

    made = FilmList.objects.get(user=user)
    assert made.created_at <= made.updated_at
    if evening(today, dt.UTC) <= before:
        assert made.created_at == evening(today, dt.UTC)
    else:  # the moment of the import, not tonight
        assert before <= made.created_at < evening(today, dt.UTC)


def test_two_files_of_one_name_make_a_list_made_on_the_earlier_date(user):
    earlier = dated(BEST_OF_2023, "2021-06-30").replace("Best of 2023", "BEST OF 2023")

    letterboxd_import(user=user, data=export(best_of_2023=BEST_OF_2023, again=earlier))

    assert FilmList.objects.get(user=user).created_at == evening(dt.date(2021, 6, 30), dt.UTC)


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2023-13-45", "Date '2023-13-45' is not a date (YYYY-MM-DD)"),
        ("5 Jan 2023", "Date '5 Jan 2023' is not a date (YYYY-MM-DD)"),
        ("", "Date '' is not a date (YYYY-MM-DD)"),
        ("1887-12-31", "Date 1887-12-31: This date is before 1888, the year of the first film."),
        ("2199-01-01", "Date 2199-01-01: This date is in the future."),
    ],
    ids=["no-such-day", "not-iso", "blank", "before-1888", "future"],
)
def test_a_date_that_cannot_be_the_list_s_refuses_its_file(user, day, said):
    summary = letterboxd_import(
        user=user, data=export(best_of_2023=dated(BEST_OF_2023, day), comfort=COMFORT)
    )

    said = said.removesuffix(".")
    assert summary.rejected == [f"lists/best-of-2023.csv:3: {said}: the file was not read"]
    assert list(FilmList.objects.values_list("name", flat=True)) == ["comfort rewatches"]


def test_tomorrow_whose_evening_is_more_than_a_day_ahead_refuses_the_file(user):
    """Tomorrow by UTC passes the reading, as a line's date does; 8 pm of it eleven hours
    behind UTC is always past the day's leeway the dates allow, as for a line."""
    UserTimeZoneFactory(user=user, time_zone="Pacific/Pago_Pago")
    tomorrow = (timezone.now() + dt.timedelta(days=1)).date().isoformat()

    summary = letterboxd_import(user=user, data=export(best_of_2023=dated(BEST_OF_2023, tomorrow)))

    assert summary.rejected == [
        f"lists/best-of-2023.csv:3: Date {tomorrow}: This date is in the future: "
        "the file was not read"
    ]
    assert not FilmList.objects.exists()
