"""The searches people make, logged."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from catalog.bounds import (
    BoundedIntegerField,
    fits_integer,
    integer_validators,
)
from catalog.folding import query_key
from catalog.importers.reading import text_problem
from catalog.querysets import LISTABLE, UserSearchQuerySet

FILTERS_NULL_MESSAGE = "Filters are a JSON object, {} for none; not null."
FILTERS_NOT_FINITE_MESSAGE = (
    "Filters hold a number JSON cannot write (NaN, Infinity, or too large, as 1e400)."
)


class UserSearch(models.Model):
    query = models.CharField(max_length=255)
    # Kept by save() and by the queryset's bulk_create and update: neither database folds
    # as folding.fold does, so the list cannot group spellings alike by itself.
    query_key = models.TextField(
        editable=False,
        help_text="The query as search reads it: without accents, case or extra spaces, "
        "with plain quotes. Searches with the same key count as one query in the public "
        "most-searched list.",
    )
    filters = models.JSONField(default=dict, blank=True)
    results_count = BoundedIntegerField(
        default=0,
        validators=integer_validators(0, "The number of results cannot be negative."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="searches",
    )
    # Only such a query can be shown on the public "most searched" list: "alien or buy
    # pills at evil.example" finds Alien too, and three sign-ups would put it there.
    names_a_film = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Every word of the query starts a word of the title of a film it found "
        "on its first page. Only such queries are shown in the public most-searched list.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = UserSearchQuerySet.as_manager()

    class Meta:
        verbose_name = "user search"
        verbose_name_plural = "user searches"
        indexes = [
            # The public list: its last days' searches, counted by key. The key, then the
            # person, first: each key's people come counted in order, without a sort; and
            # every column the list reads is in it, for SQLite to read the index alone
            # (PostgreSQL needs the index's condition only).
            models.Index(
                fields=["query_key", "user", "created_at", "names_a_film", "results_count"],
                name="catalog_usersearch_listable",
                condition=LISTABLE,
            ),
            # The admin's "keep off the list": every search of the chosen keys.
            models.Index(fields=["query_key"], name="catalog_usersearch_query_key"),
        ]
        # Not negative: PositiveIntegerField's own CHECK.
        constraints = [
            fits_integer("results_count", "catalog_usersearch_results_count_fits_integer"),
        ]

    def __str__(self):
        return f"“{self.query}” ({self.results_count} results)"

    def save(self, *args, update_fields=None, **kwargs):
        self.query_key = query_key(self.query)
        if update_fields is not None and "query" in update_fields:
            update_fields = {*update_fields, "query_key"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def clean(self):
        # The column is NOT NULL, but a blank JSONField skips its own null check: `null`
        # typed in the admin reached the database, which refused it with a 500.
        if self.filters is None:
            raise ValidationError({"filters": FILTERS_NULL_MESSAGE})
        # What Python's JSON reads but PostgreSQL's jsonb refuses, with a 500 on saving.
        if problem := json_problem(self.filters):
            raise ValidationError({"filters": problem})


def json_problem(value) -> str | None:
    """Why PostgreSQL cannot store `value` (read from JSON) as jsonb, or None: a number
    that is not finite, or text (a key too) holding a NUL or half a surrogate pair."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return FILTERS_NOT_FINITE_MESSAGE
        if isinstance(item, str) and (problem := text_problem(item)):
            return f"Filters hold text that {problem}."
        if isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return None
