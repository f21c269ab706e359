"""The account page's time zone form: a select of the zones, saved by POST, after which
the person's pages show their times in it (tests/feedback/test_time_zones.py)."""

import re
import time
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from feedback.models import TIME_ZONE_MESSAGE, UserTimeZone
from feedback.time_zones import SESSION_KEY
from tests.at_once import requests_at_once
from tests.factories import UserTimeZoneFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("account_settings")
TIME_ZONE_URL = reverse("time_zone_change")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def zone_of(user) -> str | None:
    return UserTimeZone.objects.filter(user=user).values_list("time_zone", flat=True).first()


def the_form(html: str) -> str:
    return re.search(rf'<form method="post" action="{TIME_ZONE_URL}".*?</form>', html, re.S)[0]


def test_the_account_page_offers_the_zones_grouped_by_region(user_client):
    form = the_form(user_client.get(SETTINGS_URL).content.decode())

    assert 'name="csrfmiddlewaretoken"' in form
    assert '<select name="time_zone"' in form
    assert '<option value="" selected>The site&#x27;s time zone (UTC)</option>' in form
    assert '<optgroup label="Europe">' in form
    assert '<option value="Europe/Berlin">Berlin</option>' in form
    assert '<option value="America/Argentina/Buenos_Aires">Argentina/Buenos Aires</option>' in form
    assert '<button type="submit">Save time zone</button>' in form


@pytest.mark.parametrize(
    "name",
    ["localtime", "Factory", "posixrules", "Europe/Kiev", "Asia/Calcutta", "Zulu", "Etc/GMT+0",
     "GMT+0", "US/Eastern", "Japan"],
)  # fmt: skip
def test_the_select_offers_places_not_aliases_or_the_machine_s_own_files(user_client, name):
    """Only tzdb's zones of places (zone.tab) and UTC: no second name for one zone, and
    not "localtime", whatever the server's clock says today, which would move with it."""
    form = the_form(user_client.get(SETTINGS_URL).content.decode())

    assert f'value="{name}"' not in form
    assert '<option value="Europe/Kyiv">Kyiv</option>' in form
    assert '<option value="UTC">UTC</option>' in form

    refused = user_client.post(TIME_ZONE_URL, {"time_zone": name})
    assert refused.status_code == HTTPStatus.OK
    assert TIME_ZONE_MESSAGE in the_form(refused.content.decode())


@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules"])
def test_the_machine_s_own_files_are_no_zone_to_keep(name):
    with pytest.raises(ValidationError):
        UserTimeZoneFactory.build(time_zone=name).full_clean(exclude=["user"])


def test_a_person_keeps_an_older_name_they_chose_until_they_change_it(client, user):
    # Chosen before the select offered only places' names: still shown, and sent back.
    UserTimeZoneFactory(user=user, time_zone="Europe/Kiev")
    client.force_login(user)

    form = the_form(client.get(SETTINGS_URL).content.decode())
    response = client.post(TIME_ZONE_URL, {"time_zone": "Europe/Kiev"})

    assert '<option value="Europe/Kiev" selected>' in form
    assert response.status_code == HTTPStatus.FOUND
    assert zone_of(user) == "Europe/Kiev"


def test_the_person_s_zone_is_the_one_selected(client, user):
    UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")
    client.force_login(user)

    form = the_form(client.get(SETTINGS_URL).content.decode())

    assert '<option value="Asia/Tokyo" selected>Tokyo</option>' in form


@pytest.mark.parametrize(
    ("before", "chosen", "said"),
    [
        (None, "Europe/Berlin", "Your pages now show times in Europe/Berlin."),
        ("Asia/Tokyo", "", "Your pages now show times in the site's time zone, UTC."),
        (
            "Asia/Tokyo",
            "Asia/Tokyo",
            "Nothing changed: your pages already show times in Asia/Tokyo.",
        ),
    ],
)
def test_choosing_a_zone_saves_it_says_so_and_this_session_uses_it_at_once(
    client, user, before, chosen, said
):
    if before is not None:
        UserTimeZoneFactory(user=user, time_zone=before)
    client.force_login(user)

    response = client.post(TIME_ZONE_URL, {"time_zone": chosen})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == SETTINGS_URL
    assert messages_of(response) == [said]
    assert zone_of(user) == chosen
    assert client.session[SESSION_KEY] == chosen


@pytest.mark.django_db(transaction=True)
def test_a_zone_saved_twice_at_once_is_saved_once_and_each_click_redirects(user, monkeypatch):
    """A double click on Save, by someone with no zone saved yet. Each request used to
    read no row and insert one: the second insert broke the one-per-person constraint (a
    500), or, once the first had committed, the model's check refused it (the form shown
    again). They take turns now, and the later ones find the zone saved."""
    save = UserTimeZone.save

    def slow_save(row, *args, **kwargs):
        # Every request reads before any writes: the race each time, not one run in two.
        time.sleep(0.2)
        save(row, *args, **kwargs)

    monkeypatch.setattr(UserTimeZone, "save", slow_save)

    statuses = requests_at_once(user, "post", TIME_ZONE_URL, 3, {"time_zone": "Europe/Berlin"})

    assert statuses == [HTTPStatus.FOUND] * 3
    assert list(UserTimeZone.objects.values_list("user", "time_zone")) == [
        (user.pk, "Europe/Berlin")
    ]


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "europe/berlin", "x" * 100])
def test_an_unknown_zone_is_shown_as_an_error_and_changes_nothing(client, user, name):
    UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")
    client.force_login(user)

    response = client.post(TIME_ZONE_URL, {"time_zone": name})

    assert response.status_code == HTTPStatus.OK
    form = the_form(response.content.decode())
    assert TIME_ZONE_MESSAGE in form
    assert zone_of(user) == "Asia/Tokyo"
    assert client.session[SESSION_KEY] == "Asia/Tokyo"
    assert messages_of(response) == []


def test_the_account_page_reads_the_zone_afresh_for_its_session(client, user):
    """A zone changed elsewhere (another browser, an import) reaches this session here."""
    client.force_login(user)
    UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")

    form = the_form(client.get(SETTINGS_URL).content.decode())

    assert '<option value="Asia/Tokyo" selected>Tokyo</option>' in form
    assert client.session[SESSION_KEY] == "Asia/Tokyo"


def test_needs_an_account_and_logs_in_back_to_the_account_page(client):
    response = client.post(TIME_ZONE_URL, {"time_zone": "Europe/Berlin"})

    assert response.url == f"{reverse('login')}?next={reverse('account_settings')}"
    assert not UserTimeZone.objects.exists()


def test_only_a_post_changes_it_a_get_goes_to_the_account_page(user_client):
    response = user_client.get(TIME_ZONE_URL)

    assert (response.status_code, response.url) == (HTTPStatus.FOUND, reverse("account_settings"))
    assert not UserTimeZone.objects.exists()


def test_needs_the_form_s_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    refused = client.post(TIME_ZONE_URL, {"time_zone": "Europe/Berlin"})
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        the_form(client.get(SETTINGS_URL).content.decode()),
    ).group(1)
    accepted = client.post(
        TIME_ZONE_URL, {"time_zone": "Europe/Berlin", "csrfmiddlewaretoken": token}
    )

    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert accepted.status_code == HTTPStatus.FOUND
    assert zone_of(user) == "Europe/Berlin"


def test_deleting_the_account_deletes_its_zone(client, user, other_user, password):
    UserTimeZoneFactory(user=user, time_zone="Asia/Tokyo")
    UserTimeZoneFactory(user=other_user, time_zone="Europe/Berlin")
    client.force_login(user)

    client.post(reverse("account_delete"), {"password": password})

    assert list(UserTimeZone.objects.values_list("time_zone", flat=True)) == ["Europe/Berlin"]
