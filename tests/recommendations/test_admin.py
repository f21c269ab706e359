"""The admin: the log's filters, the neighbour and prior tables, the acceptance report."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.report import parse_weeks
from tests.factories import MoviePriorFactory, MovieSimilarityFactory, RecommendationLogFactory

pytestmark = pytest.mark.django_db

REPORT = reverse("admin:recommendations_recommendationlog_report")
CHANGELIST = reverse("admin:recommendations_recommendationlog_changelist")


@pytest.mark.parametrize(
    ("name", "factory"),
    [("moviesimilarity", MovieSimilarityFactory), ("movieprior", MoviePriorFactory)],
)
def test_staff_can_browse_the_learnt_tables(staff_client, name, factory):
    rows = [factory() for _ in range(3)]
    changelist = reverse(f"admin:recommendations_{name}_changelist")

    assert staff_client.get(changelist).status_code == HTTPStatus.OK
    assert staff_client.get(changelist, {"q": "Film"}).status_code == HTTPStatus.OK
    assert staff_client.get(reverse(f"admin:recommendations_{name}_add")).status_code == 200
    change = reverse(f"admin:recommendations_{name}_change", args=[rows[0].pk])
    assert staff_client.get(change).status_code == HTTPStatus.OK


def test_the_log_filters_by_type_selected_and_date(staff_client):
    RecommendationLogFactory(recommendation_type="wildcard", selected=True)
    RecommendationLogFactory(recommendation_type="backup")
    today = timezone.localdate()

    response = staff_client.get(
        CHANGELIST,
        {
            "recommendation_type__exact": "wildcard",
            "selected__exact": "1",
            "timestamp__year": today.year,
            "timestamp__month": today.month,
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 1
    assert f'href="{REPORT}"' in response.content.decode()


def shown(weeks_ago: int, slot: str, selected: bool, version="2026.11-1", slate=None):
    return RecommendationLogFactory(
        recommendation_type=slot,
        selected=selected,
        engine_version=version,
        timestamp=timezone.now() - dt.timedelta(weeks=weeks_ago),
        **({"slate_id": slate} if slate else {}),
    )


def test_the_report_charts_acceptance_per_slot_and_per_version(staff_client):
    first = shown(1, "primary", True)
    shown(1, "backup", False, slate=first.slate_id)
    shown(1, "primary", False)
    shown(0, "wildcard", True, version="2026.12-1")

    response = staff_client.get(REPORT)

    assert response.status_code == HTTPStatus.OK
    by_type, by_version = response.context["charts"]
    rates = {s.name: (s.chosen, s.shown) for s in by_type.series}
    assert rates == {"Primary": (1, 2), "Backup": (0, 1), "Wildcard": (1, 1)}
    versions = {s.name: (s.chosen, s.shown) for s in by_version.series}
    assert versions == {"2026.11-1": (1, 2), "2026.12-1": (1, 1)}
    page = response.content.decode()
    assert page.count('<svg class="acceptance-chart"') == 2
    assert "<polyline" in page
    assert "Primary, week of" in page
    assert "50%" in page
    # Drawn on the server: the only scripts are the admin's own, served locally.
    assert all(src.startswith("/static/admin/") for src in re.findall(r'src="([^"]*)"', page))


def test_the_report_without_data_and_with_bad_input(staff_client):
    response = staff_client.get(REPORT, {"weeks": "lots"})

    assert response.status_code == HTTPStatus.OK
    assert "No recommendations were shown in these weeks." in response.content.decode()
    assert parse_weeks("lots") == 12
    assert parse_weeks("-3") == 1
    assert parse_weeks("999") == 104


def test_the_report_leaves_out_older_weeks(staff_client):
    shown(30, "primary", True)

    response = staff_client.get(REPORT, {"weeks": "4"})

    assert all(not chart.series for chart in response.context["charts"])


def test_the_report_counts_whole_weeks_and_as_many_as_asked(staff_client):
    now = timezone.localtime()
    monday = (now - dt.timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # Within the last 7 days, whatever the day today, and in last week.
    RecommendationLogFactory(
        recommendation_type="primary", timestamp=monday - dt.timedelta(seconds=1)
    )
    RecommendationLogFactory(recommendation_type="primary", selected=True, timestamp=now)

    by_type, _ = staff_client.get(REPORT, {"weeks": "1"}).context["charts"]

    assert len(by_type.weeks) == 1
    assert {s.name: (s.chosen, s.shown) for s in by_type.series} == {"Primary": (1, 1)}
    by_type, _ = staff_client.get(REPORT, {"weeks": "2"}).context["charts"]
    assert {s.name: (s.chosen, s.shown) for s in by_type.series} == {"Primary": (1, 2)}


def test_the_report_is_for_staff_only(client, user_client):
    for visitor in (client, user_client):
        response = visitor.get(REPORT)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("admin:login"))
