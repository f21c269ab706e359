"""/recommendations/: tonight's slate, choosing a pick, another slate, earlier slates."""

import datetime as dt
import re
import uuid
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Rating, RatingSource
from feedback.models import Media, UserFeedback
from feedback.watchlist import watchlist_add
from recommendations.models import MoviePrior, RecommendationLog, RecommendationType
from recommendations.views import slate_promise
from tests.factories import (
    MediaFactory,
    MovieFactory,
    MovieRelationshipFactory,
    RatingFactory,
    RecommendationLogFactory,
    ReviewFactory,
    UserFactory,
    UserFeedbackFactory,
    ViewingHistoryFactory,
)
from tests.recommendations.builders import fans, feedback, film, learn

pytestmark = pytest.mark.django_db

TONIGHT = reverse("recommendations:tonight")
ANOTHER = reverse("recommendations:another")


def select_url(row):
    return reverse("recommendations:select", args=[row.pk])


@pytest.fixture
def catalog(user):
    films = [
        film(f"Film {n}", ["Drama", "Comedy", "Western", "War", "Horror"][n % 5]) for n in range(15)
    ]
    fans("fans", 4, *films[:8])
    learn()
    feedback(user, films[0], rating=5)
    return films


def slate_ids(user):
    return set(RecommendationLog.objects.filter(user=user).values_list("slate_id", flat=True))


def test_the_page_needs_a_login(client):
    response = client.get(TONIGHT)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_tonight_shows_three_picks_with_reasons_and_buttons(catalog, user, user_client):
    response = user_client.get(TONIGHT)

    assert response.status_code == HTTPStatus.OK
    picks = response.context["tonight"]
    assert [p.recommendation_type for p in picks] == ["primary", "backup", "wildcard"]
    page = response.content.decode()
    for pick in picks:
        assert pick.reason
        assert pick.reason.replace("'", "&#x27;") in page
        assert f'action="{select_url(pick)}"' in page
    assert page.count(">Watch this<") == 3
    assert (
        "Three picks for you: the best match, a real alternative, and something different." in page
    )
    assert f'action="{ANOTHER}"' in page
    assert "csrfmiddlewaretoken" in page


def test_each_watch_this_button_names_its_film(catalog, user, user_client):
    """A screen reader lists the three buttons by name: each says which film it chooses."""
    response = user_client.get(TONIGHT)

    buttons = re.findall(r"<button[^>]*>(Watch this.*?)</button>", response.content.decode())
    names = [re.sub(r"<[^>]+>", "", button) for button in buttons]
    assert names == [
        f"Watch this tonight: {pick.media.title}" for pick in response.context["tonight"]
    ]


def test_opening_the_page_again_shows_the_same_slate(catalog, user, user_client):
    first = user_client.get(TONIGHT).context["tonight"]
    again = user_client.get(TONIGHT).context["tonight"]

    assert [p.pk for p in again] == [p.pk for p in first]
    assert len(slate_ids(user)) == 1


def test_yesterdays_slate_is_not_tonights(catalog, user, user_client):
    old = RecommendationLogFactory(
        user=user, timestamp=timezone.now() - dt.timedelta(days=1, hours=1)
    )

    response = user_client.get(TONIGHT)

    assert old.slate_id not in {p.slate_id for p in response.context["tonight"]}
    assert [s.slate_id for s in response.context["past_slates"]] == [old.slate_id]


def test_choosing_a_pick_marks_it_and_opens_its_films_page(catalog, user, user_client):
    pick = user_client.get(TONIGHT).context["tonight"][1]

    response = user_client.post(select_url(pick), follow=True)

    pick.refresh_from_db()
    assert pick.selected
    # The film's page, where it is logged and rated, not the item's page of ids.
    assert response.redirect_chain[0][0] == pick.media.movie.get_absolute_url()
    assert "I watched this" in response.content.decode()
    (message,) = (str(m) for m in response.context["messages"])
    assert message.startswith(f"Enjoy {pick.media.title}!")


def test_after_a_choice_the_page_keeps_the_slate_with_the_choice_marked(catalog, user, user_client):
    first = user_client.get(TONIGHT).context["tonight"]
    user_client.post(select_url(first[1]))
    logged = log_rows(user)

    response = user_client.get(TONIGHT)

    assert [p.pk for p in response.context["tonight"]] == [p.pk for p in first]
    assert [p.selected for p in response.context["tonight"]] == [False, True, False]
    assert response.context["chosen"] == first[1]
    assert response.context["past_slates"] == []
    page = response.content.decode()
    assert f"You picked <strong>{first[1].media.title}</strong>" in page
    assert page.count(">Watch this<") == 2  # the others can still be chosen
    assert f'action="{select_url(first[1])}"' not in page
    assert log_rows(user) == logged  # the reload wrote nothing


def log_rows(user):
    return list(RecommendationLog.objects.filter(user=user).order_by("pk").values_list())


def test_a_head_request_never_makes_a_slate(catalog, user, user_client):
    response = user_client.head(TONIGHT)

    assert response.status_code == HTTPStatus.OK
    assert not RecommendationLog.objects.filter(user=user).exists()


def test_a_slate_half_a_day_old_is_replaced(catalog, user, user_client):
    first = user_client.get(TONIGHT).context["tonight"]
    RecommendationLog.objects.filter(user=user).update(
        timestamp=timezone.now() - dt.timedelta(hours=12, minutes=1)
    )

    response = user_client.get(TONIGHT)

    assert first[0].slate_id not in {p.slate_id for p in response.context["tonight"]}
    assert [s.slate_id for s in response.context["past_slates"]] == [first[0].slate_id]


def test_a_slate_of_the_evening_stays_however_late(catalog, user, user_client):
    first = user_client.get(TONIGHT).context["tonight"]
    # Made 11:59 ago, from the person's rating given before it.
    made = timezone.now() - dt.timedelta(hours=11, minutes=59)
    RecommendationLog.objects.filter(user=user).update(timestamp=made)
    UserFeedback.objects.filter(user=user).update(timestamp=made - dt.timedelta(minutes=1))
    Rating.objects.filter(user=user).update(rated_at=made - dt.timedelta(minutes=1))

    response = user_client.get(TONIGHT)

    assert [p.pk for p in response.context["tonight"]] == [p.pk for p in first]
    assert len(slate_ids(user)) == 1


@pytest.mark.parametrize(
    "since",
    [
        lambda user, media: ViewingHistoryFactory(
            user=user, media=media, completed=False, started_at=timezone.now()
        ),
        # Logged since, dated before: to the end, so seen.
        lambda user, media: ViewingHistoryFactory(
            user=user, media=media, started_at=timezone.now() - dt.timedelta(days=3)
        ),
        lambda user, media: UserFeedbackFactory(user=user, media=MediaFactory(movie=media.movie)),
        # Stars alone, as the site writes them: feedback, and the Marquee rating behind it.
        lambda user, media: feedback(
            user, media.movie, watched_completion=None, would_watch_again=None, rating=2
        ),
        lambda user, media: ReviewFactory(member=True, user=user, movie=media.movie),
        # Stars an IMDb import brought: no feedback, and the engine counts the film seen.
        lambda user, media: RatingFactory(
            user=user, movie=media.movie, source=RatingSource.IMDB, value=8, scale_max=10
        ),
        lambda user, media: Media.objects.filter(pk=media.pk).update(movie=None),
    ],
    ids=[
        "started since",
        "watched to the end",
        "feedback on another media item",
        "rated",
        "reviewed",
        "rated elsewhere",
        "no longer a film",
    ],
)
def test_a_slate_with_a_pick_seen_or_gone_since_is_replaced(catalog, user, user_client, since):
    first = user_client.get(TONIGHT).context["tonight"]

    since(user, first[1].media)
    response = user_client.get(TONIGHT)

    assert first[1].slate_id not in {p.slate_id for p in response.context["tonight"]}
    assert [s.slate_id for s in response.context["past_slates"]] == [first[1].slate_id]


@pytest.mark.parametrize(
    "tell",
    [
        lambda user, movie: feedback(user, movie, rating=5),
        lambda user, movie: watchlist_add(user=user, movie=movie),
        lambda user, movie: ViewingHistoryFactory(
            user=user, media=MediaFactory(movie=movie), started_at=timezone.now()
        ),
    ],
    ids=["rated", "put on the watchlist", "watched"],
)
def test_a_slate_made_before_any_taste_is_replaced_once_some_is_given(catalog, client, tell):
    newcomer = UserFactory()
    client.force_login(newcomer)
    first = {p.slate_id for p in client.get(TONIGHT).context["tonight"]}
    shown = set(
        RecommendationLog.objects.filter(user=newcomer).values_list("media__movie", flat=True)
    )

    tell(newcomer, next(f for f in catalog if f.pk not in shown))
    response = client.get(TONIGHT)

    assert first.isdisjoint({p.slate_id for p in response.context["tonight"]})
    assert [s.slate_id for s in response.context["past_slates"]] == list(first)


def test_a_slate_made_from_taste_stays_when_another_film_is_rated(catalog, user, user_client):
    first = [p.pk for p in user_client.get(TONIGHT).context["tonight"]]
    shown = set(RecommendationLog.objects.filter(user=user).values_list("media__movie", flat=True))

    feedback(user, next(f for f in catalog[1:] if f.pk not in shown), rating=2)
    again = user_client.get(TONIGHT).context["tonight"]

    assert [p.pk for p in again] == first


def test_a_film_started_before_the_slate_does_not_make_it_stale(catalog, user, user_client):
    """A film only started is offered again (test_started.py): the slate that offers it
    is current until the person watches something of it since, or to the end."""
    primary = user_client.get(TONIGHT).context["tonight"][0].media
    RecommendationLog.objects.filter(user=user).delete()
    ViewingHistoryFactory(
        user=user,
        media=primary,
        completed=False,
        started_at=timezone.now() - dt.timedelta(days=2),
    )
    first = user_client.get(TONIGHT).context["tonight"]
    assert primary in {pick.media for pick in first}

    response = user_client.get(TONIGHT)

    assert [p.pk for p in response.context["tonight"]] == [p.pk for p in first]
    assert len(slate_ids(user)) == 1


@pytest.mark.parametrize(
    "later_today",
    [
        lambda user, movie, at: UserFeedback.objects.filter(
            pk=feedback(user, movie, watched_completion=False, would_watch_again=None).pk
        ).update(timestamp=at),
        lambda user, movie, at: ViewingHistoryFactory(
            user=user, media=MediaFactory(movie=movie), completed=False, started_at=at
        ),
    ],
    ids=["feedback not finished", "a viewing not finished"],
)
def test_a_film_given_up_on_later_today_does_not_replace_every_slate(
    catalog, user, user_client, later_today
):
    """Dated a few hours ahead (a Letterboxd rating of today lands at 8 pm, a day ahead at
    most is allowed): such a film is offered again, and its row is not "since" each new
    slate, or every visit logged one."""
    given_up = user_client.get(TONIGHT).context["tonight"][0].media.movie
    RecommendationLog.objects.filter(user=user).delete()
    later_today(user, given_up, timezone.now() + dt.timedelta(hours=3))
    watchlist_add(user=user, movie=given_up)  # offered first, so surely in the slate

    first = user_client.get(TONIGHT).context["tonight"]
    again = user_client.get(TONIGHT).context["tonight"]

    assert given_up in {pick.media.movie for pick in first}
    assert [p.pk for p in again] == [p.pk for p in first]
    assert len(slate_ids(user)) == 1


def test_once_the_chosen_pick_is_watched_a_new_slate_comes(catalog, user, user_client):
    first = user_client.get(TONIGHT).context["tonight"]
    user_client.post(select_url(first[0]))

    ViewingHistoryFactory(user=user, media=first[0].media)
    response = user_client.get(TONIGHT)

    assert first[0].slate_id not in {p.slate_id for p in response.context["tonight"]}
    (past,) = response.context["past_slates"]
    assert past.chosen == first[0]
    assert 'class="picked"' in response.content.decode()


def test_a_reload_after_a_choice_costs_a_fixed_number_of_queries(
    catalog, user, user_client, django_assert_num_queries
):
    past_slates(user, 12)
    first = user_client.get(TONIGHT).context["tonight"]
    user_client.post(select_url(first[2]))

    # Session and user 2, the current slate 1, the page of slates 2, their picks 2.
    with django_assert_num_queries(7):
        response = user_client.get(TONIGHT)

    assert response.context["chosen"] == first[2]
    assert len(response.context["past_slates"]) == 10


def test_making_the_slate_costs_a_fixed_number_of_queries(
    catalog, user, user_client, django_assert_num_queries
):
    past_slates(user, 12)  # all stale
    for movie in catalog:
        MediaFactory(movie=movie)  # as on a media server; else the first slate makes them

    # The 7 of a reload, plus the engine's 22 for a logged slate, plus 4 to take turns
    # with other loads of the page: the person's row locked and their newest slate read
    # again, in a transaction (its savepoint and release here).
    with django_assert_num_queries(7 + 22 + 4):
        response = user_client.get(TONIGHT)

    assert len(response.context["tonight"]) == 3
    assert len(slate_ids(user)) == 13


def test_another_slate_avoids_what_was_just_shown(catalog, user, user_client):
    first = {p.media.movie_id for p in user_client.get(TONIGHT).context["tonight"]}

    response = user_client.post(ANOTHER, follow=True)

    second = {p.media.movie_id for p in response.context["tonight"]}
    assert len(second) == 3
    assert not first & second
    assert len(slate_ids(user)) == 2
    assert len(response.context["past_slates"]) == 1


def movies_of(response):
    return [pick.media.movie_id for pick in response.context["tonight"]]


def test_another_slate_keeps_offering_films_not_yet_offered(user, user_client):
    films = [film(f"Film {n}", ["Drama", "Comedy", "Western", "War"][n % 4]) for n in range(60)]
    fans("fans", 4, *films[:40])
    learn()
    feedback(user, films[0], rating=5)
    offered = movies_of(user_client.get(TONIGHT))

    for _ in range(12):
        response = user_client.post(ANOTHER, follow=True)
        slate = movies_of(response)
        assert len(slate) == 3
        assert not set(slate) & set(offered)
        offered += slate
        (message,) = (str(m) for m in response.context["messages"])
        assert message == "Here is another slate, with none of the films you were just shown."

    assert len(set(offered)) == 39


def test_once_every_film_was_offered_they_come_back_and_the_page_says_so(
    catalog, user, user_client
):
    offered = movies_of(user_client.get(TONIGHT))  # 14 unseen films: four slates and two
    for _ in range(3):
        offered += movies_of(user_client.post(ANOTHER, follow=True))
    assert len(set(offered)) == 12

    response = user_client.post(ANOTHER, follow=True)

    slate = set(movies_of(response))
    assert {movie.pk for movie in catalog[1:]} - set(offered) <= slate
    assert slate & set(offered[:3])  # the first slate comes back first
    (message,) = (str(m) for m in response.context["messages"])
    assert "You have been offered everything else we would suggest" in message


def test_choosing_a_pick_whose_film_was_deleted_opens_its_items_page(user, user_client):
    row = RecommendationLogFactory(user=user, media=MediaFactory(movie=None))

    response = user_client.post(select_url(row))

    assert response["Location"] == row.media.get_absolute_url()


def test_someone_elses_pick_answers_404(catalog, user_client, other_user):
    theirs = RecommendationLogFactory(user=other_user)

    response = user_client.post(select_url(theirs))

    assert response.status_code == HTTPStatus.NOT_FOUND
    theirs.refresh_from_db()
    assert not theirs.selected


def test_choosing_and_another_slate_take_posts_only_a_get_goes_to_tonight(
    catalog, user, user_client
):
    row = RecommendationLogFactory(user=user)

    assert user_client.get(select_url(row))["Location"] == TONIGHT
    assert user_client.get(ANOTHER)["Location"] == TONIGHT
    assert slate_ids(user) == {row.slate_id}
    row.refresh_from_db()
    assert not row.selected


def test_posts_need_the_csrf_token(catalog, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    row = RecommendationLogFactory(user=user)

    assert client.post(select_url(row)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(ANOTHER).status_code == HTTPStatus.FORBIDDEN
    row.refresh_from_db()
    assert not row.selected
    assert slate_ids(user) == {row.slate_id}


def test_an_empty_catalog_says_so(user_client):
    response = user_client.get(TONIGHT)

    assert response.status_code == HTTPStatus.OK
    assert response.context["tonight"] == []
    page = response.content.decode()
    assert "Nothing to suggest yet: the catalog has no films." in page
    assert "Staff can import some." in page
    assert f'action="{ANOTHER}"' not in page


def see_everything(user, films):
    """Every film seen, each as the film lists and the engine count it: feedback (stars
    alone count), a viewing to the end or a review."""
    for n, movie in enumerate(films):
        if n % 3 == 0:
            feedback(user, movie, rating=2, watched_completion=None, would_watch_again=None)
        elif n % 3 == 1:
            # Finished: a film only started is still to be seen (test_started.py).
            ViewingHistoryFactory(user=user, media=MediaFactory(movie=movie), completed=True)
        else:
            ReviewFactory(member=True, user=user, movie=movie)


def test_someone_who_has_seen_every_film_is_told_so(catalog, user, user_client):
    see_everything(user, catalog)

    response = user_client.get(TONIGHT)

    assert response.context["tonight"] == []
    page = response.content.decode()
    assert "You have seen or rated every film in the catalog" in page
    assert "Staff can import more films." in page
    assert "Add films to the catalog, or rate a few" not in page
    assert f'action="{ANOTHER}"' not in page
    assert not RecommendationLog.objects.filter(user=user).exists()


def test_a_rating_without_feedback_counts_as_seen_in_what_the_page_says(catalog, user, user_client):
    """The engine counts a person's rating as seen (one restored from an export, or added
    in the admin, with no feedback behind it): so does the page's reason for no slate."""
    *seen, rated = catalog
    see_everything(user, seen)
    RatingFactory(user=user, movie=rated)

    page = user_client.get(TONIGHT).content.decode()

    assert "You have seen or rated every film in the catalog" in page


def test_an_episode_given_up_on_leaves_ratings_counted_as_seen(catalog, user, user_client):
    """Feedback on an item of no film (an episode) has no film id: the ratings still count
    as seen. The page once read them through NOT IN over a list holding that NULL, which
    is never true, so one episode given up on hid every rating and the page said the
    films were not learnt yet."""
    *seen, rated = catalog
    see_everything(user, seen)
    RatingFactory(user=user, movie=rated)
    UserFeedbackFactory(user=user, media=MediaFactory(movie=None), watched_completion=False)

    page = user_client.get(TONIGHT).content.decode()

    assert "You have seen or rated every film in the catalog" in page


def test_someone_who_gave_up_on_every_series_left_is_told_so(user, user_client):
    """The films not seen are all of a series the person walked out of: the engine offers
    none of them (engine/ranking.py), and the page says that, not that the engine has
    still to learn them."""
    first, second = film("Alien", "Horror"), film("Aliens", "Horror")
    MovieRelationshipFactory(from_movie=first, to_movie=second, relationship_type="sequel")
    fans("horror", 5, first, second)
    learn()
    feedback(user, first, rating=1, would_watch_again=False)

    page = user_client.get(TONIGHT).content.decode()

    assert NOTHING_BUT_TURNED_AWAY in page
    assert "after the engine last learnt" not in page
    assert f'href="{reverse("catalog:movie_list")}"' in page


def test_someone_who_gave_up_on_the_one_film_left_is_told_so(user, user_client):
    """A film in no series, given up on and rated 1: the engine never offers it again."""
    left, seen = film("Alien", "Horror"), film("Heat", "Crime")
    fans("horror", 5, left, seen)
    learn()
    feedback(user, seen, rating=4)
    feedback(user, left, rating=1, watched_completion=False, would_watch_again=None)

    page = user_client.get(TONIGHT).content.decode()

    assert NOTHING_BUT_TURNED_AWAY in page
    assert "You have seen or rated every film" not in page


NOTHING_BUT_TURNED_AWAY = (
    "every film you have not seen is one you gave up on, disliked or turned down, or of a "
    "series you gave up on or disliked"
)


def test_films_added_after_the_last_build_are_suggested_without_a_build(user, user_client):
    """No prior yet for a film imported since build_similarities: it competes on its
    popularity (engine/sources.py), so the page has picks, not an excuse."""
    heat = film("Heat", "Crime")
    fans("crime", 5, heat)
    learn()
    added = film("Ronin", "Crime", popularity=50)
    feedback(user, heat, rating=5)

    response = user_client.get(TONIGHT)

    assert [pick.media.movie_id for pick in response.context["tonight"]][:1] == [added.pk]


def test_staff_who_have_seen_every_film_get_the_import_page(catalog, staff_user, client):
    see_everything(staff_user, catalog)
    client.force_login(staff_user)

    page = client.get(TONIGHT).content.decode()

    assert "You have seen or rated every film in the catalog" in page
    assert f'href="{reverse("admin:catalog_movie_import")}"' in page


@pytest.mark.parametrize(
    ("codenames", "linked"),
    [
        (["add_movie"], False),  # the import page would refuse them
        (["add_review", "change_review"], False),  # tweets add no films
        (
            ["add_movie", "change_movie", "add_genre", "change_genre"]
            + ["add_rating", "change_rating", "add_movierelationship", "change_movierelationship"],
            True,  # a TMDB import
        ),
    ],
)
def test_the_import_link_is_for_staff_who_may_import_films(client, codenames, linked):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames)
    )
    client.force_login(staff)

    page = client.get(TONIGHT).content.decode()

    assert "the catalog has no films" in page
    assert (f'href="{reverse("admin:catalog_movie_import")}"' in page) is linked
    assert ("Staff can import some." in page) is not linked


def test_a_film_added_since_the_last_build_is_suggested_already(catalog, user, user_client):
    see_everything(user, catalog)
    added = film("Added since", "Drama")  # no prior and no neighbours until the next build

    response = user_client.get(TONIGHT)

    assert [pick.media.movie for pick in response.context["tonight"]] == [added]


def test_films_the_last_build_missed_are_said_to_be_coming(catalog, user, user_client):
    see_everything(user, catalog)
    # Added while the build ran, with an id below the ones it learnt: it has no prior
    # until the next build, and nothing to say it is new.
    missed = film("Committed late", "Drama")
    first = film("Committed first", "Drama")
    learn()
    MoviePrior.objects.filter(movie=missed).delete()
    see_everything(user, [first])

    page = user_client.get(TONIGHT).content.decode()

    assert "the films you have not seen were added to the catalog after the engine" in page
    assert "You have seen or rated every film" not in page


def past_slates(user, count):
    for n in range(count):
        slate = uuid.uuid4()
        shown = timezone.now() - dt.timedelta(days=n + 1)
        for index, slot in enumerate(["primary", "backup", "wildcard"]):
            RecommendationLogFactory(
                user=user,
                slate_id=slate,
                recommendation_type=slot,
                timestamp=shown,
                selected=index == n % 3,
                media=MediaFactory(),
            )


def test_earlier_slates_are_paginated_in_a_fixed_number_of_queries(
    catalog, user, user_client, django_assert_num_queries
):
    past_slates(user, 25)
    user_client.get(TONIGHT)  # logs tonight's slate

    # Session and user 2, tonight's slate 1, the page of slates 2, their picks 2.
    with django_assert_num_queries(7):
        response = user_client.get(TONIGHT, {"page": 2})

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["past_slates"]) == 10
    assert all(len(slate.picks) == 3 for slate in response.context["past_slates"])
    assert "Page 2 of 3" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_one(catalog, user_client, user):
    past_slates(user, 3)

    response = user_client.get(TONIGHT, {"page": "99x"})

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["past_slates"]) == 3


def test_a_watchlist_film_said_not_finished_is_offered_as_the_film_lists_count_it(
    user, user_client
):
    """A reviewer's case: one film finished, the other given up on (feedback says so) and
    on the watchlist. The film lists call it unseen; the page offers it, not "seen all"."""
    finished, given_up = film("Finished", "Drama"), film("Given up", "Drama")
    learn()
    ViewingHistoryFactory(user=user, media=MediaFactory(movie=finished))
    feedback(user, given_up, watched_completion=False, would_watch_again=None, rating=None)
    watchlist_add(user=user, movie=given_up)

    unseen = user_client.get(reverse("catalog:movie_list"), {"seen": "unseen"})
    response = user_client.get(TONIGHT)

    assert [movie.pk for movie in unseen.context["object_list"]] == [given_up.pk]
    [primary] = response.context["tonight"]
    assert primary.media.movie_id == given_up.pk
    assert primary.reason.startswith("On your watchlist since")
    assert response.context["nothing"] is None


def test_feedback_not_finished_given_since_a_slate_replaces_it(catalog, user, user_client):
    """Given up on since it was shown, as a viewing started since (above)."""
    first = user_client.get(TONIGHT).context["tonight"]

    feedback(user, first[1].media.movie, watched_completion=False, would_watch_again=None)
    response = user_client.get(TONIGHT)

    assert first[1].slate_id not in {p.slate_id for p in response.context["tonight"]}


@pytest.mark.parametrize(
    ("films", "said"),
    [
        (1, "One pick for you: the best match."),
        (2, "Two picks for you: the best match and a real alternative."),
    ],
    ids=["one film", "two films"],
)
def test_a_short_slate_promises_only_what_it_shows(user_client, films, said):
    for n in range(films):
        MovieFactory(title=f"Film {n}", runtime_minutes=100 + 40 * n)

    response = user_client.get(TONIGHT)

    assert len(response.context["tonight"]) == films
    page = response.content.decode()
    assert said in page
    assert "Three picks" not in page


def test_a_slate_without_a_backup_names_its_wildcard():
    picks = [
        RecommendationLog(recommendation_type=RecommendationType.PRIMARY),
        RecommendationLog(recommendation_type=RecommendationType.WILDCARD),
    ]

    assert slate_promise(picks) == "Two picks for you: the best match and something different."
