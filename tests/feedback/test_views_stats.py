"""Your stats (/stats/): each figure against data counted by hand, in the person's time
zone, for a year and for all time; only their own rows; bad ?year= values; the budget."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    GenreFactory,
    MediaFactory,
    MovieFactory,
    ReviewFactory,
    UserFeedbackFactory,
    UserTimeZoneFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db

STATS_URL = reverse("feedback:stats")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def watched(user, other_user):
    """The person's viewings, ratings and reviews across 2024 and 2025 (UTC, the tests'
    site zone), and someone else's, which must never count."""
    drama, crime, comedy = (GenreFactory(name=n) for n in ("Drama", "Crime", "Comedy"))
    alien = MovieFactory(title="Alien", runtime_minutes=100, genres=[drama, crime])
    brazil = MovieFactory(title="Brazil", runtime_minutes=120, genres=[drama])
    clue = MovieFactory(title="Clue", runtime_minutes=80, genres=[comedy])
    items = {film.title: MediaFactory(movie=film) for film in (alien, brazil, clue)}
    episode = MediaFactory(movie=None, duration=42)

    def view(item, started_at, *, completed=True, minutes=None):
        ViewingHistoryFactory(
            user=user,
            media=item,
            started_at=started_at,
            completed=completed,
            minutes_watched=minutes,
        )

    view(items["Alien"], at(2024, 12, 31, 20))  # runtime: 100
    view(items["Alien"], at(2025, 1, 10, 20))  # runtime: 100
    view(items["Alien"], at(2025, 3, 5, 20), minutes=90)
    view(items["Alien"], at(2025, 3, 20, 20), completed=False, minutes=30)
    view(items["Brazil"], at(2025, 3, 7, 20))  # runtime: 120
    view(items["Clue"], at(2025, 7, 1, 20), completed=False)  # unfinished, no minutes: 0
    view(episode, at(2025, 7, 2, 20))  # the item's duration: 42

    for item, rating, saved in [
        (items["Alien"], 5, at(2025, 3, 6)),
        (items["Brazil"], 4, at(2025, 3, 8)),
        (items["Clue"], 4, at(2025, 7, 2)),
        (episode, 1, at(2024, 6, 1)),
    ]:
        UserFeedbackFactory(user=user, media=item, rating=rating, timestamp=saved)
    ReviewFactory(member=True, user=user, movie=alien, posted_at=at(2025, 5, 1))
    ReviewFactory(member=True, user=user, movie=brazil, posted_at=at(2024, 2, 1))

    ViewingHistoryFactory.create_batch(
        5, user=other_user, media=items["Clue"], started_at=at(2025, 7, 3)
    )
    UserFeedbackFactory(user=other_user, media=items["Alien"], rating=1, timestamp=at(2025, 3, 6))
    ReviewFactory(member=True, user=other_user, movie=clue, posted_at=at(2025, 5, 1))
    return {"alien": alien, "drama": drama}


def stats_of(client, query: str = ""):
    response = client.get(STATS_URL + query)
    assert response.status_code == HTTPStatus.OK
    return response.context["stats"], response.content.decode()


def test_stats_need_an_account(client):
    response = client.get(STATS_URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('login')}?next={STATS_URL}"


def test_the_menu_has_stats_after_history(user_client):
    html = user_client.get(reverse("feedback:history")).content.decode()

    history = html.index(f'href="{reverse("feedback:history")}"')
    assert history < html.index(f'href="{STATS_URL}">Stats</a>')


def test_a_year_s_figures(user_client, watched):
    stats, html = stats_of(user_client, "?year=2025")

    assert stats.year == 2025
    assert stats.years == [2025, 2024]
    assert stats.viewings == 6
    assert stats.films_finished == 2  # Alien and Brazil; Clue unfinished, the episode no film
    assert stats.films_rewatched == 1  # Alien, finished twice in 2025
    assert stats.minutes == 100 + 90 + 30 + 120 + 0 + 42
    assert stats.hours == 6.4
    assert [bar.count for bar in stats.bars] == [1, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    assert [bar.share for bar in stats.bars][:3] == [33, 0, 100]
    assert [(g.name, g.films) for g in stats.top_genres] == [("Drama", 2), ("Crime", 1)]
    assert [(f.title, f.viewings) for f in stats.most_watched] == [("Alien", 3)]
    assert [r.count for r in stats.ratings] == [0, 0, 0, 2, 1]
    assert stats.rating_average == 4.33
    assert stats.reviews == 1
    # The numbers are text, for screen readers too, and the figures lead somewhere.
    assert '<span class="visually-hidden">March: </span>3</span>' in html
    assert reverse("catalog:movie_detail", args=[watched["alien"].pk]) in html
    assert reverse("catalog:genre_detail", args=["drama"]) in html
    assert 'href="?">All time</a>' in html


def test_all_time_figures_with_a_bar_a_year(user_client, watched):
    stats, html = stats_of(user_client)

    assert stats.year is None
    assert stats.viewings == 7
    assert stats.films_finished == 2
    assert stats.films_rewatched == 1
    assert stats.minutes == 100 + 382
    assert [(bar.label, bar.count) for bar in stats.bars] == [("2024", 1), ("2025", 6)]
    assert [(f.title, f.viewings) for f in stats.most_watched] == [("Alien", 4)]
    assert [r.count for r in stats.ratings] == [1, 0, 0, 2, 1]
    assert stats.rating_average == 3.5
    assert stats.reviews == 2
    assert 'href="?year=2024"' in html


def test_another_person_s_rows_never_count(client, other_user, watched):
    client.force_login(other_user)

    stats, _ = stats_of(client)

    assert stats.viewings == 5
    assert stats.years == [2025]
    assert [(f.title, f.viewings) for f in stats.most_watched] == [("Clue", 5)]
    assert [r.count for r in stats.ratings] == [1, 0, 0, 0, 0]
    assert stats.reviews == 1


def test_a_viewing_before_midnight_counts_in_the_site_zone_s_day(user_client, user, settings):
    settings.TIME_ZONE = "America/New_York"
    # 03:30 on New Year's Day in UTC, still 22:30 on New Year's Eve in New York.
    ViewingHistoryFactory(user=user, started_at=at(2026, 1, 1, 3, 30))

    stats, _ = stats_of(user_client, "?year=2025")
    next_year, _ = stats_of(user_client, "?year=2026")

    assert stats.years == [2025]
    assert stats.viewings == 1
    assert stats.bars[11].count == 1
    assert next_year.viewings == 0


def test_a_viewing_after_midnight_counts_in_the_person_s_own_zone(client, user):
    UserTimeZoneFactory(user=user, time_zone="Europe/Berlin")
    client.force_login(user)
    # 23:30 on New Year's Eve in UTC, the site's: 00:30 on New Year's Day in Berlin.
    ViewingHistoryFactory(user=user, started_at=at(2025, 12, 31, 23, 30))

    stats, _ = stats_of(client, "?year=2026")

    assert stats.years == [2026]
    assert stats.viewings == 1
    assert stats.bars[0].count == 1


def test_a_year_with_nothing_shows_the_empty_state(user_client, watched):
    stats, html = stats_of(user_client, "?year=1990")

    assert stats.viewings == 0
    assert "Nothing watched in 1990." in html
    assert 'href="?year=2025"' in html


def test_nothing_watched_yet(user_client):
    stats, html = stats_of(user_client)

    assert stats.viewings == 0
    assert stats.bars == []
    assert "Nothing watched yet." in html


@pytest.mark.parametrize(
    "value", ["abc", "0", "99999", "2026x", " 2025", "２０２５", "1887", "-2025", "2025.0", "\x00"]
)
def test_a_value_that_is_no_year_shows_all_time_and_says_so(user_client, watched, value):
    stats, html = stats_of(user_client, f"?year={value}")

    assert stats.year is None
    assert stats.viewings == 7
    assert "That is not a year with viewings to count: here is all time." in html


def test_an_empty_year_is_all_time_without_a_word(user_client, watched):
    stats, html = stats_of(user_client, "?year=")

    assert stats.year is None
    assert "not a year" not in html


def test_next_year_is_a_year(user_client):
    next_year = timezone.localdate().year + 1

    stats, html = stats_of(user_client, f"?year={next_year}")

    assert stats.year == next_year
    assert f"Nothing watched in {next_year}." in html


@pytest.mark.parametrize("query", ["", "?year=2025"])
@pytest.mark.parametrize("films", [3, 30])
def test_stats_run_a_fixed_number_of_queries(
    user_client, user, django_assert_num_queries, films, query
):
    genres = [GenreFactory(), GenreFactory()]
    for n in range(films):
        item = MediaFactory(movie=MovieFactory(genres=genres))
        for day in range(4):
            ViewingHistoryFactory(
                user=user, media=item, started_at=at(2024 + day % 2, 1 + n % 12, 1 + day)
            )
        UserFeedbackFactory(user=user, media=item, rating=1 + n % 5, timestamp=at(2025, 1, 1))
        ReviewFactory(member=True, user=user, movie=item.movie, posted_at=at(2025, 2, 1))

    # session, user, viewings a year, the period's totals, finished films, ratings,
    # reviews, genres, most watched; and a year's months
    with django_assert_num_queries(10 if query else 9):
        stats, _ = stats_of(user_client, query)

    assert stats.films_finished == films
    assert stats.films_rewatched == films
    assert len(stats.top_genres) == 2
