"""The feedback form: on a media item, on a catalog movie, or on a media id typed in."""

import datetime as dt
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Rating, RatingSource
from feedback import services
from feedback.models import Media, UserFeedback
from tests.factories import MediaFactory, MovieFactory, UserFeedbackFactory

pytestmark = pytest.mark.django_db

SAYS_NOTHING = "Give a rating, or say whether you finished it or would watch it again."


def edit_url(media):
    return reverse("feedback:feedback_edit", args=[media.media_id])


def answers(watched="", again="", rating=""):
    return {"watched_completion": watched, "would_watch_again": again, "rating": rating}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "url",
    [
        reverse("feedback:feedback_new"),
        reverse("feedback:feedback_edit", args=["plex:1"]),
        reverse("feedback:movie_feedback", args=[1]),
    ],
)
def test_feedback_pages_need_an_account(client, url):
    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not Media.objects.exists()


# feedback_edit


def test_the_form_is_empty_when_there_is_no_feedback_yet(user_client):
    media = MediaFactory()

    response = user_client.get(edit_url(media))

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert [form[name].value() for name in answers()] == [None, None, None]
    assert not UserFeedback.objects.exists()


def test_the_form_is_prefilled_with_the_users_own_feedback(user_client, user, other_user):
    media = MediaFactory()
    UserFeedbackFactory(
        user=user, media=media, watched_completion=False, would_watch_again=None, rating=3
    )
    UserFeedbackFactory(
        user=other_user, media=media, watched_completion=True, would_watch_again=True, rating=1
    )

    response = user_client.get(edit_url(media))

    form = response.context["form"]
    assert [form[name].value() for name in answers()] == ["no", "", 3]
    html = response.content.decode()
    assert '<option value="3" selected>' in html
    assert '<option value="1" selected>' not in html
    assert "Delete my feedback" in html


def test_posting_the_form_records_feedback_and_redirects(user_client, user):
    media = MediaFactory(title="Ran")

    response = user_client.post(edit_url(media), answers("yes", "no", "4"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == media.get_absolute_url()
    feedback = UserFeedback.objects.get(user=user, media=media)
    assert (feedback.watched_completion, feedback.would_watch_again, feedback.rating) == (
        True,
        False,
        4,
    )
    # Through feedback_record: the star rating is also the Marquee rating of the film.
    assert Rating.objects.get(user=user, source=RatingSource.MARQUEE).value == 4
    assert messages_of(response) == ["Your feedback on “Ran” is saved."]


def test_posting_again_changes_the_feedback_and_not_said_clears_an_answer(user_client, user):
    feedback = UserFeedbackFactory(user=user, watched_completion=True, rating=5)

    user_client.post(edit_url(feedback.media), answers(watched="", again="yes", rating="2"))

    feedback.refresh_from_db()
    assert (feedback.watched_completion, feedback.would_watch_again, feedback.rating) == (
        None,
        True,
        2,
    )
    assert UserFeedback.objects.count() == 1


@pytest.mark.parametrize("rating", ["7", "0", "abc", "4.5", "-1"])
def test_a_wrong_rating_is_an_error_that_keeps_what_was_typed(user_client, user, rating):
    media = MediaFactory()

    response = user_client.post(edit_url(media), answers("yes", "no", rating))

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert "rating" in form.errors
    assert form["watched_completion"].value() == "yes"
    assert form["would_watch_again"].value() == "no"
    html = response.content.decode()
    assert 'id="id_rating_error"' in html
    assert '<option value="yes" selected>' in html
    assert SAYS_NOTHING not in html
    assert not UserFeedback.objects.exists()


def test_feedback_that_says_nothing_is_refused_with_the_models_words(user_client, user):
    media = MediaFactory()

    response = user_client.post(edit_url(media), answers())

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors() == [SAYS_NOTHING]
    assert SAYS_NOTHING in response.content.decode()
    assert not UserFeedback.objects.exists()


def test_a_safe_next_is_followed_and_an_outside_one_ignored(user_client):
    media = MediaFactory()

    back = user_client.post(edit_url(media), answers(rating="3") | {"next": "/library/?page=2"})
    outside = user_client.post(
        edit_url(media), answers(rating="3") | {"next": "https://evil.example/"}
    )

    assert back["Location"] == "/library/?page=2"
    assert outside["Location"] == media.get_absolute_url()


def test_feedback_on_an_unknown_media_item_is_404(user_client):
    url = reverse("feedback:feedback_edit", args=["plex:nope"])

    assert user_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert user_client.post(url, answers(rating="3")).status_code == HTTPStatus.NOT_FOUND
    assert not UserFeedback.objects.exists()


def test_the_form_is_refused_without_a_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    media = MediaFactory()

    response = client.post(edit_url(media), answers(rating="3"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not UserFeedback.objects.exists()


# feedback_new


def test_new_feedback_by_media_id(user_client, user):
    media = MediaFactory(media_id="jellyfin:abc-123")
    url = reverse("feedback:feedback_new")

    response = user_client.post(url, {"media_id": " jellyfin:abc-123 "} | answers(rating="5"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == media.get_absolute_url()
    assert UserFeedback.objects.get(user=user).media == media


def test_new_feedback_on_a_missing_media_id_says_so_and_keeps_the_input(user_client):
    url = reverse("feedback:feedback_new")

    response = user_client.post(url, {"media_id": "plex:404"} | answers("no", "yes", "2"))

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert form.errors["media_id"] == ["No media item has the id “plex:404”."]
    html = response.content.decode()
    assert "No media item has the id “plex:404”." in html
    assert 'value="plex:404"' in html
    assert '<option value="2" selected>' in html
    assert not UserFeedback.objects.exists()


def test_new_feedback_form_takes_a_media_id_from_the_query_string(user_client):
    response = user_client.get(reverse("feedback:feedback_new") + "?media_id=plex:9")

    assert response.status_code == HTTPStatus.OK
    assert 'value="plex:9"' in response.content.decode()


# movie_feedback


def test_movie_feedback_creates_the_movies_media_item_and_saves(user_client, user):
    movie = MovieFactory(title="Ikiru")
    url = reverse("feedback:movie_feedback", args=[movie.pk])

    page = user_client.get(url)
    saved = user_client.post(url, answers(watched="yes", rating="5"))

    assert page.status_code == HTTPStatus.OK
    assert "Ikiru" in page.content.decode()
    assert saved.status_code == HTTPStatus.FOUND
    assert saved["Location"] == movie.get_absolute_url()
    media = Media.objects.get(movie=movie)
    assert UserFeedback.objects.get(user=user).media == media


def test_opening_a_films_feedback_form_writes_nothing(user_client):
    movie = MovieFactory(title="Ikiru")

    response = user_client.get(reverse("feedback:movie_feedback", args=[movie.pk]))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<a href="{movie.get_absolute_url()}">Ikiru</a>' in html
    assert "Delete my feedback" not in html
    assert not Media.objects.exists()


def test_a_refused_feedback_on_a_film_leaves_no_media_item(user_client):
    movie = MovieFactory()

    response = user_client.post(reverse("feedback:movie_feedback", args=[movie.pk]), answers())

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors() == [SAYS_NOTHING]
    assert not Media.objects.exists()


def test_movie_feedback_uses_the_existing_item_and_prefills(user_client, user):
    feedback = UserFeedbackFactory(user=user, rating=2)
    url = reverse("feedback:movie_feedback", args=[feedback.media.movie_id])

    response = user_client.get(url)

    assert response.context["media"] == feedback.media
    assert response.context["form"]["rating"].value() == 2
    assert Media.objects.count() == 1


def test_movie_feedback_edits_the_feedback_given_on_another_item_of_the_film(user_client, user):
    """A film on Plex and Jellyfin: rated on one item, its page's form shows that rating and
    changes it, rather than start a second opinion of the film on the other item."""
    heat = MovieFactory(title="Heat")
    items = {MediaFactory(movie=heat), MediaFactory(movie=heat)}
    standing = services.movie_media(movie=heat)
    [other] = items - {standing}
    UserFeedbackFactory(user=user, media=other, rating=2)
    url = reverse("feedback:movie_feedback", args=[heat.pk])

    page = user_client.get(url)
    user_client.post(url, answers(rating="5"))

    assert page.context["media"] == other
    assert page.context["form"]["rating"].value() == 2
    assert list(UserFeedback.objects.values_list("media", "rating")) == [(other.pk, 5)]


def test_movie_feedback_edits_the_rated_feedback_before_a_newer_unrated_one(user_client, user):
    heat = MovieFactory(title="Heat")
    day = timezone.now() - dt.timedelta(days=2)
    rated = UserFeedbackFactory(user=user, media=MediaFactory(movie=heat), rating=3, timestamp=day)
    UserFeedbackFactory(
        user=user, media=MediaFactory(movie=heat), rating=None, timestamp=day + dt.timedelta(days=1)
    )

    response = user_client.get(reverse("feedback:movie_feedback", args=[heat.pk]))

    assert response.context["media"] == rated.media
    assert response.context["form"]["rating"].value() == 3


def test_movie_feedback_on_an_unknown_movie_is_404(user_client):
    url = reverse("feedback:movie_feedback", args=[999_999])

    assert user_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert user_client.post(url, answers(rating="3")).status_code == HTTPStatus.NOT_FOUND
    assert not Media.objects.exists()


# feedback_delete


def test_deleting_own_feedback(user_client, user):
    feedback = UserFeedbackFactory(user=user, media__title="Ran")
    url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])

    response = user_client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == feedback.media.get_absolute_url()
    assert not UserFeedback.objects.exists()
    assert messages_of(response) == ["Your feedback on “Ran” is deleted."]


def test_a_get_asks_first_and_changes_nothing(user_client, user):
    feedback = UserFeedbackFactory(user=user, media__title="Ran")
    url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])

    response = user_client.get(url, {"next": "/library/?page=2"})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h1>Delete your feedback on “Ran”?</h1>" in html
    assert f'<form class="form-actions" method="post" action="{url}?next=' in html
    assert '<input type="hidden" name="next" value="/library/?page=2">' in html
    assert '<a href="/library/?page=2">Cancel</a>' in html
    assert UserFeedback.objects.filter(pk=feedback.pk).exists()


def test_the_question_s_cancel_goes_back_to_the_item_without_a_next(user_client, user):
    feedback = UserFeedbackFactory(user=user)
    url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])

    html = user_client.get(url, {"next": "//evil.example/"}).content.decode()

    assert f'<a href="{feedback.media.get_absolute_url()}">Cancel</a>' in html
    assert '<input type="hidden" name="next" value="">' in html


@pytest.mark.parametrize("page", ["media_detail", "feedback_edit"])
def test_the_delete_buttons_lead_to_the_question(user_client, user, page):
    feedback = UserFeedbackFactory(user=user)
    url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])

    html = user_client.get(reverse(f"feedback:{page}", args=[feedback.media.media_id])).content
    html = html.decode()

    # The form's leads back to the page the form leads to: the item's.
    back = f"?next={quote(feedback.media.get_absolute_url())}" if page == "feedback_edit" else ""
    assert f'<a class="button secondary" href="{url}{back}">Delete my feedback</a>' in html
    assert f'action="{url}"' not in html


def test_the_film_feedback_form_s_delete_button_leads_back_to_the_film(user_client, user):
    """From the film's own form, the delete ends on the film's page, where the person
    was, not on the page of the media item behind their feedback."""
    feedback = UserFeedbackFactory(user=user)
    film = feedback.media.movie
    delete_url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])

    html = user_client.get(reverse("feedback:movie_feedback", args=[film.pk])).content.decode()
    response = user_client.post(delete_url, {"next": film.get_absolute_url()})

    assert f'href="{delete_url}?next={quote(film.get_absolute_url())}"' in html
    assert response["Location"] == film.get_absolute_url()


def test_the_feedback_form_s_delete_button_passes_its_next_on(user_client, user):
    feedback = UserFeedbackFactory(user=user)
    url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])

    html = user_client.get(edit_url(feedback.media), {"next": "/library/?page=2"}).content

    assert f'href="{url}?next=/library/%3Fpage%3D2"' in html.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_feedback_already_deleted_is_said_so_not_404(user_client, user, method):
    feedback = UserFeedbackFactory(user=user, media__title="Ran")
    url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])
    services.feedback_delete(feedback=feedback)  # by the same button in another tab

    response = getattr(user_client, method)(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("feedback:library")
    assert messages_of(response) == ["Your feedback on “Ran” is already deleted."]


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_elses_feedback_is_neither_deleted_nor_shown(user_client, other_user, method):
    """The URL names the person's own feedback on an item: where only someone else has
    feedback, the answer is the one for an item nobody rated, and theirs stays."""
    theirs = UserFeedbackFactory(user=other_user, media__title="Ran", rating=4)
    url = reverse("feedback:feedback_delete", args=[theirs.media.media_id])

    response = getattr(user_client, method)(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("feedback:library")
    assert messages_of(response) == ["Your feedback on “Ran” is already deleted."]
    theirs.refresh_from_db()
    assert theirs.rating == 4


def test_deleting_feedback_on_an_unknown_item_is_404(user_client):
    url = reverse("feedback:feedback_delete", args=["plex:missing"])

    assert user_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert user_client.post(url).status_code == HTTPStatus.NOT_FOUND


def test_anonymous_delete_goes_to_log_in_then_back_to_the_page(client, user):
    feedback = UserFeedbackFactory(user=user)
    url = reverse("feedback:feedback_delete", args=[feedback.media.media_id])

    response = client.post(url, {"next": "/library/"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("login") + "?next=/library/"
    assert UserFeedback.objects.exists()
