"""Your stats (/stats/): each figure against data counted by hand, in the person's time
zone, for a year and for all time; films seen by a finished viewing, or by feedback or a
review alone; only their own rows; bad ?year= values; the budget."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.services import feedback_record, movie_media, viewing_record
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
    site zone), and someone else's, which must never count. Dune, Eraserhead and Fargo
    have no finished viewing: they count as seen by their feedback or review alone."""
    drama, crime, comedy, scifi, horror = (
        GenreFactory(name=n) for n in ("Drama", "Crime", "Comedy", "Science Fiction", "Horror")
    )
    alien = MovieFactory(title="Alien", runtime_minutes=100, genres=[drama, crime])
    brazil = MovieFactory(title="Brazil", runtime_minutes=120, genres=[drama])
    clue = MovieFactory(title="Clue", runtime_minutes=80, genres=[comedy])
    dune = MovieFactory(title="Dune", runtime_minutes=150, genres=[scifi])
    eraserhead = MovieFactory(title="Eraserhead", runtime_minutes=90, genres=[horror])
    fargo = MovieFactory(title="Fargo", runtime_minutes=98, genres=[crime])
    films = (alien, brazil, clue, dune, eraserhead, fargo)
    items = {film.title: MediaFactory(movie=film) for film in films}
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
    # Stopped at 40 minutes, then said to be watched (below): Fargo's runtime, 98, once.
    view(items["Fargo"], at(2025, 10, 1, 20), completed=False, minutes=40)

    for item, rating, saved, finished in [
        (items["Alien"], 5, at(2025, 3, 6), True),
        (items["Brazil"], 4, at(2025, 3, 8), True),
        (items["Clue"], 4, at(2025, 7, 2), False),  # "did not finish": not seen
        (items["Dune"], 5, at(2025, 9, 10), True),
        (items["Eraserhead"], 3, at(2025, 2, 1), True),
        (items["Fargo"], 4, at(2025, 10, 2), None),  # a rating alone: seen
        (episode, 1, at(2024, 6, 1), True),
    ]:
        UserFeedbackFactory(
            user=user, media=item, rating=rating, timestamp=saved, watched_completion=finished
        )
    ReviewFactory(member=True, user=user, movie=alien, posted_at=at(2025, 5, 1))
    # Brazil's first finished viewing is in 2025: reviewed in 2024, it is not 2024's.
    ReviewFactory(member=True, user=user, movie=brazil, posted_at=at(2024, 2, 1))
    ReviewFactory(member=True, user=user, movie=eraserhead, posted_at=at(2024, 11, 1))

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
    assert stats.viewings == 7
    # Alien and Brazil finished; Dune, Eraserhead and Fargo by their feedback alone. Clue
    # "did not finish", the episode no film.
    assert stats.films == 5
    assert stats.films_rewatched == 1  # Alien, finished twice in 2025
    # The viewings' (Alien 100 + 90 + 30, Brazil 120, Clue 0, the episode 42), then the
    # runtimes of Dune, Eraserhead and Fargo, whose 98 stands for its viewing's 40.
    assert stats.minutes == (100 + 90 + 30 + 120 + 0 + 42) + (150 + 90 + 98)
    assert stats.hours == 12.0
    # Viewings only, Fargo's unfinished one in October included.
    assert [bar.count for bar in stats.bars] == [1, 0, 3, 0, 0, 0, 2, 0, 0, 1, 0, 0]
    assert [bar.share for bar in stats.bars][:3] == [33, 0, 100]
    assert [(g.name, g.films) for g in stats.top_genres] == [
        ("Crime", 2),  # Alien, Fargo
        ("Drama", 2),  # Alien, Brazil
        ("Horror", 1),
        ("Science Fiction", 1),
    ]
    assert [(f.title, f.viewings) for f in stats.most_watched] == [("Alien", 3)]
    assert [r.count for r in stats.ratings] == [0, 0, 1, 3, 2]
    assert stats.rating_average == 4.17  # 25 / 6
    assert stats.reviews == 1
    # The numbers are text, for screen readers too, and the figures lead somewhere.
    assert '<span class="visually-hidden">March: </span>3</span>' in html
    assert reverse("catalog:movie_detail", args=[watched["alien"].pk]) in html
    assert reverse("catalog:genre_detail", args=["drama"]) in html
    assert 'href="?">All time</a>' in html


@pytest.mark.parametrize(
    ("query", "title"),
    [("?year=2025", "Your stats for 2025 · Marquee"), ("", "Your stats, all time · Marquee")],
)
def test_the_page_s_title_names_its_period_as_its_heading_does(user_client, watched, query, title):
    _, html = stats_of(user_client, query)

    assert f"<title>{title}</title>" in html


def test_all_time_figures_with_a_bar_a_year(user_client, watched):
    stats, html = stats_of(user_client)

    assert stats.year is None
    assert stats.viewings == 8
    assert stats.films == 5  # Eraserhead, seen in both years, once
    assert stats.films_rewatched == 1
    assert stats.minutes == 100 + 382 + (150 + 90 + 98)
    assert [(bar.label, bar.count) for bar in stats.bars] == [("2024", 1), ("2025", 7)]
    assert [(f.title, f.viewings) for f in stats.most_watched] == [("Alien", 4)]
    assert [r.count for r in stats.ratings] == [1, 0, 1, 3, 2]
    assert stats.rating_average == 3.71  # 26 / 7
    assert stats.reviews == 3
    assert 'href="?year=2024"' in html


def test_a_film_counts_in_the_year_it_was_seen(user_client, watched):
    """Alien's finished viewing; Eraserhead's review (its feedback is 2025's: it counts in
    both years). Brazil's review is 2024's, but its first finished viewing 2025's."""
    stats, _ = stats_of(user_client, "?year=2024")

    assert stats.viewings == 1
    assert stats.films == 2
    assert stats.minutes == 100 + 90
    assert [(g.name, g.films) for g in stats.top_genres] == [
        ("Crime", 1),
        ("Drama", 1),
        ("Horror", 1),
    ]
    assert stats.reviews == 2


def test_a_film_logged_by_feedback_alone_counts(user_client, user):
    """The reviewer's steps: feedback on The Godfather, watched to completion, 5 stars;
    one finished viewing of The Departed. Both films count, as the library says."""
    crime, drama, thriller = (GenreFactory(name=n) for n in ("Crime", "Drama", "Thriller"))
    godfather = MovieFactory(title="The Godfather", runtime_minutes=175, genres=[crime, drama])
    departed = MovieFactory(title="The Departed", runtime_minutes=151, genres=[crime, thriller])
    feedback_record(
        user=user, media=movie_media(movie=godfather), watched_completion=True, rating=5
    )
    viewing_record(user=user, media=movie_media(movie=departed), completed=True)

    stats, html = stats_of(user_client)

    assert (stats.viewings, stats.films, stats.minutes) == (1, 2, 175 + 151)
    assert [(g.name, g.films) for g in stats.top_genres] == [
        ("Crime", 2),
        ("Drama", 1),
        ("Thriller", 1),
    ]
    assert '<dd id="stat-films">2</dd>' in html
    small_print = " ".join(html.split())
    assert "The bars and Most watched count viewings, not films you only rated" in small_print


def test_someone_who_only_rates_gets_their_figures(user_client, user):
    """As on Letterboxd, where people log films by rating them: no viewing at all."""
    feedback_record(user=user, media=movie_media(movie=MovieFactory(runtime_minutes=90)), rating=4)

    stats, html = stats_of(user_client)
    this_year, _ = stats_of(user_client, f"?year={timezone.localdate().year}")

    assert (stats.viewings, stats.films, stats.hours) == (0, 1, 1.5)
    assert stats.bars == []
    assert "Nothing watched yet." not in html
    assert this_year.films == 1
    assert stats.years == [timezone.localdate().year]


def test_another_person_s_rows_never_count(client, other_user, watched):
    client.force_login(other_user)

    stats, _ = stats_of(client)

    assert stats.viewings == 5
    assert stats.films == 2  # Clue watched, Alien by their feedback: not the person's films
    assert stats.years == [2025]
    assert [(f.title, f.viewings) for f in stats.most_watched] == [("Clue", 5)]
    assert [r.count for r in stats.ratings] == [1, 0, 0, 0, 0]
    assert stats.reviews == 1


@pytest.mark.parametrize(("films", "more"), [(5, False), (7, True)])
def test_most_watched_says_when_more_films_are_tied_than_it_lists(user_client, user, films, more):
    for n in range(films):
        media = MediaFactory(movie=MovieFactory(title=f"Film {n}"))
        ViewingHistoryFactory.create_batch(2, user=user, media=media)

    stats, html = stats_of(user_client)

    assert [(f.title, f.viewings) for f in stats.most_watched] == [
        (f"Film {n}", 2) for n in range(5)
    ]
    assert stats.more_watched_as_often is more
    assert ("and more films, watched as often" in html) is more


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


def test_feedback_and_a_review_count_in_the_person_s_own_zone(client, user):
    UserTimeZoneFactory(user=user, time_zone="Europe/Berlin")
    client.force_login(user)
    # 23:30 on New Year's Eve in UTC, the site's: 00:30 on New Year's Day in Berlin.
    UserFeedbackFactory(user=user, timestamp=at(2025, 12, 31, 23, 30))
    ReviewFactory(member=True, user=user, posted_at=at(2025, 12, 31, 23, 30))

    stats, _ = stats_of(client, "?year=2026")
    last_year, _ = stats_of(client, "?year=2025")

    assert stats.years == [2026]
    assert (stats.films, stats.reviews) == (2, 1)
    assert (last_year.films, last_year.reviews) == (0, 0)


def test_a_year_with_nothing_shows_the_empty_state(user_client, watched):
    stats, html = stats_of(user_client, "?year=1990")

    assert stats.viewings == 0
    assert stats.films == 0
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
    assert stats.viewings == 8
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
        # Seen by feedback alone, and by a review alone.
        UserFeedbackFactory(user=user, media__movie__genres=genres, timestamp=at(2025, 3, 1))
        ReviewFactory(member=True, user=user, movie__genres=genres, posted_at=at(2025, 4, 1))

    # session, user, viewings a year, the years of feedback and reviews (one more than
    # before films were counted by them too), the period's totals, the films seen,
    # ratings, reviews, genres, most watched; and a year's months
    with django_assert_num_queries(11 if query else 10):
        stats, _ = stats_of(user_client, query)

    assert stats.films == 3 * films
    assert stats.films_rewatched == films
    assert len(stats.top_genres) == 2


def test_a_film_rated_on_two_items_is_one_rating(user_client, user):
    """The same film on Plex and on Jellyfin, rated on each: one film, one rating, the
    latest, as its Marquee rating is. Episodes, matched to no film, are one each."""
    heat = MovieFactory(title="Heat")
    plex, jellyfin = MediaFactory(movie=heat), MediaFactory(movie=heat)
    UserFeedbackFactory(user=user, media=plex, rating=2, timestamp=at(2024, 5, 1))
    UserFeedbackFactory(user=user, media=jellyfin, rating=5, timestamp=at(2025, 5, 1))
    for _ in range(2):
        UserFeedbackFactory(user=user, media=MediaFactory(movie=None), rating=3)

    everything, _ = stats_of(user_client)
    in_2024, _ = stats_of(user_client, "?year=2024")

    assert [r.count for r in everything.ratings] == [0, 0, 2, 0, 1]
    assert everything.rating_average == pytest.approx(3.67)  # 11 / 3
    # Heat's rating is 2025's: the rating given in 2024 was given again since.
    assert [r.count for r in in_2024.ratings] == [0, 0, 0, 0, 0]
