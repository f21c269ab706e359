"""Viewing history: the timeline, and changing or deleting one's own watch events."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from feedback.models import ViewingHistory
from feedback.services import feedback_record
from tests.factories import MediaFactory, MovieFactory, ViewingHistoryFactory

pytestmark = pytest.mark.django_db

HISTORY_URL = reverse("feedback:history")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit_url(viewing):
    return reverse("feedback:history_edit", args=[viewing.pk])


def delete_url(viewing):
    return reverse("feedback:history_delete", args=[viewing.pk])


def edit_link_names(html: str) -> list[str]:
    """What a screen reader calls each viewing's edit link: its text, hidden parts too."""
    links = re.findall(r'<a href="/history/[0-9]+/edit/[^"]*">(.*?)</a>', html, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", link) for link in links]


def shown_time(viewing) -> str:
    return date_format(timezone.localtime(viewing.started_at), "j M Y, H:i")


@pytest.mark.parametrize("url", [HISTORY_URL, reverse("feedback:history_edit", args=[1])])
def test_history_needs_an_account(client, url):
    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_history_is_the_users_own_newest_first(user_client, user, other_user):
    now = timezone.now()
    old = ViewingHistoryFactory(user=user, media__title="Old", started_at=now.replace(year=2020))
    new = ViewingHistoryFactory(user=user, media__title="New", started_at=now)
    middle = ViewingHistoryFactory(
        user=user, media__title="Middle", started_at=now - dt.timedelta(days=3)
    )
    ViewingHistoryFactory(user=other_user, media__title="Not mine")

    response = user_client.get(HISTORY_URL)

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["viewings"]) == [new, middle, old]
    html = response.content.decode()
    assert "Not mine" not in html
    # As link texts: a bare "Old" was once found first inside the logout form's CSRF token.
    assert html.index(">New<") < html.index(">Middle<") < html.index(">Old<")


def test_two_viewings_of_a_film_have_edit_links_of_their_own(user_client, user):
    """Listed by link, as a screen reader offers them, each names its film and time."""
    evening = timezone.now().replace(year=2024, month=3, day=14, hour=20, minute=5)
    late = ViewingHistoryFactory(user=user, media__title="Interstellar", started_at=evening)
    early = ViewingHistoryFactory(
        user=user, media=late.media, started_at=evening - dt.timedelta(hours=3)
    )

    html = user_client.get(HISTORY_URL).content.decode()

    assert edit_link_names(html) == [
        f"Edit this viewing of Interstellar, {shown_time(late)}",
        f"Edit this viewing of Interstellar, {shown_time(early)}",
    ]


def test_history_groups_by_day_and_shows_completion(user_client, user):
    day = timezone.now().replace(year=2024, month=3, day=14, hour=20)
    finished = ViewingHistoryFactory(user=user, started_at=day, completed=True)
    ViewingHistoryFactory(
        user=user, started_at=day - dt.timedelta(hours=2), completed=False, minutes_watched=12
    )
    ViewingHistoryFactory(
        user=user, started_at=day - dt.timedelta(days=1), completed=False, minutes_watched=None
    )

    html = user_client.get(HISTORY_URL).content.decode()

    assert html.count('<section class="history-day"') == 2
    assert "Thursday 14 March 2024" in html
    assert "Wednesday 13 March 2024" in html
    assert "finished</span>" in html
    assert "stopped at 12 min" in html
    assert "not finished" in html
    assert reverse("feedback:media_detail", args=[finished.media.media_id]) in html
    assert reverse("catalog:movie_detail", args=[finished.media.movie_id]) in html


def test_history_pages_by_25(user_client, user):
    ViewingHistoryFactory.create_batch(30, user=user)

    first = user_client.get(HISTORY_URL)
    second = user_client.get(HISTORY_URL + "?page=2")

    assert len(first.context["viewings"]) == 25
    assert len(second.context["viewings"]) == 5
    assert 'href="?page=2"' in first.content.decode()


@pytest.mark.parametrize("rows", [5, 30])
def test_history_runs_a_fixed_number_of_queries(user_client, user, django_assert_num_queries, rows):
    for _ in range(rows):
        ViewingHistoryFactory(user=user, media=MediaFactory(movie=MovieFactory()))

    # session, user, count, one page of viewings with their media and movies
    with django_assert_num_queries(4):
        response = user_client.get(HISTORY_URL)
        html = response.content.decode()

    shown = response.context["viewings"]
    assert len(shown) == min(rows, 25)
    for viewing in shown:
        assert reverse("catalog:movie_detail", args=[viewing.media.movie_id]) in html


def test_the_empty_history_says_how_to_start(user_client):
    response = user_client.get(HISTORY_URL)

    assert response.status_code == HTTPStatus.OK
    assert "Nothing watched yet" in response.content.decode()


# history_edit


def test_edit_form_is_prefilled(user_client, user):
    viewing = ViewingHistoryFactory(
        user=user, started_at=dt.datetime(2024, 5, 1, 21, 30, tzinfo=dt.UTC), minutes_watched=50
    )

    response = user_client.get(edit_url(viewing))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'value="2024-05-01T21:30"' in html
    assert 'value="50"' in html
    assert reverse("feedback:history_delete", args=[viewing.pk]) in html


def test_editing_a_viewing_changes_it_and_goes_back(user_client, user):
    viewing = ViewingHistoryFactory(user=user, minutes_watched=95, completed=True)

    response = user_client.post(
        edit_url(viewing),
        {"started_at": "2024-05-01T21:30", "minutes_watched": "20", "next": "/history/?page=2"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/history/?page=2"
    viewing.refresh_from_db()
    assert viewing.started_at == dt.datetime(2024, 5, 1, 21, 30, tzinfo=dt.UTC)
    assert (viewing.minutes_watched, viewing.completed) == (20, False)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"started_at": "yesterday", "minutes_watched": "20"}, "started_at"),
        ({"started_at": "", "minutes_watched": "20"}, "started_at"),
        ({"started_at": "2024-05-01T21:30", "minutes_watched": "-5"}, "minutes_watched"),
        ({"started_at": "2024-05-01T21:30", "minutes_watched": "lots"}, "minutes_watched"),
    ],
)
def test_wrong_edits_show_the_error_and_change_nothing(user_client, user, data, field):
    viewing = ViewingHistoryFactory(user=user, minutes_watched=95)

    response = user_client.post(edit_url(viewing), data)

    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'value="{data[field]}"' in html or data[field] == ""
    viewing.refresh_from_db()
    assert viewing.minutes_watched == 95


def test_every_wrong_field_is_shown_at_once(user_client, user):
    """The form checks what was typed with the model's own rules, so a start in the
    future is shown beside negative minutes, not only once the minutes are put right."""
    viewing = ViewingHistoryFactory(user=user, minutes_watched=95)

    response = user_client.post(
        edit_url(viewing), {"started_at": "2199-06-01T20:00", "minutes_watched": "-5"}
    )

    assert response.context["form"].errors == {
        "started_at": ["This date is in the future."],
        "minutes_watched": ["Minutes watched cannot be negative."],
    }
    viewing.refresh_from_db()
    assert viewing.minutes_watched == 95


def test_someone_elses_viewing_is_404_to_edit_and_stays_as_it_was(user_client, other_user):
    theirs = ViewingHistoryFactory(user=other_user, minutes_watched=95, completed=True)

    page = user_client.get(edit_url(theirs))
    change = user_client.post(
        edit_url(theirs), {"started_at": "2024-05-01T21:30", "minutes_watched": "1"}
    )
    delete = user_client.post(delete_url(theirs))

    assert page.status_code == HTTPStatus.NOT_FOUND
    assert change.status_code == HTTPStatus.NOT_FOUND
    assert messages_of(delete) == ["That viewing is already deleted."]
    theirs.refresh_from_db()
    assert (theirs.minutes_watched, theirs.completed) == (95, True)


# history_delete


def test_deleting_a_viewing(user_client, user):
    gone, kept = ViewingHistoryFactory.create_batch(2, user=user)

    response = user_client.post(delete_url(gone))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == HISTORY_URL
    assert list(ViewingHistory.objects.all()) == [kept]


def test_a_get_asks_first_and_changes_nothing(user_client, user):
    viewing = ViewingHistoryFactory(
        user=user, media__title="Ran", started_at=dt.datetime(2024, 5, 1, 21, 30, tzinfo=dt.UTC)
    )

    response = user_client.get(delete_url(viewing), {"next": "/history/?page=2"})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h1>Delete this viewing of “Ran” on 1 May 2024, 21:30?</h1>" in html
    assert f'method="post" action="{delete_url(viewing)}?next=' in html
    assert '<input type="hidden" name="next" value="/history/?page=2">' in html
    assert '<a href="/history/?page=2">Cancel</a>' in html
    assert ViewingHistory.objects.filter(pk=viewing.pk).exists()


def test_the_edit_form_s_delete_button_leads_to_the_question(user_client, user):
    viewing = ViewingHistoryFactory(user=user)

    html = user_client.get(edit_url(viewing), {"next": "/history/?page=2"}).content.decode()

    assert f'href="{delete_url(viewing)}?next=/history/%3Fpage%3D2">Delete this viewing</a>' in html
    assert f'action="{delete_url(viewing)}"' not in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewing_already_deleted_is_said_so_not_404(user_client, user, method):
    viewing = ViewingHistoryFactory(user=user)
    url = delete_url(viewing)
    viewing.delete()  # by the same button in another tab

    response = getattr(user_client, method)(url, {"next": "/history/?page=2"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/history/?page=2"
    assert messages_of(response) == ["That viewing is already deleted."]


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_elses_viewing_is_not_in_one_s_history_so_already_deleted(
    user_client, other_user, method
):
    """Answered as an id of nothing (test_other_people_s_ids): a 404 would tell it exists."""
    theirs = ViewingHistoryFactory(user=other_user, media__title="Ran")

    response = getattr(user_client, method)(delete_url(theirs), follow=True)

    assert response.redirect_chain == [(HISTORY_URL, HTTPStatus.FOUND)]
    assert "That viewing is already deleted." in response.content.decode()
    assert "Ran" not in response.content.decode()
    assert ViewingHistory.objects.filter(pk=theirs.pk).exists()


def test_anonymous_delete_changes_nothing(client, user):
    viewing = ViewingHistoryFactory(user=user)

    response = client.post(delete_url(viewing))

    assert response["Location"] == f"{reverse('login')}?next={HISTORY_URL}"
    assert ViewingHistory.objects.filter(pk=viewing.pk).exists()


def at(day: str, hour: int = 20) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=dt.UTC)


def test_a_year_keeps_that_year_s_viewings_and_says_so(user_client, user):
    film = MovieFactory(title="Heat")
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=film), started_at=at("2023-12-31"))
    kept = ViewingHistoryFactory(
        user=user, media=MediaFactory(movie=film), started_at=at("2024-01-01")
    )

    response = user_client.get(HISTORY_URL, {"year": "2024"})

    assert list(response.context["viewings"]) == [kept]
    html = response.content.decode()
    assert "<h1>Viewing history in 2024</h1>" in html
    assert f'<a href="{HISTORY_URL}">All your viewings</a>' in html
    nothing = user_client.get(HISTORY_URL, {"year": "2019"}).content.decode()
    assert "Nothing watched in 2019." in nothing


@pytest.mark.parametrize("year", ["abc", "2024x", "0", "99999", "\x00", "٢٠٢٤"])
def test_a_year_that_is_none_shows_all_time(user_client, user, year):
    ViewingHistoryFactory.create_batch(2, user=user)

    response = user_client.get(HISTORY_URL, {"year": year})

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["viewings"]) == 2
    assert "<h1>Viewing history</h1>" in response.content.decode()


def test_the_stats_of_a_year_link_to_that_year_s_history(user_client, user):
    ViewingHistoryFactory(user=user, started_at=at("2024-03-01"))

    html = user_client.get(reverse("feedback:stats"), {"year": "2024"}).content.decode()

    assert f'href="{HISTORY_URL}?year=2024" id="stat-viewings"' in html


def test_a_rewatch_and_the_person_s_own_stars_are_marked(user_client, user, other_user):
    film = MovieFactory(title="Heat")
    item = MediaFactory(movie=film)
    first = ViewingHistoryFactory(user=user, media=item, started_at=at("2024-01-01"))
    again = ViewingHistoryFactory(user=user, media=item, started_at=at("2024-02-01"))
    feedback_record(user=user, media=item, rating=4)
    feedback_record(user=other_user, media=MediaFactory(movie=film), rating=1)
    ViewingHistoryFactory(user=other_user, media=item, started_at=at("2023-01-01"))

    response = user_client.get(HISTORY_URL)

    marks = {v.pk: (v.rewatch, v.person_stars) for v in response.context["viewings"]}
    assert marks == {first.pk: (False, 4), again.pk: (True, 4)}
    html = response.content.decode()
    assert html.count(">rewatch</span>") == 1
    assert html.count("Your rating 4/5") == 2
