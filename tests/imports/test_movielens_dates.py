"""import_movielens refuses a rating's or a tag's timestamp later than tomorrow, as
Rating.rated_at and MovieTag.tagged_at are validated: ten digits reach 2286, which the
database's CHECK (before 2200) would refuse, failing the whole batch or file."""

import pytest
from django.utils import timezone

from catalog.bounds import CLOCK_SKEW
from catalog.models import MovieTag, Rating
from tests.imports.conftest import write_movielens

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["as the database chooses", "row by row"])
def test_a_timestamp_later_than_tomorrow_is_rejected(run_import, tmp_path, request, path):
    if path == "row by row":
        request.getfixturevalue("row_by_row")
    now = int(timezone.now().timestamp())
    in_two_days = now + 2 * int(CLOCK_SKEW.total_seconds())
    lines = [f"1,1,{{}},{now}", f"2,1,{{}},{in_two_days}", "3,1,{},9999999999"]
    directory = write_movielens(
        tmp_path / "ml",
        movies=["1,Alpha (2001),Drama"],
        ratings=[line.format("4.0") for line in lines],
        tags=[line.format("slow") for line in lines],
    )

    out, err = run_import("import_movielens", directory)

    assert err.splitlines() == [
        f"ratings.csv:3: timestamp '{in_two_days}' is later than tomorrow",
        "ratings.csv:4: timestamp '9999999999' is later than tomorrow",
        f"tags.csv:3: timestamp '{in_two_days}' is later than tomorrow",
        "tags.csv:4: timestamp '9999999999' is later than tomorrow",
    ]
    assert "ratings: 1 created, 0 updated, 0 skipped, 2 rejected" in out
    assert "tags: 1 created, 0 updated, 0 skipped, 2 rejected" in out
    assert list(Rating.objects.values_list("external_rater_id", flat=True)) == ["1"]
    assert list(MovieTag.objects.values_list("external_rater_id", flat=True)) == ["1"]
