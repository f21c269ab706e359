"""The admin lists of tables of millions of rows do not count every row on each page:
unfiltered, on PostgreSQL, they show the planner's estimate ("about 25,000,000
ratings") when it is big (config/admin_counts.py); filtered, searched, small or on SQLite
they count. The estimate is set here as ANALYZE would set it, in pg_class (the tests run
as PostgreSQL's superuser; the test's transaction undoes it)."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse

from catalog.admin import RatingAdmin
from catalog.models import MovieTag, Rating, UserSearch
from config.admin_counts import ESTIMATED_ABOVE
from feedback.models import ViewingHistory
from recommendations.models import MovieSimilarity, RecommendationLog
from tests.factories import RatingFactory

pytestmark = pytest.mark.django_db

RATINGS_URL = reverse("admin:catalog_rating_changelist")
ESTIMATE = 25_000_000
LOGGED_IN = 2  # the session, then the user


@pytest.fixture
def ratings():
    return RatingFactory.create_batch(3, external=True)


def analyzed_as(rows: int, table: str = "catalog_rating") -> None:
    """On PostgreSQL, give the table the estimate ANALYZE would have left."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE pg_class SET reltuples = %s WHERE oid = to_regclass(%s)", [rows, table]
            )


def listed(response):
    assert response.status_code == HTTPStatus.OK
    changelist = response.context["cl"]
    return changelist.result_count, changelist.paginator.estimated, response.content.decode()


def test_an_unfiltered_list_of_a_big_table_shows_the_estimate(staff_client, ratings):
    analyzed_as(ESTIMATE)
    count, estimated, page = listed(staff_client.get(RATINGS_URL))
    if connection.vendor == "postgresql":
        assert (count, estimated) == (ESTIMATE, True)
        assert "about 25,000,000 ratings" in page
        last = ESTIMATE // RatingAdmin.list_per_page
        assert f'href="?p={last}"' in page  # the page links run to the estimate's end
    else:
        # No estimate on SQLite: its count of five million rows is a fifth of a second.
        assert (count, estimated) == (3, False)
        assert "3 ratings" in page
        assert "about" not in page


@pytest.mark.parametrize(
    "model", [Rating, MovieTag, UserSearch, ViewingHistory, RecommendationLog, MovieSimilarity]
)
def test_every_list_of_a_big_table_shows_the_estimate(staff_client, model):
    analyzed_as(ESTIMATE, model._meta.db_table)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    count, estimated, _ = listed(staff_client.get(url))
    on_postgresql = connection.vendor == "postgresql"
    assert (count, estimated) == ((ESTIMATE, True) if on_postgresql else (0, False))


@pytest.mark.parametrize("searched", [False, True])
def test_a_filtered_or_searched_list_counts_its_rows(staff_client, ratings, searched):
    RatingFactory()  # a Marquee user's: the filter leaves it out
    analyzed_as(ESTIMATE)
    narrowed = {"q": ratings[0].external_rater_id} if searched else {"source__exact": "movielens"}
    count, estimated, page = listed(staff_client.get(RATINGS_URL, narrowed))
    assert (count, estimated) == (1 if searched else 3, False)
    assert "about" not in page


@pytest.mark.parametrize("rows", [ESTIMATED_ABOVE, -1])
def test_a_small_or_never_analyzed_table_is_counted(staff_client, ratings, rows):
    # -1: PostgreSQL's estimate of a table never analyzed (14 and later).
    analyzed_as(rows)
    count, estimated, page = listed(staff_client.get(RATINGS_URL))
    assert (count, estimated) == (3, False)
    assert "3 ratings" in page


def test_a_page_past_the_last_gives_the_last(staff_client, ratings, monkeypatch):
    # Two a page: two pages of three ratings counted, ten million by the estimate.
    monkeypatch.setattr(RatingAdmin, "list_per_page", 2)
    analyzed_as(20_000_000)
    last = 10_000_000 if connection.vendor == "postgresql" else 2
    response = staff_client.get(RATINGS_URL, {"p": last + 5})
    assert response.status_code == HTTPStatus.OK  # was the "incorrect lookup" redirect
    assert response.context["cl"].result_list.count() == (0 if last > 2 else 1)
    # The estimate's last pages may be past the rows: shown empty, not an error.
    assert staff_client.get(RATINGS_URL, {"p": last}).status_code == HTTPStatus.OK
    assert staff_client.get(RATINGS_URL, {"p": 2}).context["cl"].result_list.count() == 1


def test_an_estimated_list_runs_no_count(staff_client, ratings, django_assert_num_queries):
    analyzed_as(ESTIMATE)
    staff_client.get(RATINGS_URL)  # the session's first save
    # The count or the estimate in one query, then the page's rows: as many as before.
    with django_assert_num_queries(LOGGED_IN + 2) as queries:
        count, _, _ = listed(staff_client.get(RATINGS_URL))
    counted = queries.captured_queries[LOGGED_IN]["sql"]
    if connection.vendor == "postgresql":
        assert "pg_class" in counted
        assert count == ESTIMATE  # not the three rows: the count's subquery did not run
    else:
        assert counted.startswith("SELECT COUNT(*)")


@pytest.mark.parametrize("filtered", [False, True])
def test_a_counted_list_runs_as_many_queries(
    staff_client, ratings, filtered, django_assert_num_queries
):
    narrowed = {"source__exact": "movielens"} if filtered else {}
    staff_client.get(RATINGS_URL, narrowed)
    with django_assert_num_queries(LOGGED_IN + 2):  # the count, then the rows
        count, estimated, _ = listed(staff_client.get(RATINGS_URL, narrowed))
    assert (count, estimated) == (3, False)


def test_select_all_says_about_as_the_count_does(staff_client, ratings, monkeypatch):
    monkeypatch.setattr(RatingAdmin, "list_per_page", 2)  # more rows than a page: "Select all"
    analyzed_as(ESTIMATE)
    _, _, page = listed(staff_client.get(RATINGS_URL))
    if connection.vendor == "postgresql":
        assert "Select all of about 25,000,000 ratings" in page
        assert "All of about 25,000,000 selected" in page
        assert "25000000" not in page  # nor as the rows a search found: "25000000 results"
        assert "results (" not in page
    else:
        assert "Select all 3 ratings" in page
        assert "All 3 selected" in page
        assert "about" not in page
