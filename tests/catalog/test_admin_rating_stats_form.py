"""The admin's rating stats form refuses stats without votes with the table's own words.

The refused form is drawn again with the values it refused, and the row's name divided
its score by its votes: votes = 0 was a ZeroDivisionError, a 500.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from catalog.models import MovieRatingStats
from tests.factories import MovieRatingStatsFactory

pytestmark = pytest.mark.django_db


def test_stats_without_votes_are_refused_in_words(staff_client):
    stats = MovieRatingStatsFactory(votes=4, score=3.0)
    url = reverse("admin:catalog_movieratingstats_change", args=[stats.pk])

    response = staff_client.post(url, {"movie": stats.pk, "votes": "0", "score": "0"})

    assert response.status_code == HTTPStatus.OK
    assert "Stats count at least one vote, each scoring 0 to 1." in response.text
    stats.refresh_from_db()
    assert (stats.votes, stats.score) == (4, 3.0)


def test_stats_name_their_average():
    stats = MovieRatingStats(votes=4, score=3.0)

    assert stats.average == 0.75
    assert MovieRatingStats(votes=0, score=0.0).average is None
