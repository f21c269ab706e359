"""A person's own time zone: an IANA name Marquee knows, or blank for the site's; one row
per person, which goes with the account."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from feedback.models import TIME_ZONE_MESSAGE, UserTimeZone
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import UserFactory, UserTimeZoneFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", ""])
def test_a_known_zone_or_blank_is_valid(user, name):
    UserTimeZone(user=user, time_zone=name).full_clean()


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "europe/berlin", "Europe/Berlin ", "+02:00"])
def test_a_name_marquee_does_not_know_is_refused_in_words(user, name):
    with pytest.raises(ValidationError) as refused:
        UserTimeZone(user=user, time_zone=name).full_clean()

    assert refused.value.message_dict == {"time_zone": [TIME_ZONE_MESSAGE]}


@pytest.mark.parametrize("name", ["Europe/ Berlin", "/Europe", "Europe/"])
def test_the_database_refuses_what_cannot_be_a_zone_s_name(user, name):
    assert_refused_by_database("feedback_usertimezone", user_id=user.pk, time_zone=name)


def test_the_database_takes_a_zone_s_name(user):
    raw_insert("feedback_usertimezone", user_id=user.pk, time_zone="Asia/Tokyo")

    assert UserTimeZone.objects.get(user=user).time_zone == "Asia/Tokyo"


def test_one_row_per_person(user):
    UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserTimeZone.objects.create(user=user, time_zone="Europe/Berlin")


def test_it_goes_with_the_account():
    person = UserTimeZoneFactory(time_zone="Asia/Tokyo").user
    staying = UserTimeZoneFactory(user=UserFactory(), time_zone="Europe/Berlin")

    person.delete()

    assert list(UserTimeZone.objects.all()) == [staying]


def test_says_whose_zone_it_is(user):
    assert str(UserTimeZone(user=user, time_zone="Asia/Tokyo")) == f"{user}: Asia/Tokyo"
    assert str(UserTimeZone(user=user, time_zone="")) == f"{user}: the site's time zone"
