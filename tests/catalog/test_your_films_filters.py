"""The film lists' "your films" filters (hide what you have seen, only your watchlist)
and the Seen mark on the cards, as Letterboxd's and Trakt's browse pages have them.

Seen is what the recommendation engine never offers (Profile.seen): what takes a film
off the watchlist (feedback/watchlist.py: a viewing watched to the end, feedback that
does not say "did not finish", a rating alone counting, or a review the person wrote),
and a rating of theirs from any source, an IMDb or Letterboxd one they imported say,
unless their feedback says they did not finish the film.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import RatingSource
from feedback.models import MediaType
from feedback.services import feedback_record
from recommendations.engine.sources import profile_for_user
from tests.factories import (
    GenreFactory,
    MediaFactory,
    MovieFactory,
    RatingFactory,
    ReviewFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:movie_list")


def titles(response) -> set[str]:
    return {movie.title for movie in response.context["object_list"]}


def film(title: str):
    return MovieFactory(title=title, year=2001, release_date=None)


def said_not_finished(user, movie) -> None:
    """Feedback saying the person did not finish the film, and nothing else."""
    UserFeedbackFactory(
        user=user,
        media=MediaFactory(movie=movie),
        watched_completion=False,
        would_watch_again=None,
        rating=None,
    )


@pytest.fixture
def films(user):
    """One film for each way a person can stand with it."""
    finished = film("Finished")
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=finished), completed=True)
    rated = film("Rated")
    UserFeedbackFactory(
        user=user, media=MediaFactory(movie=rated), watched_completion=None, rating=4
    )
    gave_up = film("Gave up")
    said_not_finished(user, gave_up)
    reviewed = film("Reviewed")  # as on Letterboxd and Trakt: reviewing it is seeing it
    ReviewFactory(member=True, user=user, movie=reviewed)
    half_way = film("Half way")
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=half_way), completed=False)
    # Rated on IMDb and imported, with no feedback: the engine counts it seen.
    RatingFactory(
        user=user, movie=film("Rated on IMDb"), source=RatingSource.IMDB, value=8, scale_max=10
    )
    # Rated, but their feedback says they did not finish it: started, not seen.
    rated_gave_up = film("Rated, gave up")
    RatingFactory(user=user, movie=rated_gave_up, source=RatingSource.OTHER)
    said_not_finished(user, rated_gave_up)
    untouched = film("Untouched")
    wanted = film("Wanted")
    WatchlistEntryFactory(user=user, movie=wanted)
    # Someone else's viewing, review, rating and watchlist count for nothing here, and
    # neither do a critic's review, a data set's rater's rating or an aggregate.
    stranger = UserFactory()
    ViewingHistoryFactory(user=stranger, media=MediaFactory(movie=untouched))
    ReviewFactory(member=True, user=stranger, movie=untouched)
    ReviewFactory(movie=untouched)
    WatchlistEntryFactory(user=stranger, movie=untouched)
    RatingFactory(user=stranger, movie=untouched)
    RatingFactory(external=True, movie=untouched)
    RatingFactory(aggregate=True, movie=untouched)
    # An episode given up on: its NULL film must not empty "rated and not given up".
    UserFeedbackFactory(
        user=user,
        media=MediaFactory(movie=None, media_type=MediaType.EPISODE),
        watched_completion=False,
    )


ALL = {
    "Finished",
    "Rated",
    "Reviewed",
    "Rated on IMDb",
    "Gave up",
    "Rated, gave up",
    "Half way",
    "Untouched",
    "Wanted",
}
SEEN = {"Finished", "Rated", "Reviewed", "Rated on IMDb"}


@pytest.mark.usefixtures("films")
@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, ALL),
        ({"seen": ""}, ALL),
        ({"seen": "unseen"}, ALL - SEEN),
        ({"seen": "seen"}, SEEN),
        ({"watchlist": "on"}, {"Wanted"}),
        ({"watchlist": "off"}, ALL - {"Wanted"}),
        (
            {"seen": "unseen", "watchlist": "off"},
            {"Gave up", "Rated, gave up", "Half way", "Untouched"},
        ),
    ],
)
def test_the_filters_follow_the_person_s_own_films(user_client, params, shown):
    response = user_client.get(LIST_URL, params)

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == shown


def test_the_films_shown_seen_are_those_the_engine_never_offers(user_client, user, films):
    """A film rated 8/10 on IMDb is never recommended: "Only films you have not seen"
    does not offer it either."""
    response = user_client.get(LIST_URL, {"seen": "seen"})

    shown = {movie.pk for movie in response.context["object_list"]}
    assert shown == profile_for_user(user, with_recent=False).seen


def test_an_episode_watched_does_not_hide_every_film(user_client, user):
    # Media with no film: NOT IN over a list holding NULL would match no film at all.
    episode = MediaFactory(movie=None, media_type=MediaType.EPISODE)
    ViewingHistoryFactory(user=user, media=episode)
    UserFeedbackFactory(user=user, media=episode)
    film("Untouched")

    response = user_client.get(LIST_URL, {"seen": "unseen"})

    assert titles(response) == {"Untouched"}


def test_the_cards_mark_the_films_the_person_has_seen(user_client, films):
    html = user_client.get(LIST_URL).content.decode()

    assert html.count('class="badge badge-seen"') == len(SEEN)
    # The filter says what seen is.
    assert "Seen: watched to the end, rated without saying you stopped, or reviewed." in html


def test_the_cards_show_the_person_s_own_stars_and_no_one_else_s(user_client, user):
    mine, theirs, imdb = film("Mine"), film("Theirs"), film("On IMDb")
    feedback_record(user=user, media=MediaFactory(movie=mine), rating=4)
    feedback_record(user=UserFactory(), media=MediaFactory(movie=theirs), rating=5)
    RatingFactory(user=user, movie=imdb, source=RatingSource.IMDB, value=8, scale_max=10)

    response = user_client.get(LIST_URL)

    stars = {movie.title: movie.visitor_stars for movie in response.context["object_list"]}
    assert stars == {"Mine": 4, "Theirs": None, "On IMDb": None}
    html = response.content.decode()
    assert html.count('class="badge badge-rated"') == 1
    assert "Your rating 4/5" in html


def test_a_visitor_gets_neither_the_filters_nor_the_marks(client, user, films):
    response = client.get(LIST_URL, {"seen": "seen", "watchlist": "on"})

    assert titles(response) == ALL  # ignored, not an error
    html = response.content.decode()
    assert 'name="seen"' not in html
    assert 'name="watchlist"' not in html
    assert "badge-seen" not in html
    assert "badge-rated" not in html


@pytest.mark.parametrize("name", ["seen", "watchlist"])
@pytest.mark.parametrize("value", ["maybe", "\x00", "x" * 10_000, "SEEN"])
def test_a_value_that_is_no_choice_is_shown_on_its_field(user_client, name, value):
    film("Untouched")

    response = user_client.get(LIST_URL, {name: value})

    assert response.status_code == HTTPStatus.OK
    assert response.context["filter"].form.has_error(name)
    assert titles(response) == set()  # strict: the errors are shown, no films


def test_the_genre_page_and_search_take_them_too(user_client, user):
    drama = GenreFactory(name="Drama", slug="drama")
    seen = MovieFactory(title="Harbour seen", genres=[drama])
    MovieFactory(title="Harbour unseen", genres=[drama])
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=seen))

    on_genre = user_client.get(drama.get_absolute_url(), {"seen": "unseen"})
    searched = user_client.get(reverse("catalog:search"), {"q": "harbour", "seen": "unseen"})

    assert titles(on_genre) == {"Harbour unseen"}
    assert titles(searched) == {"Harbour unseen"}


@pytest.mark.parametrize("films_seen", [2, 30])
def test_the_list_costs_the_same_however_much_the_person_has_seen(
    user_client, user, films_seen, django_assert_num_queries
):
    for number in range(films_seen):
        movie = film(f"Seen {number:02d}")
        media = MediaFactory(movie=movie)
        ViewingHistoryFactory.create_batch(2, user=user, media=media)
        UserFeedbackFactory(user=user, media=media)
        ReviewFactory(member=True, user=user, movie=movie)
        WatchlistEntryFactory(user=user)
        RatingFactory(user=user, movie=film(f"Rated {number:02d}"), source=RatingSource.IMDB)
        UserFeedbackFactory(user=user, watched_completion=False)

    # The session and its user; the count, the page's keys, its films with the marks, their
    # genres and the form's genre checkboxes (tests/catalog/test_views_queries.py).
    with django_assert_num_queries(2 + 5):
        response = user_client.get(LIST_URL, {"seen": "seen", "ordering": "-year"})

    assert len(response.context["object_list"]) == min(2 * films_seen, 25)
    assert all(movie.seen_by_visitor for movie in response.context["object_list"])
