"""Catalog migration 0019: members' reviews the new rules refuse, written before it, are
mended or removed so that the constraints can be added."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Review
from tests import factories
from tests.migration_states import models_before

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("catalog", "0018_review_by_members")


@pytest.fixture
def old_review():
    """Review as it was before the migration, without its rules: a row maker."""
    movie = factories.MovieFactory()
    with models_before(*BEFORE) as apps:
        model = apps.get_model("catalog", "Review")

        def create(**fields):
            fields = {"movie_id": movie.pk, "posted_at": timezone.now()} | fields
            if fields.get("user_id"):
                fields["source"] = "user"
            return model.objects.create(**{"source": "critic"} | fields).pk

        yield create


def test_members_reviews_of_whitespace_alone_are_deleted(old_review):
    member, other = factories.UserFactory(), factories.UserFactory()
    blank = old_review(user_id=member.pk, text="\n\t\u3000\r\n")
    kept = old_review(user_id=other.pk, text="\tFine.\n")
    imported = old_review(text="\n")  # not a member's: no rule of theirs binds it

    call_command("migrate", verbosity=0)

    assert set(Review.objects.values_list("pk", flat=True)) == {kept, imported}
    assert not Review.objects.filter(pk=blank).exists()


def test_reviews_edited_before_their_posting_are_edited_at_it(old_review):
    posted_at = timezone.now() - dt.timedelta(days=10)
    later = posted_at + dt.timedelta(days=1)
    early = old_review(
        user_id=factories.UserFactory().pk,
        text="Restored from a file with its dates wrong.",
        posted_at=posted_at,
        edited_at=posted_at - dt.timedelta(days=400),
    )
    right = old_review(
        user_id=factories.UserFactory().pk, text="Edited.", posted_at=posted_at, edited_at=later
    )
    undated = old_review(
        user_id=factories.UserFactory().pk, text="Undated.", posted_at=None, edited_at=later
    )

    call_command("migrate", verbosity=0)

    assert dict(Review.objects.values_list("pk", "edited_at")) == {
        early: posted_at,
        right: later,
        undated: later,
    }
