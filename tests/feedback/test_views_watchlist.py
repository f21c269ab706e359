"""The watchlist page, the watchlist buttons of a film's page and the marks on film lists:
each person sees and changes only their own, in a fixed number of queries."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import ViewingHistory, WatchlistEntry
from feedback.views import PAGE_SIZE
from tests.factories import (
    GenreFactory,
    MediaFactory,
    MovieFactory,
    MovieRatingStatsFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

WATCHLIST_URL = reverse("feedback:watchlist")
LOGGED_IN = 2  # the session, then the user


def add_url(movie):
    return reverse("feedback:movie_watchlist_add", args=[movie.pk])


def remove_url(movie):
    return reverse("feedback:movie_watchlist_remove", args=[movie.pk])


def login_url(next_url):
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{reverse('login')}?{query.urlencode(safe='/')}"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def titles_on(response) -> list[str]:
    return [entry.movie.title for entry in response.context["page_obj"].object_list]


# Adding and removing, from a film's page


def test_add_to_watchlist_puts_the_film_there_and_goes_back_to_it(user_client, user):
    movie = MovieFactory(title="Ugetsu")

    response = user_client.post(add_url(movie))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == movie.get_absolute_url()
    assert messages_of(response) == ["“Ugetsu” is on your watchlist."]
    assert WatchlistEntry.objects.get().user == user


def test_adding_twice_keeps_one_entry_and_says_so(user_client):
    movie = MovieFactory(title="Ugetsu")
    user_client.post(add_url(movie))

    response = user_client.post(add_url(movie))

    assert messages_of(response)[-1] == "“Ugetsu” was already on your watchlist."
    assert WatchlistEntry.objects.count() == 1


def test_remove_takes_the_film_off_and_goes_back_where_it_was_asked(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    WatchlistEntryFactory(user=user, movie=movie)

    response = user_client.post(remove_url(movie), {"next": WATCHLIST_URL})
    again = user_client.post(remove_url(movie))

    assert response["Location"] == WATCHLIST_URL
    assert messages_of(response) == ["“Ugetsu” is off your watchlist."]
    assert messages_of(again)[-1] == "“Ugetsu” was not on your watchlist."
    assert not WatchlistEntry.objects.exists()


def test_removing_a_film_touches_nobody_else_s_watchlist(user_client, user, other_user):
    movie = MovieFactory()
    theirs = WatchlistEntryFactory(user=other_user, movie=movie)

    user_client.post(remove_url(movie))

    assert list(WatchlistEntry.objects.all()) == [theirs]


@pytest.mark.parametrize("url_of", [add_url, remove_url])
def test_the_actions_are_post_only_a_get_goes_to_the_film(user_client, user, url_of):
    movie = MovieFactory()
    entry = WatchlistEntryFactory(user=user)

    response = user_client.get(url_of(movie))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == movie.get_absolute_url()
    assert list(WatchlistEntry.objects.all()) == [entry]


@pytest.mark.parametrize("url_of", [add_url, remove_url])
def test_anonymous_visitors_are_sent_to_log_in_and_back_to_the_film(client, url_of):
    movie = MovieFactory()

    response = client.post(url_of(movie))

    assert response["Location"] == login_url(movie.get_absolute_url())
    assert not WatchlistEntry.objects.exists()


def test_add_needs_a_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(add_url(MovieFactory())).status_code == HTTPStatus.FORBIDDEN
    assert not WatchlistEntry.objects.exists()


@pytest.mark.parametrize("url_of", [add_url, remove_url])
def test_an_unknown_film_is_404(user_client, url_of):
    movie = MovieFactory()
    url = url_of(movie)
    movie.delete()

    assert user_client.post(url).status_code == HTTPStatus.NOT_FOUND


# The film's page


def test_the_film_page_offers_to_add_it(user_client):
    movie = MovieFactory()

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert f'action="{add_url(movie)}"' in html
    assert ">Add to watchlist</button>" in html
    assert remove_url(movie) not in html


def test_the_film_page_says_since_when_it_is_on_the_watchlist_and_offers_to_remove_it(
    user_client, user, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    movie = MovieFactory()
    # 23:30 in UTC is the next day in Paris: the page says the day it was there.
    added = dt.datetime(2025, 3, 14, 23, 30, tzinfo=dt.UTC)
    WatchlistEntryFactory(user=user, movie=movie, added_at=added)

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert "(added <time" in html
    assert ">15 Mar 2025</time>)" in html
    assert f'action="{remove_url(movie)}"' in html
    assert add_url(movie) not in html


def test_the_film_page_shows_only_the_visitor_s_own_watchlist(user_client, other_user):
    movie = MovieFactory()
    WatchlistEntryFactory(user=other_user, movie=movie)

    html = user_client.get(movie.get_absolute_url()).content.decode()

    assert ">Add to watchlist</button>" in html
    assert "On your <a" not in html


def test_an_anonymous_visitor_s_button_leads_to_log_in_and_back(client):
    movie = MovieFactory()

    html = client.get(movie.get_absolute_url()).content.decode()

    login = f"{reverse('login')}?next={movie.get_absolute_url()}"
    assert f'<a class="button secondary" href="{login}">Add to watchlist</a>' in html


# The watchlist page


def test_the_watchlist_needs_an_account(client):
    response = client.get(WATCHLIST_URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('login')}?next={WATCHLIST_URL}"


def test_the_watchlist_is_the_person_s_own_newest_first(user_client, user, other_user):
    now = timezone.now()
    for title, days in (("Old", 30), ("New", 0), ("Middle", 3)):
        WatchlistEntryFactory(user=user, movie__title=title, added_at=now - dt.timedelta(days=days))
    WatchlistEntryFactory(user=other_user, movie__title="Not mine")

    response = user_client.get(WATCHLIST_URL)

    assert response.status_code == HTTPStatus.OK
    assert titles_on(response) == ["New", "Middle", "Old"]
    html = response.content.decode()
    assert "Not mine" not in html
    assert "3 films to watch" in html


def test_each_row_links_to_its_film_and_has_its_buttons(user_client, user):
    drama = GenreFactory(name="Drama")
    movie = MovieFactory(title="Ugetsu", year=1953, runtime_minutes=96, genres=[drama])
    WatchlistEntryFactory(user=user, movie=movie)

    html = user_client.get(WATCHLIST_URL).content.decode()

    assert f'<a href="{movie.get_absolute_url()}">Ugetsu</a>' in html
    assert "96 min" in html
    assert f'<a class="tag" href="{drama.get_absolute_url()}">Drama</a>' in html
    assert f'action="{reverse("feedback:movie_watched", args=[movie.pk])}"' in html
    assert f'action="{remove_url(movie)}"' in html
    assert f'<input type="hidden" name="next" value="{WATCHLIST_URL}">' in html


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-added", ["Brazil", "Alphaville", "Casablanca", "Dersu Uzala"]),
        ("added", ["Dersu Uzala", "Casablanca", "Alphaville", "Brazil"]),
        ("title", ["Alphaville", "Brazil", "Casablanca", "Dersu Uzala"]),
        ("-title", ["Dersu Uzala", "Casablanca", "Brazil", "Alphaville"]),
        # A film without a year goes last both ways.
        ("-year", ["Brazil", "Alphaville", "Casablanca", "Dersu Uzala"]),
        ("year", ["Casablanca", "Alphaville", "Brazil", "Dersu Uzala"]),
    ],
)
def test_the_watchlist_sorts_by_date_added_title_or_year(user_client, user, ordering, expected):
    now = timezone.now()
    films = [("Brazil", 1985), ("Alphaville", 1965), ("Casablanca", 1942), ("Dersu Uzala", None)]
    for days, (title, year) in enumerate(films):
        WatchlistEntryFactory(
            user=user,
            movie=MovieFactory(title=title, year=year, release_date=None),
            added_at=now - dt.timedelta(days=days),
        )

    response = user_client.get(WATCHLIST_URL, {"ordering": ordering})

    assert titles_on(response) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        # A film without a runtime, or without ratings, goes last both ways.
        ("runtime", ["Brazil", "Alphaville", "Casablanca", "Dersu Uzala"]),
        ("-runtime", ["Casablanca", "Alphaville", "Brazil", "Dersu Uzala"]),
        ("-rating", ["Alphaville", "Casablanca", "Dersu Uzala", "Brazil"]),
        ("rating", ["Dersu Uzala", "Casablanca", "Alphaville", "Brazil"]),
    ],
)
def test_the_watchlist_sorts_by_runtime_or_rating(user_client, user, ordering, expected):
    films = [
        ("Alphaville", 99, 0.9),
        ("Brazil", 94, None),
        ("Casablanca", 102, 0.7),
        ("Dersu Uzala", None, 0.5),
    ]
    for title, runtime, average in films:
        movie = MovieFactory(title=title, runtime_minutes=runtime)
        if average is not None:
            MovieRatingStatsFactory(movie=movie, votes=100, score=100 * average)
        WatchlistEntryFactory(user=user, movie=movie)

    response = user_client.get(WATCHLIST_URL, {"ordering": ordering})

    assert titles_on(response) == expected


def test_the_watchlist_shows_each_film_s_average_rating(user_client, user):
    rated = MovieFactory(title="Alphaville")
    MovieRatingStatsFactory(movie=rated, votes=4, score=3.1)
    WatchlistEntryFactory(user=user, movie=rated)
    WatchlistEntryFactory(user=user, movie=MovieFactory(title="Brazil"))

    html = user_client.get(WATCHLIST_URL).content.decode()

    assert '<td data-label="Rating">7.8 / 10</td>' in html
    assert '<td data-label="Rating">No ratings yet</td>' in html


def test_the_watchlist_pages_by_25_and_keeps_the_sort_in_its_links(user_client, user):
    WatchlistEntryFactory.create_batch(PAGE_SIZE + 5, user=user)

    first = user_client.get(WATCHLIST_URL, {"ordering": "title"})
    second = user_client.get(WATCHLIST_URL, {"ordering": "title", "page": "2"})

    assert len(titles_on(first)) == PAGE_SIZE
    assert len(titles_on(second)) == 5
    assert set(titles_on(first)).isdisjoint(titles_on(second))
    assert "?ordering=title&amp;page=2" in first.content.decode()


def test_an_empty_watchlist_says_how_to_fill_it(user_client):
    html = user_client.get(WATCHLIST_URL).content.decode()

    assert "Your watchlist is empty." in html
    assert "“Add to watchlist”" in html
    assert reverse("catalog:movie_list") in html


@pytest.mark.parametrize(
    "query",
    [
        {"ordering": "zzz"},
        {"ordering": "\x00"},
        {"ordering": ["title", "zzz"]},
    ],
)
def test_a_sort_it_does_not_know_is_shown_as_an_error_not_a_500(user_client, user, query):
    WatchlistEntryFactory(user=user)

    response = user_client.get(WATCHLIST_URL, query)

    assert response.status_code == HTTPStatus.OK
    assert response.context["filter"].errors
    html = response.content.decode()
    assert "The list cannot be sorted that way" in html
    assert "Your watchlist is empty." not in html


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": "9" * 30},
        {"page": "\x00"},
        {"page": ["1", "2", "x"]},
        {"sort": "zzz"},
        {"ordering": ["title", "-year"]},
        {"ordering": ""},
    ],
)
def test_other_odd_query_strings_show_the_watchlist(user_client, user, query):
    WatchlistEntryFactory.create_batch(3, user=user)

    response = user_client.get(WATCHLIST_URL, query)

    assert response.status_code == HTTPStatus.OK
    assert len(titles_on(response)) == 3


def test_i_watched_this_on_the_watchlist_moves_the_film_to_the_history(user_client, user):
    movie, other = MovieFactory(title="Ugetsu"), MovieFactory(title="Ran")
    WatchlistEntryFactory(user=user, movie=movie)
    WatchlistEntryFactory(user=user, movie=other)
    watched = reverse("feedback:movie_watched", args=[movie.pk])

    response = user_client.post(watched, {"next": WATCHLIST_URL})

    assert response["Location"] == WATCHLIST_URL
    assert messages_of(response) == [
        "“Ugetsu” is added to your history. It is off your watchlist now."
    ]
    assert list(WatchlistEntry.objects.values_list("movie__title", flat=True)) == ["Ran"]
    viewing = ViewingHistory.objects.get(user=user)
    assert (viewing.media.movie, viewing.completed) == (movie, True)


def test_a_viewing_not_finished_says_the_film_stays_on_the_watchlist(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    WatchlistEntryFactory(user=user, movie=movie)
    watched = reverse("feedback:movie_watched", args=[movie.pk])

    response = user_client.post(watched, {"completed": "false", "minutes_watched": "40"})

    assert messages_of(response) == [
        "“Ugetsu” is added to your history. It stays on your watchlist."
    ]
    assert WatchlistEntry.objects.filter(user=user, movie=movie).exists()
    assert ViewingHistory.objects.get(user=user).completed is False


def test_feedback_saying_did_not_finish_says_the_film_stays_on_the_watchlist(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    WatchlistEntryFactory(user=user, movie=movie)

    response = user_client.post(
        reverse("feedback:movie_feedback", args=[movie.pk]),
        {"watched_completion": "no", "rating": "2"},
    )

    assert messages_of(response) == [
        "Your feedback on “Ugetsu” is saved. It stays on your watchlist."
    ]
    assert WatchlistEntry.objects.filter(user=user, movie=movie).exists()


def test_feedback_on_a_listed_film_says_it_left_the_watchlist(user_client, user):
    movie = MovieFactory(title="Ugetsu")
    WatchlistEntryFactory(user=user, movie=movie)

    response = user_client.post(
        reverse("feedback:movie_feedback", args=[movie.pk]), {"rating": "4"}
    )

    assert messages_of(response) == [
        "Your feedback on “Ugetsu” is saved. It is off your watchlist now."
    ]
    assert not WatchlistEntry.objects.exists()


@pytest.mark.parametrize(
    ("added_days_ago", "message"),
    [
        (1, "Your review of “Ugetsu” is posted. It is off your watchlist now."),
        (None, "Your review of “Ugetsu” is posted."),
    ],
    ids=["listed", "not-listed"],
)
def test_a_review_says_when_it_took_the_film_off_the_watchlist(
    user_client, user, added_days_ago, message
):
    """Reviewing a film says you saw it, and takes it off the watchlist as feedback does:
    its message says so as feedback's does, since the review's form does not."""
    movie = MovieFactory(title="Ugetsu")
    if added_days_ago is not None:
        added_at = timezone.now() - dt.timedelta(days=added_days_ago)
        WatchlistEntryFactory(user=user, movie=movie, added_at=added_at)

    response = user_client.post(
        reverse("catalog:movie_review", args=[movie.pk]), {"text": "Quiet and strange."}
    )

    assert messages_of(response) == [message]
    assert not WatchlistEntry.objects.exists()


def test_an_unchanged_review_saved_again_says_nothing_of_the_watchlist(user_client, user):
    """Seen when first posted: the film put back on the list since stays, and the
    message says nothing of it."""
    movie = MovieFactory(title="Ugetsu")
    url = reverse("catalog:movie_review", args=[movie.pk])
    user_client.post(url, {"text": "Quiet and strange."})
    WatchlistEntryFactory(user=user, movie=movie)

    response = user_client.post(url, {"text": "Quiet and strange."})

    assert messages_of(response)[-1] == "Your review of “Ugetsu” is saved."
    assert WatchlistEntry.objects.filter(user=user, movie=movie).exists()


def test_i_watched_this_on_a_listed_film_reads_the_watchlist_once(
    user_client, user, django_assert_num_queries
):
    movie = MovieFactory(title="Ugetsu")
    WatchlistEntryFactory(user=user, movie=movie)
    watched = reverse("feedback:movie_watched", args=[movie.pk])

    # Session, user, the film, its items; is it on the watchlist. viewing_record_once
    # in a savepoint (2): the person locked, the film's item looked for and made (a
    # savepoint of its own: 4), a viewing just sent looked for; the one validation: the
    # person and the item exist (2; the constraints are the fields' validators', which
    # ask no query); the insert, the film taken off the watchlist. That it left the list
    # is the service's to say: no second read. The person's feedback on the item read and
    # written: the finished viewing says they watched it to the end (2).
    with django_assert_num_queries(19):
        response = user_client.post(watched)

    assert messages_of(response) == [
        "“Ugetsu” is added to your history. It is off your watchlist now."
    ]


def test_feedback_on_a_listed_film_reads_it_and_the_watchlist_once(
    user_client, user, django_assert_num_queries
):
    movie = MovieFactory(title="Ugetsu")
    media = MediaFactory(title="Ugetsu", movie=movie)
    WatchlistEntryFactory(user=user, movie=movie)

    # Session, user, the item; is it on the watchlist. feedback_record in a savepoint
    # (2): the person locked, their feedback on it read (the page reads it only to show
    # the form again); the one validation: the item and the person exist (2), that it
    # says something, a query in a savepoint (3: the rating's range and the date's are
    # their validators'), one feedback per person and item (1); the insert; the film's
    # Marquee rating: its latest rated feedback, the rating read and written in two
    # savepoints, the film's stats (10); the film taken off the watchlist.
    with django_assert_num_queries(26):
        response = user_client.post(
            reverse("feedback:feedback_edit", args=[media.media_id]), {"rating": "4"}
        )

    assert messages_of(response) == [
        "Your feedback on “Ugetsu” is saved. It is off your watchlist now."
    ]


def test_the_navigation_links_to_the_watchlist_for_people_logged_in(client, user_client):
    link = f'<a href="{WATCHLIST_URL}">Watchlist</a>'

    assert link in user_client.get(reverse("catalog:movie_list")).content.decode()
    assert link not in Client().get(reverse("catalog:movie_list")).content.decode()


# Queries


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_the_watchlist_runs_a_fixed_number_of_queries(user_client, user, django_assert_num_queries):
    genres = GenreFactory.create_batch(3)
    for _ in range(PAGE_SIZE + 5):
        WatchlistEntryFactory(user=user, movie=MovieFactory(genres=genres))

    # The count, the page of entries with their films, then the films' genres.
    with django_assert_num_queries(LOGGED_IN + 3):
        response = user_client.get(WATCHLIST_URL, {"ordering": "title"})
        html = response.content.decode()

    assert len(titles_on(response)) == PAGE_SIZE
    assert html.count('class="tag"') == 3 * PAGE_SIZE


@pytest.mark.parametrize("ordering", ["-runtime", "-rating"])
def test_the_watchlist_sorted_by_runtime_or_rating_runs_as_many_queries(
    user_client, user, ordering, django_assert_num_queries
):
    genres = GenreFactory.create_batch(3)
    for number in range(PAGE_SIZE + 5):
        movie = MovieFactory(genres=genres)
        MovieRatingStatsFactory(movie=movie, votes=10 + number, score=5)
        WatchlistEntryFactory(user=user, movie=movie)

    with django_assert_num_queries(LOGGED_IN + 3):
        html = user_client.get(WATCHLIST_URL, {"ordering": ordering}).content.decode()

    assert html.count('class="tag"') == 3 * PAGE_SIZE
    assert html.count('<td data-label="Rating">') == PAGE_SIZE


def test_the_watchlist_costs_the_same_with_3_entries_as_with_25(user_client, user):
    genres = GenreFactory.create_batch(2)
    for _ in range(3):
        WatchlistEntryFactory(user=user, movie=MovieFactory(genres=genres))
    few = count_queries(user_client, WATCHLIST_URL)

    for _ in range(22):
        WatchlistEntryFactory(user=user, movie=MovieFactory(genres=genres))
    many = count_queries(user_client, WATCHLIST_URL)

    assert few == many
