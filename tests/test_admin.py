"""Every model's admin pages open for staff, and for nobody else."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    "catalog.genre": factories.GenreFactory,
    "catalog.movie": factories.MovieFactory,
    "catalog.review": factories.ReviewFactory,
    "catalog.rating": factories.RatingFactory,
    "catalog.usersearch": factories.UserSearchFactory,
    "catalog.movierelationship": factories.MovieRelationshipFactory,
    "catalog.movietag": factories.MovieTagFactory,
    "catalog.movieratingstats": factories.MovieRatingStatsFactory,
    "feedback.media": factories.MediaFactory,
    "feedback.userfeedback": factories.UserFeedbackFactory,
    "feedback.viewinghistory": factories.ViewingHistoryFactory,
    "feedback.watchlistentry": factories.WatchlistEntryFactory,
    "feedback.notinterested": factories.NotInterestedFactory,
    "feedback.filmlist": factories.FilmListFactory,
    "feedback.filmlistentry": factories.FilmListEntryFactory,
    "feedback.usertimezone": factories.UserTimeZoneFactory,
    "feedback.pendingemailchange": factories.PendingEmailChangeFactory,
    "recommendations.recommendationlog": factories.RecommendationLogFactory,
    "recommendations.moviesimilarity": factories.MovieSimilarityFactory,
    "recommendations.movieprior": factories.MoviePriorFactory,
}


def test_every_project_model_has_an_admin_and_a_factory_here():
    registered = {
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.app_label in {"catalog", "feedback", "recommendations"}
    }
    assert registered == set(FACTORIES)


def admin_url(label, view, *args):
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_staff_can_list_search_add_and_change(staff_client, label):
    obj = FACTORIES[label]()
    for _ in range(3):
        FACTORIES[label]()

    listed = staff_client.get(admin_url(label, "changelist"))
    assert listed.status_code == HTTPStatus.OK
    assert listed.context["cl"].result_count >= 4  # the rows above, at least
    searched = staff_client.get(admin_url(label, "changelist"), {"q": "a"})
    assert searched.status_code == HTTPStatus.OK
    assert staff_client.get(admin_url(label, "add")).status_code == HTTPStatus.OK
    assert staff_client.get(admin_url(label, "change", obj.pk)).status_code == HTTPStatus.OK


@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_anonymous_users_are_sent_to_log_in(client, label):
    response = client.get(admin_url(label, "changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_users_who_are_not_staff_get_no_access(user_client, label):
    obj = FACTORIES[label]()
    for url in (admin_url(label, "changelist"), admin_url(label, "change", obj.pk)):
        response = user_client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("admin:login"))


def test_staff_can_add_a_movie_through_the_admin(staff_client):
    genre = factories.GenreFactory(name="Drama")
    response = staff_client.post(
        admin_url("catalog.movie", "add"),
        {
            "title": "Tokyo Story",
            "original_title": "東京物語",
            "release_date": "1953-11-03",
            "year": "1953",
            "runtime_minutes": "136",
            "tmdb_id": "18148",
            "imdb_id": "tt0046438",
            "genres": [genre.pk],
            "popularity": "12.5",
            **inline_management_forms(),
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    from catalog.models import Movie

    movie = Movie.objects.get(tmdb_id=18148)
    assert movie.original_title == "東京物語"
    assert list(movie.genres.all()) == [genre]


def test_the_admin_shows_the_same_message_as_the_constraint(staff_client):
    factories.MovieFactory(imdb_id="tt0046438")
    response = staff_client.post(
        admin_url("catalog.movie", "add"),
        {"title": "Copy", "imdb_id": "tt46438", "popularity": "0", **inline_management_forms()},
    )
    assert response.status_code == HTTPStatus.OK
    assert "An IMDb id is &#x27;tt&#x27; followed by 7 to 10 digits." in response.content.decode()


def inline_management_forms():
    data = {}
    for prefix in ("relationships_from", "ratings"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data
