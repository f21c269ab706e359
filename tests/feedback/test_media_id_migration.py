"""Feedback migration 0016 gives each media item whose id breaks the new rule (a control
character, a "." or ".." part) the nearest id that fits, everything on it moving with it;
where that id is another item's already, it stops, changing nothing, and names them."""

import contextlib
from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.contrib.admin.utils import quote
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.conftest import assert_refused_by_database
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("feedback", "0015_unicode_case_on_sqlite")
MIGRATION = "0016_media_ids_fit_their_address"
WHEN = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)


@contextlib.contextmanager
def feedback_before_0016():
    """The models before the migration, the recommendation log's included (models_before
    gives feedback's and what it depends on, which the log is not)."""
    with models_before(*BEFORE):
        nodes = [BEFORE, ("recommendations", "0003_log_timestamp_plausible")]
        yield MigrationExecutor(connection).loader.project_state(nodes).apps


def item_with_rows(apps, person, media_id: str, rating: int) -> None:
    """An item of no film with the person's feedback, a viewing and a recommendation."""
    media = apps.get_model("feedback", "Media").objects.create(
        media_id=media_id, title=f"Item {rating}", media_type="episode", folded_title="item"
    )
    apps.get_model("feedback", "UserFeedback").objects.create(
        user=person, media=media, rating=rating, timestamp=WHEN
    )
    apps.get_model("feedback", "ViewingHistory").objects.create(
        user=person, media=media, started_at=WHEN, minutes_watched=rating, completed=True
    )
    apps.get_model("recommendations", "RecommendationLog").objects.create(
        user=person, media=media, recommendation_type="primary", engine_version="test",
        timestamp=WHEN,
    )  # fmt: skip


def rows_by_item(apps) -> set[tuple]:
    """Each item's id and title, with what its feedback, viewing and pick hold."""
    picks = apps.get_model("recommendations", "RecommendationLog").objects
    return {
        (
            media.media_id,
            media.title,
            tuple(media.feedback.values_list("user__username", "rating")),
            tuple(media.viewings.values_list("user__username", "minutes_watched")),
            picks.filter(media=media).count(),
        )
        for media in apps.get_model("feedback", "Media").objects.all()
    }


def test_ids_that_break_the_rule_are_corrected_keeping_every_row_on_them():
    legacy = {
        "Show\nS01E01": "Show S01E01",
        "tab\there\r": "tab here ",
        "..": "%2E%2E",
        "a/../b/./c": "a/%2E%2E/b/%2E/c",
    }
    if connection.vendor == "sqlite":  # PostgreSQL stores no NUL at all
        legacy["nul\x00"] = "nul "
    with feedback_before_0016() as apps:
        erin = apps.get_model("auth", "User").objects.create(username="erin")
        for rating, media_id in enumerate([*legacy, "plex:a.b/..c"], start=1):
            item_with_rows(apps, erin, media_id, rating % 5 + 1)
        before = rows_by_item(apps)

        call_command("migrate", "feedback", verbosity=0)

        after = rows_by_item(apps)
        moved = {legacy.get(row[0], row[0]): row[1:] for row in before}
        assert after == {(media_id, *rest) for media_id, rest in moved.items()}
        assert MIGRATION in applied_migrations("feedback")

    assert_refused_by_database(
        "feedback_media",
        media_id="Show\nS01E02",
        title="Item",
        type="episode",
        folded_title="item",
    )


def test_stops_changing_nothing_where_the_corrected_id_is_another_item_s():
    with feedback_before_0016() as apps:
        Media = apps.get_model("feedback", "Media")
        erin = apps.get_model("auth", "User").objects.create(username="erin")
        item_with_rows(apps, erin, "Show\nS01E01", 4)
        item_with_rows(apps, erin, "Show S01E01", 5)
        item_with_rows(apps, erin, "a\tb", 3)
        item_with_rows(apps, erin, "a\rb", 2)
        item_with_rows(apps, erin, "x/../y", 1)
        before = rows_by_item(apps)

        with pytest.raises(CommandError) as refused:
            call_command("migrate", "feedback", verbosity=0)

        message = str(refused.value)
        assert '"Show\\nS01E01" (would be "Show S01E01", as another item)' in message
        assert '"a\\tb" (would be "a b", as another item)' in message
        assert '"a\\rb" (would be "a b", as another item)' in message
        assert "x/../y" not in message  # it could be corrected
        assert "Nothing was changed" in message
        assert "migrate again" in message
        assert rows_by_item(apps) == before
        assert MIGRATION not in applied_migrations("feedback")

        # As the message says: each item's rows given the other item (erin's feedback
        # dropped: she has feedback on the other one already), the item deleted.
        for old_id, other_id in {"Show\nS01E01": "Show S01E01", "a\tb": "a\rb"}.items():
            apps.get_model("feedback", "UserFeedback").objects.filter(media=old_id).delete()
            for rows in ("feedback.ViewingHistory", "recommendations.RecommendationLog"):
                apps.get_model(rows).objects.filter(media=old_id).update(media=other_id)
            Media.objects.filter(media_id=old_id).delete()
        call_command("migrate", "feedback", verbosity=0)

        assert set(Media.objects.values_list("media_id", flat=True)) == {
            "Show S01E01",
            "a b",
            "x/%2E%2E/y",
        }
        assert apps.get_model("feedback", "ViewingHistory").objects.filter(
            media="a b"
        ).count() == 2  # fmt: skip


def test_the_item_named_when_it_stops_opens_in_the_admin(admin_client):
    """The message sends staff to the admin to empty and delete the item: its page opens,
    with no "View on site" link, since no address holds a line break."""
    with feedback_before_0016() as apps:
        erin = apps.get_model("auth", "User").objects.create(username="erin")
        item_with_rows(apps, erin, "Show\nS01E01", 4)
        item_with_rows(apps, erin, "Show S01E01", 5)
        with pytest.raises(CommandError):
            call_command("migrate", "feedback", verbosity=0)

        page = admin_client.get(
            reverse("admin:feedback_media_change", args=[quote("Show\nS01E01")])
        )

        assert page.status_code == HTTPStatus.OK
        assert "View on site" not in page.content.decode()
        for rows in ("feedback.UserFeedback", "feedback.ViewingHistory"):
            apps.get_model(rows).objects.filter(media="Show\nS01E01").delete()
        apps.get_model("recommendations.RecommendationLog").objects.all().delete()
        apps.get_model("feedback", "Media").objects.filter(media_id="Show\nS01E01").delete()
