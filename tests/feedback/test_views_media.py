"""A media item's page and "I watched this", from a media item or a catalog movie."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Media, UserFeedback, ViewingHistory
from feedback.services import QUICK_VIEWING_REPEAT_WINDOW
from tests.factories import (
    MediaFactory,
    MovieFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)
from tests.feedback.test_views_history import edit_link_names, shown_time

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def login_url(next_url):
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{reverse('login')}?{query.urlencode(safe='/')}"


def watched_url(media):
    return reverse("feedback:media_watched", args=[media.media_id])


# media_detail


def test_media_page_needs_an_account(client):
    media = MediaFactory()

    response = client.get(media.get_absolute_url())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == login_url(media.get_absolute_url())


def test_media_page_shows_the_item_its_movie_and_the_users_own_data(user_client, user, other_user):
    media = MediaFactory(title="Paprika", movie=MovieFactory(title="Paprika", year=2006))
    UserFeedbackFactory(user=user, media=media, rating=4, would_watch_again=False)
    UserFeedbackFactory(user=other_user, media=media, rating=1)
    mine = ViewingHistoryFactory(user=user, media=media, completed=False, minutes_watched=37)
    theirs = ViewingHistoryFactory(user=other_user, media=media)

    response = user_client.get(media.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert response.context["feedback"].user == user
    assert list(response.context["viewings"]) == [mine]
    html = response.content.decode()
    assert reverse("catalog:movie_detail", args=[media.movie_id]) in html
    assert "4/5" in html
    assert "1/5" not in html
    assert "stopped at 37 min" in html
    assert reverse("feedback:history_edit", args=[mine.pk]) in html
    assert reverse("feedback:history_edit", args=[theirs.pk]) not in html
    assert f'action="{watched_url(media)}"' in html


def test_an_item_page_shows_a_media_server_s_id_and_not_marquee_s_own(user_client):
    """A media server's id tells its owner which of their items it is; Marquee's own
    (marquee:movie:<pk>) is noise to someone with no media server."""
    from_plex = MediaFactory(media_id="plex://movie/5d77", title="Paprika (4K)")
    own = MediaFactory(media_id=f"marquee:movie:{from_plex.movie_id}", movie=from_plex.movie)

    assert (
        "id <code>plex://movie/5d77</code>"
        in user_client.get(from_plex.get_absolute_url()).content.decode()
    )
    # (Its page's address and its forms' still end with it.)
    assert "id <code>" not in user_client.get(own.get_absolute_url()).content.decode()


def test_each_viewing_s_edit_link_names_the_viewing(user_client, user):
    """Not a column of links all called "Edit": each says which viewing it changes."""
    media = MediaFactory(title="Paprika")
    latest = ViewingHistoryFactory(user=user, media=media)
    earlier = ViewingHistoryFactory(user=user, media=media)

    html = user_client.get(media.get_absolute_url()).content.decode()

    assert edit_link_names(html) == [
        f"Edit this viewing of Paprika, {shown_time(latest)}",
        f"Edit this viewing of Paprika, {shown_time(earlier)}",
    ]


def test_any_user_may_see_an_item_they_have_no_data_on(user_client, other_user):
    media = MediaFactory(title="Nobody's yet")
    UserFeedbackFactory(user=other_user, media=media, rating=1)

    response = user_client.get(media.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert response.context["feedback"] is None
    assert "You have not said anything about it yet." in response.content.decode()


def test_an_unknown_media_item_is_404(user_client):
    url = reverse("feedback:media_detail", args=["plex:missing"])

    assert user_client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("rows", [5, 30])
def test_media_page_runs_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries, rows
):
    media = MediaFactory()
    UserFeedbackFactory(user=user, media=media)
    ViewingHistoryFactory.create_batch(rows, user=user, media=media)

    # session, user, media with its movie, feedback, the latest viewings, their count
    with django_assert_num_queries(6):
        response = user_client.get(media.get_absolute_url())
        html = response.content.decode()

    assert len(response.context["viewings"]) == min(rows, 25)
    assert html.count("badge-ok") == min(rows, 25)
    assert (f"of {rows}" in html) == (rows > 25)


# "I watched this" on a media item


def test_i_watched_this_adds_a_finished_viewing_and_goes_back(user_client, user):
    media = MediaFactory(title="Ponyo")
    before = timezone.now()

    response = user_client.post(
        watched_url(media), {"next": "/library/?page=2", "completed": ["false", "on"]}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/library/?page=2"
    viewing = ViewingHistory.objects.get(user=user)
    assert (viewing.media, viewing.completed, viewing.minutes_watched) == (media, True, None)
    assert viewing.started_at >= before
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["“Ponyo” is added to your history."]


def test_a_bare_i_watched_this_button_means_finished(user_client, user):
    media = MediaFactory()

    response = user_client.post(watched_url(media))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == media.get_absolute_url()
    assert ViewingHistory.objects.get(user=user).completed is True


def test_an_unticked_finished_box_records_where_it_stopped(user_client, user):
    media = MediaFactory()

    user_client.post(watched_url(media), {"completed": "false", "minutes_watched": "25"})

    viewing = ViewingHistory.objects.get(user=user)
    assert (viewing.completed, viewing.minutes_watched) == (False, 25)


@pytest.mark.parametrize("minutes", ["-1", "abc", "1.5", "99999999999999999999"])
def test_wrong_minutes_show_the_error_and_keep_the_input(user_client, minutes):
    media = MediaFactory()

    response = user_client.post(
        watched_url(media), {"minutes_watched": minutes, "completed": "false", "next": "/history/"}
    )

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'id="id_minutes_watched_error"' in html
    assert f'value="{minutes}"' in html
    assert 'value="/history/"' in html
    assert not ViewingHistory.objects.exists()


def test_an_outside_next_is_ignored(user_client):
    media = MediaFactory()

    response = user_client.post(watched_url(media), {"next": "//evil.example/"})

    assert response["Location"] == media.get_absolute_url()


def test_a_get_of_i_watched_this_shows_the_whole_form_and_records_nothing(user_client):
    media = MediaFactory(title="Ponyo")

    response = user_client.get(watched_url(media), {"next": "/library/?page=2"})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'name="started_at"' in html
    assert 'name="minutes_watched"' in html
    assert '<input type="hidden" name="next" value="/library/?page=2">' in html
    assert not ViewingHistory.objects.exists()


def test_i_watched_this_needs_a_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    media = MediaFactory()

    assert client.post(watched_url(media)).status_code == HTTPStatus.FORBIDDEN
    assert not ViewingHistory.objects.exists()


def test_anonymous_i_watched_this_goes_to_log_in_then_back_to_the_page(client):
    media = MediaFactory()

    from_page = client.post(watched_url(media), {"next": "/movies/3/"})
    bare = client.post(watched_url(media))

    assert from_page["Location"] == login_url("/movies/3/")
    assert bare["Location"] == login_url(media.get_absolute_url())
    assert not ViewingHistory.objects.exists()


def test_i_watched_an_unknown_item_is_404(user_client):
    url = reverse("feedback:media_watched", args=["plex:missing"])

    assert user_client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert not ViewingHistory.objects.exists()


# "I watched this" on a catalog movie


def test_i_watched_a_movie_creates_its_media_item_and_goes_back_to_it(user_client, user):
    movie = MovieFactory(title="Ugetsu", runtime_minutes=96)

    response = user_client.post(reverse("feedback:movie_watched", args=[movie.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == movie.get_absolute_url()
    viewing = ViewingHistory.objects.get(user=user)
    assert viewing.media == Media.objects.get(movie=movie)
    assert viewing.completed is True


def test_wrong_minutes_on_a_movie_leave_no_media_item(user_client):
    movie = MovieFactory(title="Ugetsu")

    response = user_client.post(
        reverse("feedback:movie_watched", args=[movie.pk]), {"minutes_watched": "-1"}
    )

    assert response.status_code == HTTPStatus.OK
    assert f'<a href="{movie.get_absolute_url()}">Ugetsu</a>' in response.content.decode()
    assert not Media.objects.exists()


def test_i_watched_a_movie_twice_uses_one_media_item(user_client, user):
    movie = MovieFactory()
    url = reverse("feedback:movie_watched", args=[movie.pk])
    yesterday = timezone.now() - dt.timedelta(days=1)
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=movie), started_at=yesterday)

    user_client.post(url, {"next": movie.get_absolute_url()})

    assert Media.objects.filter(movie=movie).count() == 1
    assert ViewingHistory.objects.filter(user=user, media__movie=movie).count() == 2


def test_i_watched_a_movie_clicked_twice_records_one_viewing_and_says_so(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    url = reverse("feedback:movie_watched", args=[movie.pk])

    first = user_client.post(url, {"minutes_watched": "90"}, follow=True)  # the film's page
    second = user_client.post(url, {"minutes_watched": "90"})

    assert ViewingHistory.objects.filter(user=user).count() == 1
    assert "“Ugetsu” is added to your history." in first.content.decode()
    assert second.status_code == HTTPStatus.FOUND
    assert second["Location"] == movie.get_absolute_url()
    assert messages_of(second) == ["“Ugetsu” was already added to your history a moment ago."]


def test_i_watched_this_sent_again_at_once_saying_otherwise_corrects_the_viewing(user_client, user):
    media = MediaFactory(title="Interstellar")
    url = reverse("feedback:media_watched", args=[media.pk])

    user_client.post(url, {"minutes_watched": "45"}, follow=True)  # "I finished it" unticked
    second = user_client.post(url, {"minutes_watched": "169", "completed": "on"})

    viewing = ViewingHistory.objects.get(user=user)
    assert (viewing.minutes_watched, viewing.completed) == (169, True)
    assert messages_of(second) == [
        "Your viewing of “Interstellar” a moment ago is updated with this."
    ]


def test_i_watched_this_again_after_the_repeat_window_is_a_second_viewing(user_client, user):
    media = MediaFactory()
    earlier = timezone.now() - QUICK_VIEWING_REPEAT_WINDOW - dt.timedelta(seconds=1)
    ViewingHistoryFactory(user=user, media=media, started_at=earlier)

    user_client.post(watched_url(media))

    assert ViewingHistory.objects.filter(user=user, media=media).count() == 2


def test_someone_elses_viewing_or_another_item_does_not_count_as_a_repeat(
    user_client, user, other_user
):
    media = MediaFactory()
    ViewingHistoryFactory(user=other_user, media=media, started_at=timezone.now())
    ViewingHistoryFactory(user=user, started_at=timezone.now())

    user_client.post(watched_url(media))

    assert ViewingHistory.objects.filter(user=user, media=media).count() == 1


def test_i_watched_a_movie_is_404_for_an_unknown_movie_and_its_form_writes_nothing(user_client):
    movie = MovieFactory(title="Ugetsu")

    get = user_client.get(reverse("feedback:movie_watched", args=[movie.pk]))
    unknown = user_client.post(reverse("feedback:movie_watched", args=[999_999]))
    unknown_form = user_client.get(reverse("feedback:movie_watched", args=[999_999]))

    assert get.status_code == HTTPStatus.OK
    assert f'<a href="{movie.get_absolute_url()}">Ugetsu</a>' in get.content.decode()
    assert unknown.status_code == unknown_form.status_code == HTTPStatus.NOT_FOUND
    assert not Media.objects.exists()


def test_media_ids_with_slashes_have_working_pages(user_client, user):
    media = MediaFactory(media_id="plex://movie/5d776825880197001ec967c6")
    detail = media.get_absolute_url()
    edit = reverse("feedback:feedback_edit", kwargs={"media_id": media.media_id})

    assert user_client.get(detail).status_code == HTTPStatus.OK
    assert user_client.get(edit).status_code == HTTPStatus.OK
    response = user_client.post(edit, {"rating": "4", "watched_completion": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert UserFeedback.objects.get(user=user, media=media).rating == 4
