"""The largest whole numbers a column holds: the same on SQLite as on PostgreSQL.

PostgreSQL's `integer`, the column of most ids and counts, stops at 2³¹ − 1 and its
`bigint` at 2⁶³ − 1; SQLite stores any 64-bit integer in either. Django bounds a field
by the database in use, so on SQLite a runtime of 99999999999 passed validation, was
saved, and later stopped the move to PostgreSQL. The models, their forms and the imports
hold every integer column to PostgreSQL's bound on both databases instead, and a CHECK
backs it (on PostgreSQL the column type refuses first; the CHECK says the same).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q

INTEGER_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
TOO_LARGE_MESSAGE = f"This number is past {INTEGER_MAX:,}, the largest the database holds."


def integer_validators(minimum: int, below_minimum: str) -> list:
    """An integer column's bounds, for validation: the minimum with the message of the
    column's own CHECK, and INTEGER_MAX with that of fits_integer."""
    return [
        MinValueValidator(minimum, message=below_minimum),
        MaxValueValidator(INTEGER_MAX, message=TOO_LARGE_MESSAGE),
    ]


class IntegerBoundCheck(models.CheckConstraint):
    """fits_integer's CHECK, which only rows written around validation meet.

    Validation has the field's own MaxValueValidator (integer_validators) refuse the same
    values with the same message. Django would check the constraint again, by asking the
    database: three queries more on every full_clean(), such as each page that records a
    viewing, for a bound already checked.
    """

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        pass


def fits_integer(field: str, name: str) -> IntegerBoundCheck:
    """The database's share of INTEGER_MAX, with the validator's message."""
    return IntegerBoundCheck(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": INTEGER_MAX}),
        name=name,
        violation_error_message=TOO_LARGE_MESSAGE,
    )


class BoundedIntegerField(models.PositiveIntegerField):
    """A PositiveIntegerField bounded by its validators alone (integer_validators).

    PositiveIntegerField's form field checks "at least 0" itself, in Django's words,
    before the model's validators run: a runtime of -5 said "greater than or equal to 0"
    and one of 0 "at least one minute". Here the form leaves the bounds to the model,
    and each bound has one message wherever it is broken.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"min_value": None, **kwargs})
