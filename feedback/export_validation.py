"""The rules an export's row is held to as it is written (feedback/export_import.py): the
model's full_clean(), in the form's words, without the queries whose answer the import
has in hand.

full_clean() asks the database on every row: whether each related row exists, whether
each UNIQUE is free, and whether each CHECK holds for the row's values (Django runs the
condition as a SELECT). An export of 17,000 rows spent most of its three minutes there.
Here a related row the import read or wrote is not looked up again; a UNIQUE the
importer has matched in memory (it found the person's row by the same columns, or knows
the row is new) is left to the database as its backstop; and a CHECK is evaluated in
Python where its condition is a plain comparison of the row's own columns. A CHECK that
Python finds broken, or cannot evaluate, is asked of the database as full_clean() asks
it, so a refused row is refused with the same message as before.
"""

import operator
from collections.abc import Collection

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q

from catalog.models import Movie
from feedback.export_reading import ExportFormatError
from feedback.models import Media, ViewingHistory
from feedback.viewing_start import viewing_start_problem
from recommendations.models import RecommendationLog

# The export names a film's and a media item's fields after what they belong to: the
# film's `year` is its `movie_year` column, the media item's `duration` `media_duration`;
# and a pick's `timestamp` after what it is: `shown_at`.
COLUMN_PREFIXES = {Movie: "movie_", Media: "media_"}
COLUMN_NAMES = {RecommendationLog: {"timestamp": "shown_at"}}


def save(instance, where: str, *, held: Collection[str] = ()) -> None:
    checked(instance, where, held=held)
    # A new row is inserted without the UPDATE Django tries first for a pk given (an
    # item's media_id): the row was looked for, and is not there.
    instance.save(force_insert=instance._state.adding)


def checked(instance, where: str, *, held: Collection[str] = ()) -> None:
    """A row Marquee would not take from a form is refused, in the form's words.

    `held`: the unique fields and UNIQUE constraints (by name) the importer has checked
    in memory for this row; the database holds them still.
    """
    try:
        validated(instance, held=held)
    except ValidationError as exc:
        raise ExportFormatError(f"{where}: {first_problem(type(instance), exc)}") from None


def first_problem(model, exc: ValidationError) -> str:
    """The first message, after the export's column it is about. A rule of the whole row
    (a constraint, filed under Django's "__all__") needs no column: its message says it."""
    name, messages = next(iter(exc.message_dict.items()))
    if name == NON_FIELD_ERRORS:
        return messages[0]
    prefix = COLUMN_PREFIXES.get(model, "")
    column = name if name.startswith(prefix) else prefix + name
    column = COLUMN_NAMES.get(model, {}).get(column, column)
    return f"{column}: {messages[0]}"


def validated(instance, *, held: Collection[str] = ()) -> None:
    """full_clean(), in its order and with its errors, minus the queries above."""
    errors = {}
    try:
        instance.clean_fields(exclude=related_in_hand(instance))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    # The rule of the film's year, which clean_fields leaves out with the item: the item
    # and its film are in hand, so it costs no query.
    if (
        isinstance(instance, ViewingHistory)
        and "started_at" not in errors
        and (problem := film_year_problem(instance))
    ):
        errors["started_at"] = [ValidationError(problem, code="before_the_film")]
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_unique(exclude=exclude | set(held))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        constraints_validated(instance, exclude=exclude, held=held)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def film_year_problem(viewing: ViewingHistory) -> str | None:
    if viewing.start_as_stored():
        return None
    return viewing_start_problem(viewing.started_at, viewing.film_year())


def related_in_hand(instance) -> list[str]:
    """The foreign keys whose row the instance holds, stored: a film, an item, a person
    the import read or wrote. Django's check that each exists would be a query a row.
    (A film of the index is built with its pk alone, Importer.movie: it is stored.)"""
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.many_to_one
        and field.is_cached(instance)
        and getattr(instance, field.name) is not None
        and getattr(instance, field.name).pk is not None
    ]


def constraints_validated(instance, *, exclude: set[str], held: Collection[str]) -> None:
    """Model.validate_constraints(), but for what Python can answer for the database."""
    if type(instance).validate_constraints is not models.Model.validate_constraints:
        # The model words its constraints' errors itself (FilmList): as it says.
        instance.validate_constraints(exclude=exclude)
        return
    errors = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            if constraint.name in held or holds_in_python(constraint, instance, exclude):
                continue
            try:
                constraint.validate(model, instance, exclude=exclude)
            except ValidationError as exc:
                # As Model.validate_constraints files them.
                if getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class NotInPython(Exception):
    """A condition Python cannot evaluate as both databases do: ask the database."""


def holds_in_python(constraint, instance, exclude: set[str]) -> bool:
    """Whether a plain CHECK is known to hold for the instance without a query, or a
    conditional UNIQUE is known not to apply to it. False for a broken CHECK and for a
    condition Python cannot read: the database is asked then."""
    try:
        if isinstance(constraint, models.UniqueConstraint):
            # A UNIQUE of some rows only (a slate's one chosen pick): not this one's.
            return constraint.condition is not None and (
                truth(constraint.condition, instance, exclude) is False
            )
        if type(constraint).validate is not models.CheckConstraint.validate:
            return False  # its own validate (CheckedByValidation) asks no query anyway
        # A condition NULL makes unknown passes, as in SQL and in Django's check.
        return truth(constraint.condition, instance, exclude) is not False
    except NotInPython:
        return False


# The lookups the CHECKs of the rows an export writes use, as SQL has them for values
# that are not NULL. The text ones only on texts no letter case changes (SQLite's LIKE
# ignores ASCII case): control characters, dots, slashes.
COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, values: value in values,
    "contains": lambda value, part: part in value,
    "startswith": lambda value, part: value.startswith(part),
    "endswith": lambda value, part: value.endswith(part),
}
TEXT_LOOKUPS = {"contains", "startswith", "endswith"}


def truth(condition, instance, exclude: set[str]) -> bool | None:
    """The condition's truth for the instance: True, False, or None (SQL's unknown)."""
    if isinstance(condition, Q):
        result = connected(condition, instance, exclude)
        return (None if result is None else not result) if condition.negated else result
    if not isinstance(condition, tuple):
        raise NotInPython  # an expression (Length(...)): the database evaluates it
    lookup, expected = condition
    name, _, kind = lookup.partition("__")
    value = column_value(instance, name, exclude)
    kind = kind or "exact"
    if kind == "isnull":
        return (value is None) == expected
    if isinstance(expected, F):
        expected = column_value(instance, expected.name, exclude)
    elif hasattr(expected, "resolve_expression"):
        raise NotInPython
    if kind not in COMPARISONS or (kind in TEXT_LOOKUPS and expected.lower() != expected.upper()):
        raise NotInPython
    if value is None or expected is None:
        return None
    return COMPARISONS[kind](value, expected)


def connected(condition: Q, instance, exclude: set[str]) -> bool | None:
    """A Q's children joined by AND or OR, in SQL's three-valued logic. A child Python
    cannot read is no matter where another decides: "year IS NULL OR LENGTH(...)"."""
    deciding = condition.connector == Q.OR  # the value that decides it alone
    values = set()
    for child in condition.children:
        try:
            values.add(truth(child, instance, exclude))
        except NotInPython:
            values.add(NotInPython)
        if deciding in values:
            return deciding
    if NotInPython in values:
        raise NotInPython
    return None if None in values else not deciding


def column_value(instance, name: str, exclude: set[str]):
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise NotInPython from None  # a lookup across a relation
    if name in exclude:
        # A field that failed its own rules: Django's validate leaves the constraint out.
        raise NotInPython
    return getattr(instance, field.attname)
