"""The searches people make, logged."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from catalog.bounds import (
    BoundedIntegerField,
    fits_integer,
    integer_validators,
)
from catalog.querysets import UserSearchQuerySet

FILTERS_NULL_MESSAGE = "Filters are a JSON object, {} for none; not null."


class UserSearch(models.Model):
    query = models.CharField(max_length=255)
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
        indexes = [models.Index(Lower("query"), name="catalog_usersearch_query_ci")]
        # Not negative: PositiveIntegerField's own CHECK.
        constraints = [
            fits_integer("results_count", "catalog_usersearch_results_count_fits_integer"),
        ]

    def __str__(self):
        return f"“{self.query}” ({self.results_count} results)"

    def clean(self):
        # The column is NOT NULL, but a blank JSONField skips its own null check: `null`
        # typed in the admin reached the database, which refused it with a 500.
        if self.filters is None:
            raise ValidationError({"filters": FILTERS_NULL_MESSAGE})
