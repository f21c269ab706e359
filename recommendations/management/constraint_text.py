"""The constraints table of docs/erd.md (generate_erd): each model's CHECK and UNIQUE
constraints as text, `year >= 1870`, with the model's column names."""

import enum

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.expressions import CombinedExpression, Func, OrderBy
from django.db.models.lookups import Lookup

from recommendations.management.visible_text import visible

COMPARISONS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
PATTERNS = {"contains": "%{}%", "startswith": "{}%", "endswith": "%{}"}
REGEXES = {"regex": "~", "iregex": "~*"}
LOOKUP_NAMES = {
    *COMPARISONS,
    *PATTERNS,
    *(f"i{name}" for name in PATTERNS),
    *REGEXES,
    "iexact",
    "in",
    "isnull",
    "range",
}


class ConditionRenderer:
    """Renders a constraint's Q tree as SQL-like text with the model's column names.

    Compiling the constraint's SQL would need a connection and would differ between
    SQLite and PostgreSQL; this text stays the same on both.
    """

    def __init__(self, model: type[models.Model]):
        self.model = model

    def condition(self, condition) -> str:
        if isinstance(condition, Q):
            return self.node(condition)
        return self.expression(condition)

    def node(self, q: Q) -> str:
        text = f" {q.connector} ".join(self.child(child) for child in q.children)
        return f"NOT ({text})" if q.negated else text

    def child(self, child) -> str:
        if isinstance(child, Q):
            text = self.node(child)
            return text if child.negated or len(child.children) == 1 else f"({text})"
        if isinstance(child, tuple):
            return self.keyword_lookup(*child)
        return self.expression(child)

    def keyword_lookup(self, path: str, value) -> str:
        """`year__gte=1870` becomes `year >= 1870`, `title__lower="x"` `LOWER(title) = 'x'`."""
        name, *rest = path.split("__")
        lookup = rest.pop() if rest and rest[-1] in LOOKUP_NAMES else "exact"
        subject = self.column(name)
        for transform in rest:
            subject = f"{transform.upper()}({subject})"
        return self.comparison(subject, lookup, value)

    def comparison(self, subject: str, lookup: str, value) -> str:
        if lookup == "isnull":
            return f"{subject} IS NULL" if value else f"{subject} IS NOT NULL"
        if lookup == "exact" and value is None:
            return f"{subject} IS NULL"
        if lookup in COMPARISONS:
            return f"{subject} {COMPARISONS[lookup]} {self.operand(value)}"
        if lookup.removeprefix("i") in PATTERNS:
            operator = "ILIKE" if lookup.startswith("i") else "LIKE"
            pattern = PATTERNS[lookup.removeprefix("i")].format(value)
            return f"{subject} {operator} {self.literal(pattern)}"
        if lookup == "iexact":
            return f"{subject} ILIKE {self.operand(value)}"
        if lookup in REGEXES:
            return f"{subject} {REGEXES[lookup]} {self.operand(value)}"
        if lookup == "in":
            return f"{subject} IN {self.literal(value)}"
        if lookup == "range":
            low, high = value
            return f"{subject} BETWEEN {self.operand(low)} AND {self.operand(high)}"
        return f"{subject} {lookup.upper()} {self.operand(value)}"

    def operand(self, value) -> str:
        if hasattr(value, "resolve_expression"):
            return self.expression(value)
        return self.literal(value)

    def expression(self, expression) -> str:
        if isinstance(expression, F):
            return self.column(expression.name)
        if isinstance(expression, Value):
            return self.literal(expression.value)
        if isinstance(expression, Q):
            return f"({self.node(expression)})"
        if isinstance(expression, Lookup):
            subject = self.operand(expression.lhs)
            return self.comparison(subject, expression.lookup_name, expression.rhs)
        if isinstance(expression, OrderBy):
            direction = "DESC" if expression.descending else "ASC"
            return f"{self.operand(expression.expression)} {direction}"
        if isinstance(expression, CombinedExpression):
            left, right = self.operand(expression.lhs), self.operand(expression.rhs)
            return f"({left} {expression.connector} {right})"
        if isinstance(expression, Func):
            function = expression.function or type(expression).__name__.upper()
            arguments = ", ".join(self.operand(e) for e in expression.get_source_expressions())
            return f"{function}({arguments})"
        return str(expression)

    def column(self, name: str) -> str:
        if name == "pk":
            return self.model._meta.pk.column
        try:
            return self.model._meta.get_field(name).column
        except FieldDoesNotExist:
            return name

    def literal(self, value) -> str:
        if isinstance(value, enum.Enum):
            value = value.value
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            return repr(value)
        if isinstance(value, set | frozenset):
            value = sorted(value, key=str)
        if isinstance(value, list | tuple):
            return "(" + ", ".join(self.literal(item) for item in value) + ")"
        return "'" + visible(str(value)).replace("'", "''") + "'"


def constraint_rows(diagrammed: list[type[models.Model]]) -> list[tuple[str, str, str, str]]:
    rows = []
    for model in diagrammed:
        renderer = ConditionRenderer(model)
        for constraint in model._meta.constraints:
            kind, definition = describe_constraint(constraint, renderer)
            rows.append((model._meta.label, constraint.name, kind, definition))
    return sorted(rows)


def describe_constraint(constraint, renderer: ConditionRenderer) -> tuple[str, str]:
    if isinstance(constraint, models.CheckConstraint):
        return "CHECK", renderer.condition(constraint.condition)
    if isinstance(constraint, models.UniqueConstraint):
        return "UNIQUE", describe_unique(constraint, renderer)
    # Backend-specific constraints (e.g. PostgreSQL exclusion) are named but not rendered.
    return type(constraint).__name__, ""


def describe_unique(constraint: models.UniqueConstraint, renderer: ConditionRenderer) -> str:
    parts = [renderer.column(name) for name in constraint.fields]
    parts += [renderer.operand(expression) for expression in constraint.expressions]
    text = f"({', '.join(parts)})"
    if constraint.condition is not None:
        text += f" WHERE {renderer.condition(constraint.condition)}"
    if constraint.nulls_distinct is False:
        text += " NULLS NOT DISTINCT"
    return text
