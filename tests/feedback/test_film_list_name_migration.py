"""Feedback migration 0017 mends each list's name that holds a control character before
its CHECK refuses one: each becomes a space, the run of whitespace it makes one space,
the name stripped; "Untitled list" if nothing is left; " (2)", " (3)"... where the name
is another of the person's lists' in any letter case, within 100 characters."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import assert_refused_by_database
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("feedback", "0016_media_ids_fit_their_address")
MIGRATION = "0017_film_list_names_on_one_line"
WHEN = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)
HALF = "a" * 49  # a 100-character name is HALF, a space or a line break, then 50 letters

# Each person's lists, oldest first: the name they had, and the one the migration leaves.
ERINS = {
    "Films\nto show the kids": "Films to show the kids",
    "Kids \r\n\t films": "Kids films",
    "Best of 2024": "Best of 2024",  # a good name keeps its place
    "BEST OF\t2024": "BEST OF 2024 (2)",
    "best\x85of 2024": "best of 2024 (3)",
    "Rewatches  (old)": "Rewatches  (old)",  # spaces it did not make stay
    "\x01\t\x7f": "Untitled list",  # nothing but control characters, a tab among them
    "\x1b": "Untitled list (2)",
    f"{HALF.upper()} {'B' * 50}": f"{HALF.upper()} {'B' * 50}",
    f"{HALF}\n{'b' * 50}": f"{HALF} {'b' * 46} (2)",
}
# Another person's names are theirs: the same name as one of Erin's is no clash.
FRANKS = {
    "Best of\n2024": "Best of 2024",
    "Kids films": "Kids films",
}


def lists_of(apps, person, names) -> list[int]:
    FilmList = apps.get_model("feedback", "FilmList")
    return [FilmList.objects.create(user=person, name=name).pk for name in names]


def by_pk(apps, column: str) -> dict:
    """Each list's `column`, by its pk."""
    return dict(apps.get_model("feedback", "FilmList").objects.values_list("pk", column))


def test_names_that_break_the_rule_are_mended_and_others_left_alone():
    erins = dict(ERINS)
    if connection.vendor == "sqlite":  # PostgreSQL stores no NUL at all
        erins["nul\x00list"] = "nul list"
    with models_before(*BEFORE) as apps:
        User = apps.get_model("auth", "User")
        erin, frank = User.objects.create(username="erin"), User.objects.create(username="frank")
        pks = lists_of(apps, erin, erins) + lists_of(apps, frank, FRANKS)
        updated = by_pk(apps, "updated_at")

        call_command("migrate", "feedback", verbosity=0)

        names = by_pk(apps, "name")
        assert names == dict(zip(pks, [*erins.values(), *FRANKS.values()], strict=True))
        assert all(len(name) <= 100 for name in names.values())
        # A repair, not the person's change: "Your lists" keeps its order.
        assert by_pk(apps, "updated_at") == updated
        assert MIGRATION in applied_migrations("feedback")

    assert_refused_by_database(
        "feedback_filmlist",
        user_id=erin.pk,
        name="Kids\nagain",
        description="",
        created_at=WHEN,
        updated_at=WHEN,
    )


def test_unapplying_it_drops_the_check_and_leaves_the_names_as_they_are():
    with models_before(*BEFORE) as apps:
        erin = apps.get_model("auth", "User").objects.create(username="erin")
        [pk] = lists_of(apps, erin, ["Films\nto show the kids"])
        call_command("migrate", "feedback", verbosity=0)

        call_command("migrate", *BEFORE, verbosity=0)

        assert by_pk(apps, "name") == {pk: "Films to show the kids"}
        assert MIGRATION not in applied_migrations("feedback")
        # The CHECK is gone: a name with a line break is taken again.
        lists_of(apps, erin, ["Kids\nfilms"])
