"""What the columns hold: integers the same on SQLite as on PostgreSQL, dates that make
sense. The models, their forms and the imports share these bounds.

PostgreSQL's `integer`, the column of most ids and counts, stops at 2³¹ − 1 and its
`bigint` at 2⁶³ − 1; SQLite stores any 64-bit integer in either. Django bounds a field
by the database in use, so on SQLite a runtime of 99999999999 passed validation, was
saved, and later stopped the move to PostgreSQL. The models, their forms and the imports
hold every integer column to PostgreSQL's bound on both databases instead, and a CHECK
backs it (on PostgreSQL the column type refuses first; the CHECK says the same).
"""

import math
import sys
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.utils import timezone

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


class CheckedByValidation(models.CheckConstraint):
    """A CHECK whose rule validation already states, with the same message: a field's
    validator, or the model's clean(). Only rows written around validation meet it, and
    Django need not ask the database again on every full_clean() (as IntegerBoundCheck)."""

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        pass


def fits_integer(field: str, name: str) -> IntegerBoundCheck:
    """The database's share of INTEGER_MAX, with the validator's message."""
    return IntegerBoundCheck(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": INTEGER_MAX}),
        name=name,
        violation_error_message=TOO_LARGE_MESSAGE,
    )


# A float column holds infinity on both databases and NaN on PostgreSQL (where NaN passes
# "at least 0", being larger than every number there). Neither measures anything, and one
# infinite popularity made every film's prior NaN. The largest finite double bounds the
# column: no comparison with NaN or the infinities holds in SQL, so the CHECK refuses them.
FLOAT_MAX = sys.float_info.max
NOT_FINITE_MESSAGE = "This number must be finite, not infinity or NaN."


def finite(value: float) -> None:
    """A float field's validator; finite_number's CHECK says the same."""
    if not math.isfinite(value):
        raise ValidationError(NOT_FINITE_MESSAGE, code="not_finite")


class FiniteCheck(models.CheckConstraint):
    """finite_number's CHECK. Validation has the field's `finite` validator refuse the
    same values with the same message, without the query Django would make (as
    IntegerBoundCheck)."""

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        pass


def finite_number(field: str, name: str) -> FiniteCheck:
    """The database's share of `finite`."""
    return FiniteCheck(
        condition=Q(**{f"{field}__gte": -FLOAT_MAX, f"{field}__lte": FLOAT_MAX}),
        name=name,
        violation_error_message=NOT_FINITE_MESSAGE,
    )


class BoundsOfTheValidators:
    """For a positive integer field bounded by its validators alone.

    A positive integer field's form field checks "at least 0" itself, in Django's words,
    before the model's validators run: a runtime of -5 said "greater than or equal to 0"
    and one of 0 "at least one minute". Here the form leaves the bounds to the model,
    and each bound has one message wherever it is broken.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"min_value": None, **kwargs})


class BoundedIntegerField(BoundsOfTheValidators, models.PositiveIntegerField):
    """Ids and counts: integer_validators() give the bounds."""


class BoundedSmallIntegerField(BoundsOfTheValidators, models.PositiveSmallIntegerField):
    """Small numbers with bounds of their own (a year, stars), which a smallint holds."""


# The dates people give (when they watched, when they said what they thought) must make
# sense: nothing was watched before the first film (Roundhay Garden Scene, 1888), nor in
# the future, give or take a day for a clock or a time zone that is off. A CHECK cannot
# read the clock portably, so the database holds the first bound and a far one (what no
# one can mean), and validation (forms, services, imports: full_clean) the future.
FIRST_FILM = datetime(1888, 1, 1, tzinfo=UTC)  # in UTC, like every time stored
FAR_FUTURE = datetime(2200, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)
BEFORE_FIRST_FILM_MESSAGE = "This date is before 1888, the year of the first film."
IN_THE_FUTURE_MESSAGE = "This date is in the future."


def not_in_the_future(value: datetime) -> None:
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError(IN_THE_FUTURE_MESSAGE, code="in_the_future")


PLAUSIBLE_DATE_VALIDATORS = [
    MinValueValidator(FIRST_FILM, message=BEFORE_FIRST_FILM_MESSAGE),
    not_in_the_future,
]


def plausible_date_constraints(field: str, name: str) -> list[models.CheckConstraint]:
    """The database's share of PLAUSIBLE_DATE_VALIDATORS, with the same messages. The
    field carries those validators, which refuse the same dates (and, of the future,
    more), so validation asks the database neither: two queries in savepoints less on
    every full_clean() (CheckedByValidation)."""
    return [
        CheckedByValidation(
            condition=Q(**{f"{field}__gte": FIRST_FILM}),
            name=f"{name}_from_1888",
            violation_error_message=BEFORE_FIRST_FILM_MESSAGE,
        ),
        CheckedByValidation(
            condition=Q(**{f"{field}__lt": FAR_FUTURE}),
            name=f"{name}_before_2200",
            violation_error_message=IN_THE_FUTURE_MESSAGE,
        ),
    ]
