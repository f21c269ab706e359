"""The film page's stars: one click rates the film, the rest of the feedback kept."""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from catalog.models import Rating
from feedback.models import UserFeedback, WatchlistEntry
from feedback.services import feedback_record, movie_media
from feedback.watchlist import watchlist_add
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def rate_url(movie) -> str:
    return reverse("feedback:movie_rate", args=[movie.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def heat():
    return MovieFactory(title="Heat", year=1995)


def test_a_click_rates_the_film_and_keeps_the_other_answers(user_client, user, heat):
    feedback_record(
        user=user, media=movie_media(movie=heat), watched_completion=True, would_watch_again=True
    )

    response = user_client.post(rate_url(heat), {"rating": "4"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == heat.get_absolute_url()
    assert messages_of(response) == ["You rated “Heat” 4/5."]
    feedback = UserFeedback.objects.get(user=user)
    answers = (feedback.watched_completion, feedback.would_watch_again, feedback.rating)
    assert answers == (True, True, 4)
    assert Rating.objects.get(user=user, movie=heat, source="marquee").value == 4


def test_the_page_shows_the_stars_given_and_a_second_click_changes_them(user_client, user, heat):
    user_client.post(rate_url(heat), {"rating": "2"})
    user_client.post(rate_url(heat), {"rating": "5"})

    html = user_client.get(heat.get_absolute_url()).content.decode()

    assert "<legend>Your rating: 5/5</legend>" in html
    assert html.count('aria-pressed="true"') == 1
    assert 'value="5" class="secondary" aria-pressed="true"' in html
    assert UserFeedback.objects.get(user=user).rating == 5


def test_a_film_on_the_watchlist_leaves_it_and_the_message_says_so(user_client, user, heat):
    watchlist_add(user=user, movie=heat)

    response = user_client.post(rate_url(heat), {"rating": "3"})

    assert messages_of(response) == ["You rated “Heat” 3/5. It is off your watchlist now."]
    assert not WatchlistEntry.objects.filter(user=user).exists()


@pytest.mark.parametrize("value", ["", "0", "6", "4.5", "abc", "\x00", "٤"])
def test_a_value_that_is_no_star_is_refused_and_nothing_written(user_client, heat, value):
    response = user_client.post(rate_url(heat), {"rating": value})

    assert response.status_code == HTTPStatus.FOUND
    assert messages_of(response) == ["Choose from 1 to 5 stars."]
    assert not UserFeedback.objects.exists()
    assert not Rating.objects.exists()


def test_a_get_goes_to_the_film_and_a_visitor_to_log_in(user_client, heat):
    assert user_client.get(rate_url(heat)).url == heat.get_absolute_url()
    response = Client().post(rate_url(heat), {"rating": "4"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))
    assert not UserFeedback.objects.exists()


def test_the_stars_need_the_csrf_token(user, heat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(rate_url(heat), {"rating": "4"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not UserFeedback.objects.exists()


def test_an_unknown_film_is_404(user_client):
    response = user_client.post(reverse("feedback:movie_rate", args=[999_999]), {"rating": "4"})

    assert response.status_code == HTTPStatus.NOT_FOUND
