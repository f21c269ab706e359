"""An admin page of one object (change, history, delete) whose id no integer column can
hold answers the admin's "doesn't exist" redirect, on SQLite as on PostgreSQL.

Django finds nothing for such an id when the key is an integer field of the model's
own: its lookups on integer fields know the database's range. A key that is a OneToOne
to another model's (a film's rating stats, its prior, an account's pending email
change) is looked up as a relation, without that guard, and SQLite's driver cannot
send an integer past 64 bits: an OverflowError, a 500. PostgreSQL compares it and finds
nothing. MarqueeModelAdmin (config/admin_lists.py) holds this for every admin of ours.

A text key with a NUL character in it ("/admin/feedback/media/a%00b/change/") finds
nothing too: PostgreSQL refuses to be sent one (a DataError, a 500), and no key holds one.
"""

from django.core.exceptions import ValidationError
from django.db import connections, models, router

NUL = "\x00"


def compared_column(field: models.Field) -> models.Field:
    """The field whose column a value given for `field` is compared with: a relation's
    target, followed to the end (a key that is itself a relation to another's)."""
    while field.is_relation:
        field = field.target_field
    return field


def beyond_the_column(field: models.Field, value, using: str) -> bool:
    """Whether `value` is an integer the column behind `field` cannot hold."""
    field = compared_column(field)
    if not isinstance(field, models.IntegerField) or not isinstance(value, int):
        return False
    low, high = connections[using].ops.integer_field_range(field.get_internal_type())
    return (low is not None and value < low) or (high is not None and value > high)


class IdsBeyondTheColumnNotFound:
    """A model admin whose pages of one object find nothing for an id no column holds."""

    def get_object(self, request, object_id, from_field=None):
        options = self.model._meta
        field = options.pk if from_field is None else options.get_field(from_field)
        try:
            value = field.to_python(object_id)
        except (ValidationError, ValueError):
            value = None  # not an id at all: Django's get_object finds nothing itself
        if isinstance(value, str) and NUL in value:
            return None
        if beyond_the_column(field, value, router.db_for_read(self.model)):
            return None
        return super().get_object(request, object_id, from_field)
