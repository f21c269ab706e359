"""A viewing cannot start before its film existed: not before 1 January of the year
before the film's (a year of slack for festival screenings and years the catalog has
wrong), from the first moment that day begins in any zone (UTC+14). Refused on every
path that sets a start: the services, the model's validation (the admin), "I watched
this" and the history's edit form, on the date field, with nothing saved; and by the
import of a user export, naming the row, with nothing written. A Letterboxd diary line
is rejected as its other bad lines are (tests/feedback/test_letterboxd_import.py)."""

import datetime as dt
import json
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Movie
from feedback.export_import import user_export_import
from feedback.export_reading import ExportFormatError, read_export
from feedback.exports import export_json
from feedback.models import Media, UserFeedback, ViewingHistory
from feedback.services import movie_media, viewing_record, viewing_record_once, viewing_update
from tests.factories import MediaFactory, MovieFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
IN_1890 = dt.datetime(1890, 5, 1, 20, 0, tzinfo=UTC)
FIRST_DAY_ALLOWED = dt.datetime(1992, 1, 1, 0, 0, tzinfo=UTC)
BEFORE_THE_FILM = "This film came out in 1993: a viewing of it cannot start before 1 January 1992."


@pytest.fixture(autouse=True)
def site_in_utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def film():
    return MovieFactory(title="Jurassic Park", release_date=dt.date(1993, 6, 11))


@pytest.fixture
def item(film):
    return MediaFactory(movie=film)


def start_errors(error: ValidationError) -> list[str]:
    return error.message_dict["started_at"]


# The services and the model


def test_a_viewing_in_1890_of_a_film_of_1993_is_refused_and_nothing_saved(user, item):
    with pytest.raises(ValidationError) as refused:
        viewing_record(user=user, media=item, started_at=IN_1890)

    assert start_errors(refused.value) == [BEFORE_THE_FILM]
    assert not ViewingHistory.objects.exists()


def test_a_viewing_on_the_first_of_january_of_the_year_before_is_accepted(user, item):
    viewing = viewing_record(user=user, media=item, started_at=FIRST_DAY_ALLOWED)

    viewing.refresh_from_db()
    assert viewing.started_at == FIRST_DAY_ALLOWED


def test_1_january_is_allowed_from_its_first_moment_anywhere(user, item):
    # Half past midnight on 1 January 1992 in Kiribati (UTC+14) is still 31 December
    # 1991 in UTC, and the person there typed a day the message allows.
    first_minutes_in_kiribati = dt.datetime(1991, 12, 31, 10, 30, tzinfo=UTC)

    viewing = viewing_record(user=user, media=item, started_at=first_minutes_in_kiribati)

    assert viewing.pk is not None


def test_before_1_january_begins_anywhere_is_refused(user, item):
    # Still 31 December 1991 in every zone: 23:59 in Kiribati.
    last_minute_before = dt.datetime(1991, 12, 31, 9, 59, tzinfo=UTC)

    with pytest.raises(ValidationError) as refused:
        viewing_record(user=user, media=item, started_at=last_minute_before)

    assert start_errors(refused.value) == [BEFORE_THE_FILM]


def test_a_viewing_stored_before_the_rule_is_edited_without_moving_its_start(user, item):
    # Saved before the rule (or around it): its minutes and end can still be corrected.
    viewing = ViewingHistory.objects.bulk_create(
        [ViewingHistory(user=user, media=item, started_at=IN_1890, minutes_watched=10)]
    )[0]
    viewing = ViewingHistory.objects.get(pk=viewing.pk)

    viewing_update(viewing=viewing, started_at=IN_1890, minutes_watched=95, completed=True)

    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched) == (IN_1890, 95)
    with pytest.raises(ValidationError) as refused:  # moved, it meets the rule
        viewing_update(viewing=viewing, started_at=IN_1890 + dt.timedelta(days=1))
    assert start_errors(refused.value) == [BEFORE_THE_FILM]


def test_i_watched_this_refuses_it_too(user, item):
    with pytest.raises(ValidationError) as refused:
        viewing_record_once(user=user, media=item, started_at=IN_1890)

    assert start_errors(refused.value) == [BEFORE_THE_FILM]
    viewing, _ = viewing_record_once(user=user, media=item, started_at=FIRST_DAY_ALLOWED)
    assert viewing.started_at == FIRST_DAY_ALLOWED


def test_a_start_corrected_to_before_the_film_is_refused_and_the_stored_one_kept(user, item):
    started = dt.datetime(2024, 5, 1, 21, 0, tzinfo=UTC)
    viewing = ViewingHistoryFactory(user=user, media=item, started_at=started)

    with pytest.raises(ValidationError) as refused:
        viewing_update(viewing=viewing, started_at=IN_1890)

    assert start_errors(refused.value) == [BEFORE_THE_FILM]
    viewing.refresh_from_db()
    assert viewing.started_at == started
    viewing_update(viewing=viewing, started_at=FIRST_DAY_ALLOWED)
    viewing.refresh_from_db()
    assert viewing.started_at == FIRST_DAY_ALLOWED


def test_the_model_s_validation_refuses_it_for_the_admin(user, item):
    viewing = ViewingHistory(user=user, media=item, started_at=IN_1890)

    with pytest.raises(ValidationError) as refused:
        viewing.full_clean()

    assert start_errors(refused.value) == [BEFORE_THE_FILM]
    ViewingHistory(user=user, media=item, started_at=FIRST_DAY_ALLOWED).full_clean()


def test_a_film_without_a_year_has_no_limit_but_the_first_film(user):
    undated = MediaFactory(movie=MovieFactory(release_date=None, year=None))

    viewing = viewing_record(user=user, media=undated, started_at=IN_1890)

    assert viewing.pk is not None


def test_an_item_that_is_no_film_has_no_limit_but_the_first_film(user):
    episode = MediaFactory(movie=None)

    viewing = viewing_record(user=user, media=episode, started_at=IN_1890)

    assert viewing.pk is not None


# The pages: the error on the date field, what was typed kept


def test_the_film_page_s_form_says_so_on_the_date_field(user_client, film):
    response = user_client.post(
        reverse("feedback:movie_watched", args=[film.pk]),
        {"started_at": "1890-05-01T20:00", "minutes_watched": "120", "completed": "on"},
    )

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert form.errors == {"started_at": [BEFORE_THE_FILM]}
    assert form["minutes_watched"].value() == "120"
    assert not ViewingHistory.objects.exists()


def test_the_film_page_s_form_accepts_the_first_day_allowed(user_client, user, film):
    response = user_client.post(
        reverse("feedback:movie_watched", args=[film.pk]),
        {"started_at": "1992-01-01T00:00", "completed": "on"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert ViewingHistory.objects.get(user=user).started_at == FIRST_DAY_ALLOWED


def test_a_media_item_s_form_says_so_on_the_date_field(user_client, user, item):
    url = reverse("feedback:media_watched", args=[item.media_id])

    refused = user_client.post(url, {"started_at": "1890-05-01T20:00", "completed": "on"})
    accepted = user_client.post(url, {"started_at": "1992-01-01T00:00", "completed": "on"})

    assert refused.status_code == HTTPStatus.OK
    assert refused.context["form"].errors == {"started_at": [BEFORE_THE_FILM]}
    assert accepted.status_code == HTTPStatus.FOUND
    assert ViewingHistory.objects.get(user=user).started_at == FIRST_DAY_ALLOWED


def test_the_history_s_edit_form_says_so_on_the_date_field(user_client, user, item):
    started = dt.datetime(2024, 5, 1, 21, 0, tzinfo=UTC)
    viewing = ViewingHistoryFactory(user=user, media=item, started_at=started)
    url = reverse("feedback:history_edit", args=[viewing.pk])

    refused = user_client.post(
        url, {"started_at": "1890-05-01T20:00", "minutes_watched": "95", "completed": "on"}
    )

    assert refused.status_code == HTTPStatus.OK
    assert refused.context["form"].errors == {"started_at": [BEFORE_THE_FILM]}
    viewing.refresh_from_db()
    assert viewing.started_at == started

    accepted = user_client.post(
        url, {"started_at": "1992-01-01T00:00", "minutes_watched": "95", "completed": "on"}
    )

    assert accepted.status_code == HTTPStatus.FOUND
    viewing.refresh_from_db()
    assert viewing.started_at == FIRST_DAY_ALLOWED


# The import of a user export: all or nothing, the bad row named


@pytest.fixture(params=["marquee's own item", "a media server's item"])
def exported(request, user, film) -> dict:
    """The person's export, with one viewing of the film, on one of its items."""
    media = (
        movie_media(movie=film) if request.param.startswith("marquee") else MediaFactory(movie=film)
    )
    viewing_record(user=user, media=media, started_at=dt.datetime(2024, 5, 1, 21, tzinfo=UTC))
    return json.loads(export_json(user))


def imported(user, exported: dict, started_at: str) -> None:
    exported["history"][0]["started_at"] = started_at
    user_export_import(user=user, rows=read_export(json.dumps(exported).encode()))


def test_an_export_s_viewing_before_its_film_is_refused_naming_the_row(other_user, exported):
    with pytest.raises(ExportFormatError) as refused:
        imported(other_user, exported, "1890-05-01T20:00:00+00:00")

    assert str(refused.value) == f"history row 1: started_at: {BEFORE_THE_FILM}"
    assert not ViewingHistory.objects.filter(user=other_user).exists()


def test_an_export_s_viewing_on_the_first_day_allowed_is_imported(other_user, exported):
    imported(other_user, exported, "1992-01-01T00:00:00+00:00")

    assert ViewingHistory.objects.get(user=other_user).started_at == FIRST_DAY_ALLOWED


def test_a_film_the_export_brings_is_held_to_its_own_year(other_user, exported):
    # Imported into another Marquee, which lacks the film: the import creates it. The
    # finished viewing made the person's feedback on the item too ("watched to the end").
    ViewingHistory.objects.all().delete()
    UserFeedback.objects.all().delete()
    Media.objects.all().delete()
    Movie.objects.all().delete()

    with pytest.raises(ExportFormatError) as refused:
        imported(other_user, exported, "1890-05-01T20:00:00+00:00")

    assert str(refused.value) == f"history row 1: started_at: {BEFORE_THE_FILM}"
    assert not Movie.objects.exists()


def test_the_history_s_edit_form_corrects_an_old_viewing_without_moving_it(user_client, user, item):
    (viewing,) = ViewingHistory.objects.bulk_create(
        [ViewingHistory(user=user, media=item, started_at=IN_1890, minutes_watched=10)]
    )

    response = user_client.post(
        reverse("feedback:history_edit", args=[viewing.pk]),
        {"started_at": "1890-05-01T20:00", "minutes_watched": "95", "completed": "on"},
    )

    assert response.status_code == HTTPStatus.FOUND
    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.minutes_watched) == (IN_1890, 95)
