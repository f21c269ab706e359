"""Members' reviews on the site: the film's page, the film's reviews, My reviews, and
writing, editing and deleting one's own (and never another's)."""

import re
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import MEMBER_REVIEW_BLANK_MESSAGE, MEMBER_REVIEW_TOO_LONG_MESSAGE, Review
from catalog.review_views import MEMBER_REVIEWS_PER_PAGE, REVIEWS_ON_FILM_PAGE
from feedback.models import WatchlistEntry
from tests.catalog.test_views_queries import DETAIL_QUERIES
from tests.factories import MovieFactory, ReviewFactory, UserFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db

LOGGED_IN = 2  # the session, then the user


def review_url(movie):
    return reverse("catalog:movie_review", args=[movie.pk])


def test_writing_then_editing_a_review(user_client, user):
    movie = MovieFactory()
    response = user_client.post(review_url(movie), {"text": "Loved it.", "contains_spoilers": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == movie.get_absolute_url() + "#members-reviews"
    review = Review.objects.get(user=user, movie=movie)
    assert (review.text, review.contains_spoilers, review.edited_at) == ("Loved it.", False, None)

    page = user_client.get(movie.get_absolute_url())
    assert "Loved it." in page.content.decode()
    assert page.context["own_review"] == review

    user_client.post(review_url(movie), {"text": "The twist!", "contains_spoilers": "on"})
    review.refresh_from_db()
    assert (review.text, review.contains_spoilers) == ("The twist!", True)
    assert review.edited_at is not None
    html = user_client.get(movie.get_absolute_url()).content.decode()
    assert "<summary>Contains spoilers</summary>" in html
    assert "edited" in html


def test_a_review_written_on_the_film_s_page_takes_it_off_the_watchlist(user_client, user):
    """Reviewing a film is saying you saw it, as on Letterboxd and Trakt."""
    movie = MovieFactory()
    WatchlistEntryFactory(user=user, movie=movie)

    user_client.post(review_url(movie), {"text": "Saw it last night. Awful, never again."})

    assert not WatchlistEntry.objects.filter(user=user).exists()


def test_saving_a_review_unchanged_is_no_edit(user_client, user):
    """A browser sends a textarea's line breaks as CRLF, whatever the review held (one
    restored from an export has LF): sent back as shown, it is the same review."""
    movie = MovieFactory()
    ReviewFactory(member=True, user=user, movie=movie, text="Tense.\nThen terrifying.")
    response = user_client.post(
        review_url(movie), {"text": "Tense.\r\nThen terrifying.", "contains_spoilers": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Review.objects.get(user=user, movie=movie).edited_at is None
    assert "edited" not in user_client.get(movie.get_absolute_url()).content.decode()


def test_line_breaks_count_as_the_browser_counts_them(user_client, user):
    """The textarea's maxlength counts a line break as one character, and the browser
    sends it as two (CRLF): a review the browser let through as 10,000 characters was
    refused as too long. The site keeps line breaks as LF, counted once."""
    movie = MovieFactory()
    shown = ("a" * 499 + "\n") * 20  # 10,000 characters in the textarea
    sent = shown.replace("\n", "\r\n")

    response = user_client.post(review_url(movie), {"text": sent})

    assert response.status_code == HTTPStatus.FOUND
    assert Review.objects.get(user=user, movie=movie).text == shown.strip()
    too_long = user_client.post(review_url(movie), {"text": sent + "b"})
    assert too_long.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", MEMBER_REVIEW_BLANK_MESSAGE), ("a" * 10_001, MEMBER_REVIEW_TOO_LONG_MESSAGE)],
)
def test_a_bad_review_is_shown_again_with_its_error(user_client, user, text, message):
    movie = MovieFactory()
    ReviewFactory(member=True, user=user, movie=movie, text="Kept.")
    response = user_client.post(review_url(movie), {"text": text})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["text"] == [message]
    assert Review.objects.get(user=user, movie=movie).text == "Kept."


def test_writing_needs_an_account(client):
    movie = MovieFactory()
    response = client.post(review_url(movie), {"text": "Anonymous."})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert not Review.objects.exists()


def test_the_form_needs_csrf(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(review_url(MovieFactory()), {"text": "Forged."})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Review.objects.exists()


def test_the_review_form_page_of_no_film_is_404(user_client):
    assert user_client.get("/movies/999999/review/").status_code == HTTPStatus.NOT_FOUND


def test_deleting_ones_review_asks_first(user_client, user):
    review = ReviewFactory(member=True, user=user)
    url = reverse("catalog:review_delete", args=[review.pk])
    assert user_client.get(url).status_code == HTTPStatus.OK
    assert Review.objects.filter(pk=review.pk).exists()
    response = user_client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert not Review.objects.filter(pk=review.pk).exists()


def test_a_review_deleted_twice_is_said_to_be_deleted_already(user_client, user):
    """The button pressed twice, or the back button to the question: the second POST
    finds no review, and says so on the page it came from (its `next`), else on the
    person's reviews, not a 404."""
    review = ReviewFactory(member=True, user=user)
    url = reverse("catalog:review_delete", args=[review.pk])
    film_page = review.movie.get_absolute_url()
    user_client.post(url, {"next": film_page}, follow=True)

    again = user_client.post(url, {"next": film_page})
    asked_again = user_client.get(url)

    assert again.status_code == HTTPStatus.FOUND
    assert again.url == film_page
    assert asked_again.url == reverse("catalog:my_reviews")
    assert [str(said) for said in get_messages(again.wsgi_request)] == [
        "That review is already deleted."
    ]


def test_someone_elses_review_is_answered_as_a_missing_one(user_client, other_user):
    theirs = ReviewFactory(member=True, user=other_user)
    imported = ReviewFactory()
    missing = reverse("catalog:review_delete", args=[999_999])
    for method in ("get", "post"):
        answers = [
            getattr(user_client, method)(reverse("catalog:review_delete", args=[pk]))
            for pk in (theirs.pk, imported.pk)
        ]
        expected = getattr(user_client, method)(missing)
        assert expected.status_code == HTTPStatus.FOUND
        assert expected.url == reverse("catalog:my_reviews")
        for pk, answer in zip((theirs.pk, imported.pk), answers, strict=True):
            assert answer.status_code == expected.status_code
            assert answer.get("Location") == expected.get("Location")
            # The same page, but for its address and the CSRF token (masked anew each time).
            address = reverse("catalog:review_delete", args=[pk])
            assert without_token(answer).replace(address, missing) == without_token(expected)
    assert Review.objects.count() == 2


def without_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def reviews_by_different_users(movie, count):
    return [
        ReviewFactory(member=True, movie=movie, contains_spoilers=number % 2 == 0)
        for number in range(count)
    ]


def test_film_page_shows_the_newest_members_reviews(client, django_assert_num_queries):
    movie = MovieFactory()
    reviews = reviews_by_different_users(movie, 22)
    ReviewFactory(movie=movie, text="An imported critic.")
    url = movie.get_absolute_url()
    # As tests/catalog/test_views_queries.py counts them: one for members' reviews.
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    shown = response.context["members_reviews"]
    assert [review.pk for review in shown] == [
        review.pk for review in reviews[:REVIEWS_ON_FILM_PAGE]
    ]
    assert response.context["more_members_reviews"]
    assert [review.text for review in response.context["reviews_page"]] == ["An imported critic."]
    html = response.content.decode()
    for review in shown:
        assert review.user.get_username() in html


def test_film_page_for_a_member(client, django_assert_num_queries):
    movie = MovieFactory()
    reviews_by_different_users(movie, 22)
    user = UserFactory()
    ReviewFactory(member=True, user=user, movie=movie, text="Mine, older.")
    client.force_login(user)
    # No library items to read: the film's own, the person's own review, and their lists
    # for "Add to a list" (one query, however many).
    with django_assert_num_queries(LOGGED_IN + DETAIL_QUERIES + 1 + 1):
        response = client.get(movie.get_absolute_url())
    assert response.context["own_review"].text == "Mine, older."
    assert "Mine, older." in response.content.decode()  # in the form, to edit


def test_a_films_reviews_page(client, django_assert_num_queries):
    movie = MovieFactory()
    reviews = reviews_by_different_users(movie, MEMBER_REVIEWS_PER_PAGE + 3)
    url = reverse("catalog:movie_reviews", args=[movie.pk])
    with django_assert_num_queries(3):  # the film, the count, the page
        response = client.get(url)
    assert len(response.context["page_obj"]) == MEMBER_REVIEWS_PER_PAGE
    last = client.get(url, {"page": "last"})
    assert [review.pk for review in last.context["page_obj"]] == [r.pk for r in reviews[-3:]]
    html = response.content.decode()
    assert html.count("<summary>Contains spoilers</summary>") == (MEMBER_REVIEWS_PER_PAGE + 1) // 2


@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=9999", "page=1.5", "page=%00"])
def test_malformed_query_strings_never_500(user_client, user, query):
    movie = MovieFactory()
    ReviewFactory(member=True, user=user, movie=movie)
    for url in (reverse("catalog:movie_reviews", args=[movie.pk]), reverse("catalog:my_reviews")):
        response = user_client.get(f"{url}?{query}")
        assert response.status_code == HTTPStatus.OK
        assert len(response.context["page_obj"]) == 1


def test_my_reviews(user_client, user, django_assert_num_queries):
    mine = [ReviewFactory(member=True, user=user) for _ in range(22)]
    ReviewFactory(member=True)  # someone else's
    with django_assert_num_queries(LOGGED_IN + 2):  # the count, the page with its films
        response = user_client.get(reverse("catalog:my_reviews"))
    assert [review.pk for review in response.context["page_obj"]] == [review.pk for review in mine]
    html = response.content.decode()
    for review in mine:
        assert review.movie.title in html


def test_a_review_deleted_from_my_reviews_comes_back_to_my_reviews(user_client, user):
    review = ReviewFactory(member=True, user=user)
    delete_url = reverse("catalog:review_delete", args=[review.pk])
    mine = f"{reverse('catalog:my_reviews')}?page=1"

    html = user_client.get(mine).content.decode()
    response = user_client.post(delete_url, {"next": mine})

    assert f'href="{delete_url}?next={quote(mine, safe="/")}"' in html
    assert response["Location"] == mine
    assert not Review.objects.filter(pk=review.pk).exists()


def test_my_reviews_needs_an_account(client):
    response = client.get(reverse("catalog:my_reviews"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_the_menu_links_to_my_reviews(user_client):
    html = user_client.get(reverse("catalog:home")).content.decode()
    assert f'href="{reverse("catalog:my_reviews")}"' in html
