"""A viewing keeps the import line it came from (a Letterboxd diary entry's link, a Trakt
watch's id), so that importing the same file again finds it after the person moved it
to another day, and adds nothing."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from feedback.letterboxd_import import letterboxd_import
from feedback.models import ViewingHistory
from feedback.services import viewing_update
from feedback.trakt_import import trakt_import
from tests.factories import MediaFactory, MovieFactory, ViewingHistoryFactory
from tests.feedback.letterboxd_zips import diary, letterboxd_zip
from tests.feedback.test_admin_viewings_complete import edited
from tests.feedback.test_rating_rule_paths import day, post_ok
from tests.feedback.test_trakt_read import json_file, movie, watched

pytestmark = pytest.mark.django_db

UTC = dt.UTC
ALIEN = movie("Alien", 1979, imdb="tt0078748", tmdb=348)
LINK = "https://boxd.it/a1"


@pytest.fixture(autouse=True)
def alien():
    return MovieFactory(title="Alien", year=1979, tmdb_id=348, imdb_id="tt0078748")


@pytest.fixture(autouse=True)
def site_in_utc(settings):
    settings.TIME_ZONE = "UTC"


def diary_file(*lines) -> bytes:
    return letterboxd_zip(diary=[diary(day, "Alien", 1979, uri=uri) for day, uri in lines])


def history_file(*watches) -> bytes:
    return json_file(*(watched(ALIEN, at, number) for number, at in watches))


def trakt(user, data: bytes):
    return trakt_import(user=user, files=[("history.json", data)])


def viewings(user) -> list[tuple[dt.datetime, str]]:
    rows = ViewingHistory.objects.filter(user=user).order_by("started_at", "pk")
    return list(rows.values_list("started_at", "import_key"))


def moved(viewing: ViewingHistory, days: int) -> None:
    viewing_update(viewing=viewing, started_at=viewing.started_at + dt.timedelta(days=days))


def test_a_diary_line_keeps_its_viewing_after_the_date_is_moved(user):
    data = diary_file(("2025-03-01", LINK))
    letterboxd_import(user=user, data=data)
    viewing = ViewingHistory.objects.get(user=user)
    assert viewing.import_key == f"letterboxd:{LINK}"

    moved(viewing, days=3)
    again = letterboxd_import(user=user, data=data)

    assert not again.changed
    assert again.lines() == ["1 already there"]
    assert viewings(user) == [(dt.datetime(2025, 3, 4, 20, tzinfo=UTC), f"letterboxd:{LINK}")]


def test_a_date_moved_on_the_history_s_edit_page_keeps_the_key(user_client, user):
    data = diary_file(("2025-03-01", LINK))
    letterboxd_import(user=user, data=data)
    viewing = ViewingHistory.objects.get(user=user)

    response = user_client.post(
        reverse("feedback:history_edit", args=[viewing.pk]),
        {"started_at": "2025-02-27T18:30", "minutes_watched": "", "completed": "on"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert viewings(user) == [(dt.datetime(2025, 2, 27, 18, 30, tzinfo=UTC), f"letterboxd:{LINK}")]
    assert not letterboxd_import(user=user, data=data).changed
    assert ViewingHistory.objects.filter(user=user).count() == 1


def test_a_trakt_watch_keeps_its_viewing_after_the_date_is_moved(user):
    data = history_file((7001, "2025-03-01T21:13:00.000Z"))
    trakt(user, data)
    viewing = ViewingHistory.objects.get(user=user)
    assert viewing.import_key == "trakt:7001"

    moved(viewing, days=-2)
    again = trakt(user, data)

    assert not again.changed
    assert again.lines() == ["1 already there"]
    assert viewings(user) == [(dt.datetime(2025, 2, 27, 21, 13, tzinfo=UTC), "trakt:7001")]


def test_a_viewing_imported_before_keys_takes_its_line_s_then_keeps_it(user, alien):
    # As an import before keys were kept left it: 8 pm on the day, no key.
    ViewingHistoryFactory(
        user=user,
        media=MediaFactory(movie=alien),
        started_at=dt.datetime(2025, 3, 1, 20, tzinfo=UTC),
        completed=True,
    )
    data = diary_file(("2025-03-01", LINK))

    first = letterboxd_import(user=user, data=data)
    viewing = ViewingHistory.objects.get(user=user)
    moved(viewing, days=5)
    again = letterboxd_import(user=user, data=data)

    assert (first.viewings_added, again.changed) == (0, False)
    assert viewings(user) == [(dt.datetime(2025, 3, 6, 20, tzinfo=UTC), f"letterboxd:{LINK}")]


def test_a_trakt_viewing_imported_before_keys_takes_its_watch_s_id(user, alien):
    ViewingHistoryFactory(
        user=user,
        media=MediaFactory(movie=alien),
        started_at=dt.datetime(2025, 3, 1, 21, 13, tzinfo=UTC),
        completed=True,
    )
    data = history_file((7001, "2025-03-01T21:13:00.000Z"))

    trakt(user, data)
    moved(ViewingHistory.objects.get(user=user), days=1)

    assert not trakt(user, data).changed
    assert viewings(user) == [(dt.datetime(2025, 3, 2, 21, 13, tzinfo=UTC), "trakt:7001")]


def test_a_link_on_two_lines_is_no_key_and_both_are_found_by_their_day(user):
    data = diary_file(("2025-03-01", LINK), ("2025-03-05", LINK))

    first = letterboxd_import(user=user, data=data)
    again = letterboxd_import(user=user, data=data)

    assert (first.viewings_added, again.changed) == (2, False)
    assert viewings(user) == [
        (dt.datetime(2025, 3, 1, 20, tzinfo=UTC), ""),
        (dt.datetime(2025, 3, 5, 20, tzinfo=UTC), ""),
    ]


def test_a_line_repeated_whole_keeps_its_key(user):
    """The same line twice (film, day and link) is one entry, read once: its link is
    still its own, and finds its viewing after a move."""
    data = diary_file(("2025-03-01", LINK), ("2025-03-01", LINK))
    letterboxd_import(user=user, data=data)
    moved(ViewingHistory.objects.get(user=user), days=2)

    assert not letterboxd_import(user=user, data=data).changed
    assert viewings(user) == [(dt.datetime(2025, 3, 3, 20, tzinfo=UTC), f"letterboxd:{LINK}")]


def test_two_entries_of_a_day_each_keep_their_own_key(user):
    data = diary_file(("2025-03-01", LINK), ("2025-03-01", "https://boxd.it/a2"))
    letterboxd_import(user=user, data=data)
    for viewing in ViewingHistory.objects.filter(user=user):
        moved(viewing, days=2)

    assert not letterboxd_import(user=user, data=data).changed
    assert sorted(key for _, key in viewings(user)) == [
        f"letterboxd:{LINK}",
        "letterboxd:https://boxd.it/a2",
    ]


def test_a_deleted_viewing_is_added_again(user):
    data = diary_file(("2025-03-01", LINK))
    letterboxd_import(user=user, data=data)
    ViewingHistory.objects.filter(user=user).delete()

    assert letterboxd_import(user=user, data=data).viewings_added == 1


def test_a_key_held_by_a_viewing_of_an_item_without_its_film_is_not_written_again(user, alien):
    # The item lost its film (deleted from the catalog): the viewing keeps its key, and
    # the line is that viewing still, not a new one the UNIQUE would refuse.
    ViewingHistoryFactory(
        user=user, media=MediaFactory(movie=None), import_key=f"letterboxd:{LINK}"
    )

    summary = letterboxd_import(user=user, data=diary_file(("2025-03-01", LINK)))

    assert (summary.viewings_added, summary.already_there) == (0, 1)


def test_the_database_refuses_two_viewings_of_one_person_with_one_key(user, other_user):
    key = "trakt:7001"
    ViewingHistoryFactory(user=user, import_key=key)
    ViewingHistoryFactory(user=other_user, import_key=key)  # another person's: theirs
    ViewingHistoryFactory(user=user)
    ViewingHistoryFactory(user=user)  # two without a key: no key, no rule

    with pytest.raises(IntegrityError), transaction.atomic():
        ViewingHistoryFactory(user=user, import_key=key)


def test_validation_says_the_key_is_taken(user):
    ViewingHistoryFactory(user=user, import_key="trakt:7001")
    second = ViewingHistoryFactory.build(user=user, media=MediaFactory(), import_key="trakt:7001")

    with pytest.raises(ValidationError, match="already came from this import line"):
        second.full_clean()


def test_validation_refuses_a_key_too_long(user):
    viewing = ViewingHistoryFactory.build(user=user, media=MediaFactory(), import_key="k" * 201)

    with pytest.raises(ValidationError, match="at most 200 characters"):
        viewing.full_clean()


def test_the_admin_shows_the_key_and_keeps_it_through_a_change(staff_client, user):
    viewing = ViewingHistoryFactory(user=user, import_key="trakt:7001", minutes_watched=90)
    url = reverse("admin:feedback_viewinghistory_change", args=[viewing.pk])

    page = staff_client.get(url).content.decode()
    form = edited(viewing, user=user, media=viewing.media, on=3, completed=True)
    post_ok(staff_client, url, form | {"import_key": "trakt:forged"})

    assert "trakt:7001" in page
    assert 'name="import_key"' not in page  # shown, not a field
    viewing.refresh_from_db()
    assert (viewing.started_at, viewing.import_key) == (day(3), "trakt:7001")
