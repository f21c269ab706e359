"""Feedback migration 0018 mends each list's name that is not composed (NFC) or holds an
invisible character before its CHECK refuses one: composed, the invisible characters
dropped, stripped; "Untitled list" if nothing is left; " (2)", " (3)"... where the name
is another of the person's lists' in any letter case, the older list keeping it."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from tests.conftest import assert_refused_by_database
from tests.feedback.test_film_list_name_migration import by_pk, lists_of
from tests.migration_states import applied_migrations, models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("feedback", "0017_film_list_names_on_one_line")
MIGRATION = "0018_film_list_names_look_alike"
WHEN = datetime(2026, 11, 1, 20, 0, tzinfo=UTC)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"

# Each person's lists, oldest first: the name they had, and the one the migration leaves.
ERINS = {
    "Caf\u00e9": "Caf\u00e9",  # composed already: keeps its name
    "Cafe\u0301": "Caf\u00e9 (2)",  # decomposed, the same name once composed
    "CAFE\u200b\u0301": "CAF\u00c9 (3)",  # in another case, a space kept the accent off
    "Favou\u200brites": "Favourites",  # no clash: mended only
    "FAVOU\u2060RITES": "FAVOURITES (2)",
    "Na\u00adme\ufeff": "Name",
    "Kids \u200b": "Kids",  # the space it hid at the end goes
    "\u202e\u200b": "Untitled list",  # nothing left
    f"{FAMILY} nights": f"{FAMILY} nights",  # the joiner of an emoji stays
    "\u0641\u06cc\u0644\u0645\u200c\u0647\u0627": "\u0641\u06cc\u0644\u0645\u200c\u0647\u0627",
    f"{'a' * 97}\u200b\u200bb": f"{'a' * 97}b",  # 100 characters, 98 once mended
}
# Another person's names are theirs: the same name as one of Erin's is no clash.
FRANKS = {"Cafe\u0301": "Caf\u00e9"}


def test_names_that_look_alike_are_mended_and_others_left_alone():
    with models_before(*BEFORE) as apps:
        User = apps.get_model("auth", "User")
        erin, frank = User.objects.create(username="erin"), User.objects.create(username="frank")
        pks = lists_of(apps, erin, ERINS) + lists_of(apps, frank, FRANKS)
        updated = by_pk(apps, "updated_at")

        call_command("migrate", "feedback", verbosity=0)

        names = by_pk(apps, "name")
        assert names == dict(zip(pks, [*ERINS.values(), *FRANKS.values()], strict=True))
        # A repair, not the person's change: "Your lists" keeps its order.
        assert by_pk(apps, "updated_at") == updated
        assert MIGRATION in applied_migrations("feedback")

    assert_refused_by_database(
        "feedback_filmlist",
        user_id=erin.pk,
        name="Again\u200b",
        description="",
        created_at=WHEN,
        updated_at=WHEN,
    )


def test_unapplying_it_drops_the_check_and_leaves_the_names_as_they_are():
    with models_before(*BEFORE) as apps:
        erin = apps.get_model("auth", "User").objects.create(username="erin")
        [pk] = lists_of(apps, erin, ["Favou\u200brites"])
        call_command("migrate", "feedback", verbosity=0)

        call_command("migrate", *BEFORE, verbosity=0)

        assert by_pk(apps, "name") == {pk: "Favourites"}
        assert MIGRATION not in applied_migrations("feedback")
        lists_of(apps, erin, ["Kids\u200bfilms"])  # the CHECK is gone
