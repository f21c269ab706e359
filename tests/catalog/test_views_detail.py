"""A movie's page: details, ratings by source, reviews, related films, and the visitor's own
library, feedback and history."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import RatingSource, RelationshipType
from tests.factories import (
    GenreFactory,
    MediaFactory,
    MovieFactory,
    MovieRelationshipFactory,
    RatingFactory,
    ReviewFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)

pytestmark = pytest.mark.django_db


def page(client, movie, **params):
    return client.get(movie.get_absolute_url(), params)


def ratings_row(source: str, average: str, votes: str) -> str:
    """A row of the ratings table as the page writes it."""
    return (
        f'<tr><td data-label="Source">{source}</td>'
        f'<td class="score" data-label="Average">{average}</td>'
        f'<td data-label="Ratings">{votes}</td></tr>'
    )


def test_shows_the_details_and_genres(client):
    noir = GenreFactory(name="Film noir", slug="film-noir")
    movie = MovieFactory(
        title="The Third Man",
        original_title="The 3rd Man",
        release_date=dt.date(1949, 9, 2),
        year=1949,
        runtime_minutes=104,
        overview="Holly Martins arrives in post-war Vienna.",
        genres=[noir],
    )

    response = page(client, movie)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<h1>The Third Man <span class="muted">(1949)</span></h1>' in html
    assert "The 3rd Man" in html
    assert "Released 2 September 1949" in html
    assert "104 minutes" in html
    assert "Holly Martins arrives in post-war Vienna." in html
    assert f'<a class="tag" href="{noir.get_absolute_url()}">Film noir</a>' in html


def test_averages_by_source_on_their_own_scales_and_the_film_s_on_one(client):
    movie = MovieFactory()
    RatingFactory(movie=movie, aggregate=True, value=8.1, vote_count=300)  # TMDB, 0-10
    RatingFactory(movie=movie, external=True, value=4.5)  # MovieLens, 0.5-5
    RatingFactory(movie=movie, external=True, value=0.5)
    RatingFactory(movie=movie, value=4)  # Marquee, 1-5
    RatingFactory(movie=movie, value=3)  # 3.5 stars: 6.25 brought to 0-10

    response = page(client, movie)

    rows = {row["source"]: row for row in response.context["ratings_by_source"]}
    assert list(rows) == [RatingSource.TMDB, RatingSource.MARQUEE, RatingSource.MOVIELENS]
    assert rows[RatingSource.MOVIELENS]["label"] == "MovieLens"
    html = response.content.decode()
    assert ratings_row("TMDB", "8.1 / 10", "300") in html
    assert ratings_row("MovieLens", "2.5 / 5", "2") in html
    assert ratings_row("Marquee", "3.5 / 5", "2") in html
    assert "from 304 ratings" in html


def test_an_imdb_average_reads_as_imdb_gives_it(client):
    movie = MovieFactory()
    RatingFactory(movie=movie, aggregate=True, source=RatingSource.IMDB, value=7, scale_min=1)

    html = page(client, movie).content.decode()

    assert ratings_row("IMDb", "7.0 / 10", "1,200") in html  # 6.7 once brought to 0-10


def test_a_source_on_several_scales_is_brought_to_zero_to_ten(client):
    movie = MovieFactory()
    RatingFactory(movie=movie, external=True, value=5)  # 0.5-5: 10 / 10
    RatingFactory(movie=movie, external=True, value=6, scale_min=0, scale_max=10)  # by hand

    html = page(client, movie).content.decode()

    assert ratings_row("MovieLens", "8.0 / 10", "2") in html


def test_on_a_phone_each_rating_still_names_its_column(client):
    """A phone hides a table's header row (static/css/marquee.css) and writes each cell's
    data-label before it instead: without one, a row reads as bare numbers."""
    movie = MovieFactory()
    RatingFactory(movie=movie, aggregate=True, value=8.1, vote_count=300)

    html = page(client, movie).content.decode()

    table = re.search(r'<table class="data">.*?</table>', html, re.DOTALL)[0]
    columns = re.findall(r'<th scope="col">(.*?)</th>', table)
    cells = re.findall(r"<td\b([^>]*)>", table)
    labels = [re.search(r'data-label="([^"]*)"', cell) for cell in cells]
    assert columns == ["Source", "Average", "Ratings"]
    assert [label and label[1] for label in labels] == columns


def test_counts_are_written_alike_with_thousands_separated(client):
    movie = MovieFactory()
    RatingFactory(movie=movie, aggregate=True, vote_count=14210)
    RatingFactory.create_batch(6, movie=movie)

    html = page(client, movie).content.decode()

    assert ratings_row("TMDB", "7.5 / 10", "14,210") in html
    assert "from 14,216 ratings" in html


def test_an_unrated_film_says_so(client):
    assert "No ratings yet" in page(client, MovieFactory()).content.decode()


def test_reviews_newest_first_undated_last_and_a_tweet_links_to_itself(client):
    movie = MovieFactory()
    now = timezone.now()
    ReviewFactory(movie=movie, author="Undated", posted_at=None)
    ReviewFactory(movie=movie, author="Older", posted_at=now - dt.timedelta(days=3))
    tweet = ReviewFactory(movie=movie, tweet=True, author="@newest", posted_at=now)
    ReviewFactory(author="Another film's critic")

    response = page(client, movie)

    authors = [review.author for review in response.context["reviews_page"]]
    assert authors == ["@newest", "Older", "Undated"]
    html = response.content.decode()
    assert (
        f'<a href="{tweet.tweet_url}" rel="nofollow noopener noreferrer">Tweet {tweet.tweet_id}</a>'
        in html
    )
    assert html.count("Tweet ") == 1
    assert "Twitter" in html
    assert "Critic" in html


def test_reviews_are_paged_and_a_bad_page_shows_the_nearest(client):
    movie = MovieFactory()
    ReviewFactory.create_batch(30, movie=movie)

    first = page(client, movie)
    second = page(client, movie, page=2)
    beyond = page(client, movie, page=99)
    garbage = page(client, movie, page="abc")

    assert len(first.context["reviews_page"]) == 25
    assert len(second.context["reviews_page"]) == 5
    assert beyond.context["reviews_page"].number == 2
    assert garbage.context["reviews_page"].number == 1
    assert 'Reviews <span class="muted">(30)</span>' in first.content.decode()


def test_related_films_both_ways_grouped_with_sequels_in_release_order(client):
    movie = MovieFactory(title="Alien", release_date=dt.date(1979, 5, 25))
    third = MovieFactory(title="Alien 3", release_date=dt.date(1992, 5, 22))
    second = MovieFactory(title="Aliens", release_date=dt.date(1986, 7, 18))
    prometheus = MovieFactory(title="Prometheus", release_date=dt.date(2012, 6, 1))
    origin = MovieFactory(title="It! The Terror", release_date=dt.date(1958, 8, 1))
    similar_strong = MovieFactory(title="The Thing")
    similar_weak = MovieFactory(title="Event Horizon")
    MovieRelationshipFactory(from_movie=movie, to_movie=third)
    MovieRelationshipFactory(from_movie=movie, to_movie=second)
    MovieRelationshipFactory(
        from_movie=movie, to_movie=prometheus, relationship_type=RelationshipType.PREQUEL
    )
    MovieRelationshipFactory(
        from_movie=origin, to_movie=movie, relationship_type=RelationshipType.REMAKE
    )
    MovieRelationshipFactory(
        from_movie=movie, to_movie=similar_weak, relationship_type="similar", weight=0.2
    )
    MovieRelationshipFactory(
        from_movie=similar_strong, to_movie=movie, relationship_type="similar", weight=0.9
    )
    MovieRelationshipFactory(
        from_movie=movie, to_movie=similar_strong, relationship_type="similar", weight=0.9
    )

    response = page(client, movie)

    groups = {
        group.heading: [m.title for m in group.movies]
        for group in response.context["related_groups"]
    }
    assert groups == {
        "Sequels": ["Aliens", "Alien 3"],
        "Prequels": ["Prometheus"],
        "Remake of": ["It! The Terror"],
        "Similar films": ["The Thing", "Event Horizon"],
    }
    html = response.content.decode()
    assert f'<a href="{second.get_absolute_url()}">Aliens</a>' in html


def test_a_sequel_and_the_matching_prequel_are_one_fact_listed_once(client):
    first = MovieFactory(title="The Godfather", release_date=dt.date(1972, 3, 24))
    second = MovieFactory(title="The Godfather Part II", release_date=dt.date(1974, 12, 20))
    third = MovieFactory(title="The Godfather Part III", release_date=dt.date(1990, 12, 25))
    MovieRelationshipFactory(from_movie=second, to_movie=third)  # III is a sequel of II
    MovieRelationshipFactory(  # II is a prequel of III
        from_movie=third, to_movie=second, relationship_type=RelationshipType.PREQUEL
    )
    MovieRelationshipFactory(from_movie=first, to_movie=third)
    MovieRelationshipFactory(
        from_movie=third, to_movie=first, relationship_type=RelationshipType.SAME_FRANCHISE
    )
    undated = MovieFactory(title="A lost sequel", release_date=None, year=None)
    MovieRelationshipFactory(from_movie=second, to_movie=undated)

    def groups(movie):
        return [
            (group.heading, [m.title for m in group.movies])
            for group in page(client, movie).context["related_groups"]
        ]

    assert groups(third) == [("Prequels", ["The Godfather", "The Godfather Part II"])]
    assert groups(second) == [("Sequels", ["The Godfather Part III", "A lost sequel"])]


def test_anonymous_visitor_is_asked_to_log_in_to_rate(client):
    movie = MovieFactory()

    html = page(client, movie).content.decode()

    login = reverse("login")
    assert f'href="{login}?next=/movies/{movie.pk}/">Log in to rate this film</a>' in html
    assert reverse("feedback:movie_watched", args=[movie.pk]) not in html


def test_logged_in_visitor_sees_their_own_library_feedback_and_history_only(
    client, user, other_user
):
    movie = MovieFactory(title="Paris, Texas")
    media = MediaFactory(movie=movie, media_id="plex:paris-texas", title="Paris, Texas (4K)")
    MediaFactory()  # another film's item
    someone_elses = MediaFactory(movie=movie, title="Paris, Texas (their copy)")
    UserFeedbackFactory(user=other_user, media=someone_elses)
    MediaFactory(movie=movie, title="Paris, Texas (nobody's)")
    UserFeedbackFactory(user=user, media=media, rating=5, would_watch_again=False)
    UserFeedbackFactory(user=other_user, media=media, rating=1)
    ViewingHistoryFactory(
        user=user, media=media, started_at=dt.datetime(2024, 3, 9, 20, 30, tzinfo=dt.UTC)
    )
    ViewingHistoryFactory(
        user=user, media=media, started_at=dt.datetime(2025, 1, 4, 21, 0, tzinfo=dt.UTC)
    )
    ViewingHistoryFactory(
        user=other_user, media=media, started_at=dt.datetime(2023, 7, 1, 12, 0, tzinfo=dt.UTC)
    )
    client.force_login(user)

    response = page(client, movie)

    (item,) = response.context["movie"].library_items
    assert [feedback.user for feedback in item.user_feedback] == [user]
    assert [viewing.started_at.year for viewing in item.user_viewings] == [2025, 2024]
    html = response.content.decode()
    assert "Paris, Texas (4K)" in html
    assert '<span class="score">5 / 5</span>' in html
    assert "would not watch again" in html
    assert "1 / 5" not in html
    assert "4 Jan 2025, 21:00" in html
    assert "9 Mar 2024, 20:30" in html
    assert "1 Jul 2023" not in html
    assert "their copy" not in html
    assert "nobody's" not in html


def test_the_film_page_names_a_media_server_s_items_by_id_and_not_marquee_s_own(user_client, user):
    """Someone with no media server rates and watches films on Marquee's own items,
    whose ids (marquee:movie:<pk>) and length (the film's runtime) the page already says
    otherwise; a media server's item shows its id, which tells two of them apart."""
    movie = MovieFactory(runtime_minutes=145)
    own = MediaFactory(movie=movie, media_id=f"marquee:movie:{movie.pk}", duration=145)
    from_plex = MediaFactory(movie=movie, media_id="plex:paprika", duration=150)
    UserFeedbackFactory(user=user, media=own, rating=4)
    ViewingHistoryFactory(user=user, media=from_plex)

    html = page(user_client, movie).content.decode()

    assert "Media id plex:paprika · 150 min" in html
    assert "Media id marquee:" not in html
    assert "145 min</p>" not in html  # the film's runtime is said above, once


def test_an_item_only_watched_is_listed_with_its_viewings(user_client, user):
    movie = MovieFactory()
    watched = MediaFactory(movie=movie, title="Watched, never rated")
    ViewingHistoryFactory(user=user, media=watched, minutes_watched=41, completed=False)

    response = page(user_client, movie)

    assert [item.title for item in response.context["movie"].library_items] == [
        "Watched, never rated"
    ]
    html = response.content.decode()
    assert "No feedback from you on this yet." in html
    assert "41 min · not finished" in html


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"watched_completion": False}, "Your feedback: did not finish"),
        ({"would_watch_again": True}, "Your feedback: would watch again"),
        (
            {"watched_completion": True, "would_watch_again": False},
            "Your feedback: watched to the end · would not watch again",
        ),
        (
            {"rating": 4, "watched_completion": True},
            'Your feedback: <span class="score">4 / 5</span> · watched to the end',
        ),
    ],
    ids=["not finished", "again", "both", "rated"],
)
def test_feedback_is_told_with_a_dot_between_its_parts_only(user_client, user, fields, said):
    movie = MovieFactory()
    nothing_said = {"rating": None, "watched_completion": None, "would_watch_again": None}
    UserFeedbackFactory(user=user, media=MediaFactory(movie=movie), **nothing_said | fields)

    html = " ".join(page(user_client, movie).content.decode().split())

    assert f'{said} <span class="muted">(' in html


def test_feedback_that_says_watched_is_not_contradicted_by_an_empty_history(user_client, user):
    movie = MovieFactory()
    UserFeedbackFactory(user=user, media=MediaFactory(movie=movie), watched_completion=True)

    html = page(user_client, movie).content.decode()

    assert "You have not watched it yet" not in html
    assert "No viewing of it in your history yet." in html


def test_logged_in_visitor_can_rate_and_mark_as_watched(user_client):
    movie = MovieFactory()

    html = page(user_client, movie).content.decode()

    feedback_url = reverse("feedback:movie_feedback", args=[movie.pk])
    watched_url = reverse("feedback:movie_watched", args=[movie.pk])
    assert f'<a class="button" href="{feedback_url}">Rate / give feedback</a>' in html
    form = html.split(f'action="{watched_url}"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert "I watched this" in form
    assert "Log in to rate this film" not in html


def test_a_film_the_visitor_never_rated_nor_watched_says_so(user_client, user):
    movie = MovieFactory()
    ViewingHistoryFactory(user=user)  # another film
    UserFeedbackFactory(media=MediaFactory(movie=movie))  # someone else

    html = page(user_client, movie).content.decode()

    assert "You have not rated or watched this film yet." in html


def test_unknown_movie_is_404(client):
    assert client.get(reverse("catalog:movie_detail", args=[987654])).status_code == 404


def test_a_film_the_visitor_only_reviewed_says_so_and_counts_as_seen(user_client, user):
    """A review says you saw the film: the lists say "Seen" and the stats count it, so
    the film's own page does not say you never watched it."""
    movie = MovieFactory()
    when = dt.datetime(2024, 5, 6, 20, tzinfo=dt.UTC)
    review = ReviewFactory(member=True, movie=movie, user=user, posted_at=when, text="Saw it.")

    html = page(user_client, movie).content.decode()

    assert "You have not rated or watched this film yet." not in html
    said = re.search(
        r"<p>You <a href=\"#your-review-heading\">reviewed it</a>(.*?)</p>", html, re.S
    )
    assert said is not None
    assert "6 May 2024" in said.group(1)
    assert "so it counts as seen" in said.group(1)
    assert 'id="your-review-heading">Your review<' in html
    assert review.text in html
