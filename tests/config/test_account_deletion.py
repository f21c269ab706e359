"""Deleting one's own account: asked first, with the password, by POST; it deletes exactly
what was the person's, leaves the shared catalog and everyone else's data, takes their
votes out of the films' stats, and logs them out."""

import re
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Movie, MovieRatingStats, Rating, Review, UserSearch
from config.account_settings import WRONG_PASSWORD_MESSAGE
from config.services import STAFF_DELETION_MESSAGE, account_delete
from feedback.models import (
    FilmList,
    FilmListEntry,
    Media,
    UserFeedback,
    ViewingHistory,
    WatchlistEntry,
)
from feedback.services import feedback_record
from recommendations.models import RecommendationLog
from tests.config.test_account_settings import SETTINGS_QUERIES, give_rows
from tests.factories import (
    FilmListEntryFactory,
    MediaFactory,
    MovieFactory,
    RecommendationLogFactory,
    ReviewFactory,
    UserFactory,
    UserSearchFactory,
    ViewingHistoryFactory,
    WatchlistEntryFactory,
)
from tests.rating_stats import assert_stats_match_the_ratings

pytestmark = pytest.mark.django_db

DELETE_URL = reverse("account_delete")
OWN_TABLES = (
    UserFeedback,
    ViewingHistory,
    WatchlistEntry,
    Rating,
    RecommendationLog,
    Review,
    FilmList,
)


def delete_account(client, password):
    return client.post(DELETE_URL, {"password": password})


def rows_of(user) -> dict[str, int]:
    return {model.__name__: model.objects.filter(user=user).count() for model in OWN_TABLES}


def still_there(user) -> bool:
    return get_user_model().objects.filter(pk=user.pk).exists()


@pytest.fixture
def shared_film():
    """A film both people rated and watched, through one media item."""
    return MediaFactory(movie=MovieFactory(title="Heat"))


@pytest.fixture
def leaving(user, shared_film):
    feedback_record(user=user, media=shared_film, rating=5)
    ViewingHistoryFactory(user=user, media=shared_film)
    WatchlistEntryFactory(user=user)
    RecommendationLogFactory(user=user, media=shared_film)
    ReviewFactory(member=True, user=user, movie=shared_film.movie)
    FilmListEntryFactory(film_list__user=user, movie=shared_film.movie)
    give_rows(user, films=3)
    return user


@pytest.fixture
def staying(other_user, shared_film):
    feedback_record(user=other_user, media=shared_film, rating=3)
    ViewingHistoryFactory(user=other_user, media=shared_film)
    WatchlistEntryFactory(user=other_user, movie=shared_film.movie)
    RecommendationLogFactory(user=other_user, media=shared_film)
    ReviewFactory(member=True, user=other_user, movie=shared_film.movie)
    FilmListEntryFactory(film_list__user=other_user, movie=shared_film.movie)
    return other_user


class TestConfirmationPage:
    def test_needs_an_account(self, client):
        assert client.get(DELETE_URL).url == f"{reverse('login')}?next={DELETE_URL}"

    def test_says_what_is_deleted_and_offers_the_export_first_without_deleting(
        self, client, leaving
    ):
        client.force_login(leaving)

        response = client.get(DELETE_URL)

        assert response.status_code == HTTPStatus.OK
        assert still_there(leaving)
        assert rows_of(leaving) == dict.fromkeys(rows_of(leaving), 4)
        html = response.content.decode()
        assert "<h1>Delete your account?</h1>" in html
        said_rows = ("Feedback", "Viewing history", "Watchlist", "Ratings", "Recommendation log")
        for said in (*said_rows, "Reviews"):
            assert f"<dt>{said}</dt>" in html
        assert "4 viewings" in html
        assert reverse("exports:download", args=["csv"]) in html
        assert '<button type="submit">Delete my account</button>' in html

    def test_reads_a_fixed_number_of_queries(
        self, client, leaving, staying, django_assert_num_queries
    ):
        client.force_login(leaving)

        with django_assert_num_queries(SETTINGS_QUERIES):
            response = client.get(DELETE_URL)

        assert response.context["own_rows"]["feedback"] == 4


class TestDeletion:
    def test_deletes_exactly_the_person_s_rows_and_keeps_the_shared_ones(
        self, client, leaving, staying, password
    ):
        search = UserSearchFactory(user=leaving, query="heat")
        media_before, movies_before = Media.objects.count(), Movie.objects.count()
        staying_before = rows_of(staying)
        client.force_login(leaving)

        response = delete_account(client, password)

        assert response.status_code == HTTPStatus.FOUND
        assert response.url == reverse("catalog:home")
        assert not still_there(leaving)
        assert rows_of(leaving) == dict.fromkeys(rows_of(leaving), 0)
        assert rows_of(staying) == staying_before == dict.fromkeys(staying_before, 1)
        assert (Media.objects.count(), Movie.objects.count()) == (media_before, movies_before)
        search.refresh_from_db()
        assert (search.user, search.query) == (None, "heat")

    def test_searches_stay_without_a_name_and_leave_the_most_searched_list(
        self, client, leaving, password
    ):
        # As the delete page says: a search without a name is nobody's, and the list
        # counts people, once each.
        for person in (leaving, *UserFactory.create_batch(3)):
            UserSearchFactory(user=person, query="Heat", names_a_film=True, results_count=1)
        assert [row["people"] for row in UserSearch.objects.most_searched()] == [4]
        client.force_login(leaving)

        delete_account(client, password)

        assert UserSearch.objects.filter(user=None, query="Heat").count() == 1
        assert [row["people"] for row in UserSearch.objects.most_searched()] == [3]

    def test_the_films_they_rated_are_scored_again_without_them(
        self, client, leaving, staying, shared_film, password
    ):
        only_theirs = UserFeedback.objects.filter(user=leaving).exclude(media=shared_film)
        only_theirs = [feedback.media.movie_id for feedback in only_theirs]
        # 5 and 3 stars on 1-5: 1.0 and 0.5, from two votes.
        assert MovieRatingStats.objects.get(movie=shared_film.movie).score == 1.5
        client.force_login(leaving)

        delete_account(client, password)

        stats = MovieRatingStats.objects.get(movie=shared_film.movie)
        assert (stats.votes, stats.score) == (1, 0.5)
        assert not MovieRatingStats.objects.filter(movie__in=only_theirs).exists()
        assert_stats_match_the_ratings()

    def test_logs_out_and_says_so_on_the_home_page(self, client, leaving, password):
        client.force_login(leaving)
        elsewhere = Client()
        elsewhere.force_login(leaving)

        response = delete_account(client, password)
        html = client.get(response.url).content.decode()

        assert f"The account {leaving.username} is deleted" in html
        assert "_auth_user_id" not in client.session
        assert 'class="current-user"' not in html
        # Another browser the person was logged in with is logged out too.
        assert reverse("login") in elsewhere.get(reverse("account_settings")).url

    def test_a_wrong_password_keeps_everything(self, client, leaving):
        before = rows_of(leaving)
        client.force_login(leaving)

        response = delete_account(client, "not-my-password")

        assert response.status_code == HTTPStatus.OK
        assert (
            f'id="id_password_error"><p class="error">{WRONG_PASSWORD_MESSAGE}</p>'
            in response.content.decode()
        )
        assert still_there(leaving)
        assert rows_of(leaving) == before
        assert client.session["_auth_user_id"] == str(leaving.pk)

    def test_logged_out_a_post_deletes_nothing_and_asks_to_log_in(self, client, user, password):
        response = delete_account(client, password)

        assert response.url.startswith(reverse("login"))
        assert still_there(user)

    def test_needs_the_form_s_csrf_token(self, leaving, password):
        client = Client(enforce_csrf_checks=True)
        client.force_login(leaving)

        refused = delete_account(client, password)
        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert still_there(leaving)

        html = client.get(DELETE_URL).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        client.post(DELETE_URL, {"password": password, "csrfmiddlewaretoken": token})
        assert not still_there(leaving)

    def test_takes_as_many_queries_for_a_long_history_as_for_a_short_one(self):
        """Every table is emptied of the person's rows in one DELETE, whatever their count."""
        queries = []
        for films in (2, 12):
            person = UserFactory()
            give_rows(person, films=films)
            with CaptureQueriesContext(connection) as captured:
                account_delete(user=person)
            queries.append(len(captured))

        assert not any(model.objects.exists() for model in OWN_TABLES)
        assert not FilmListEntry.objects.exists()  # the lists' films went with them
        assert queries[0] == queries[1]

    def test_other_methods_are_refused(self, user_client, user):
        for method in (user_client.put, user_client.delete):
            assert method(DELETE_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert still_there(user)


class TestStaffAccounts:
    @pytest.mark.parametrize(
        "kind",
        [{"is_staff": True}, {"is_superuser": True}, {"is_staff": True, "is_superuser": True}],
    )
    def test_are_refused_and_pointed_to_the_admin(self, client, password, kind):
        staff = UserFactory(**kind)
        client.force_login(staff)

        page = client.get(DELETE_URL).content.decode()
        response = delete_account(client, password)

        assert STAFF_DELETION_MESSAGE in page
        assert 'name="password"' not in page
        assert response.status_code == HTTPStatus.OK
        assert STAFF_DELETION_MESSAGE in response.content.decode()
        assert still_there(staff)


class TestFailedLogIns:
    @pytest.fixture
    def locked_out(self, user, other_user, settings):
        """Both accounts locked out of log-in by wrong passwords, from another address than
        the owner's (who could not confirm the deletion with their password otherwise)."""
        elsewhere = Client(REMOTE_ADDR="203.0.113.9")
        for username in (user.username, other_user.username):
            for _ in range(settings.AXES_FAILURE_LIMIT):
                elsewhere.post(reverse("login"), {"username": username, "password": "wrong"})
        assert AccessAttempt.objects.filter(username=user.username).exists()

    def assert_gone_and_the_next_owner_logs_in(self, name, other_user, password):
        assert not AccessAttempt.objects.filter(username=name).exists()
        assert AccessAttempt.objects.filter(username=other_user.username).exists()
        UserFactory(username=name)
        logged_in = Client(REMOTE_ADDR="203.0.113.9").post(
            reverse("login"), {"username": name, "password": password}
        )
        assert logged_in.status_code == HTTPStatus.FOUND

    @pytest.mark.usefixtures("locked_out")
    def test_go_with_the_account_and_do_not_lock_out_the_next_owner_of_the_name(
        self, client, user, other_user, password
    ):
        client.force_login(user)

        delete_account(client, password)

        self.assert_gone_and_the_next_owner_logs_in(user.username, other_user, password)

    @pytest.mark.usefixtures("locked_out")
    def test_go_with_an_account_a_superuser_deletes_in_the_admin(
        self, staff_client, user, other_user, password
    ):
        url = reverse("admin:auth_user_delete", args=[user.pk])

        response = staff_client.post(url, {"post": "yes"})

        assert response.status_code == HTTPStatus.FOUND
        assert not still_there(user)
        self.assert_gone_and_the_next_owner_logs_in(user.username, other_user, password)

    @pytest.mark.usefixtures("locked_out")
    def test_go_with_accounts_deleted_together_from_the_admin_s_list(
        self, staff_client, user, other_user, password
    ):
        changelist = reverse("admin:auth_user_changelist")
        chosen = {"action": "delete_selected", "_selected_action": [user.pk]}

        staff_client.post(changelist, chosen | {"post": "yes"})

        assert not still_there(user)
        self.assert_gone_and_the_next_owner_logs_in(user.username, other_user, password)
