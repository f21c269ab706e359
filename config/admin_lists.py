"""Admin lists that refuse a filter value no column can compare, instead of answering 500.

Date parts: the admin reads `?posted_at__year=…` (its date hierarchy's links, or any
lookup on a date field) straight into a datetime: year 9999 fails when it computes the
next year, year 0 or 99999999999 when it builds the date, and year 1 when a time zone
behind UTC is applied. Django turns only some of those into its "incorrect lookup"
redirect; the rest were 500s. Every date part is checked here first, with room on both
sides of the years a datetime can hold.

Integers: `?user__exact=99999999999999999999999` on SQLite was an OverflowError, since
its driver cannot send an integer past 64 bits, and Django guards only a model's own
integer fields, not a relation to one (an account, a film, a key that is a OneToOne to
another model's). Every value compared with an integer column, through any relations,
is checked against what that column holds (config/admin_objects.py), on PostgreSQL too,
so that both databases answer alike.

Text: PostgreSQL refuses a NUL character in any text it is sent (a DataError, a 500),
where SQLite compares it and finds nothing; no column holds one, so a value with one is
refused on both.

A wrong value gets that redirect ("?e=1").

Sorting: a list sorts only by the columns its admin's `sortable_by` names, whether
asked by a column's header or by an `?o=` typed in: on tables of millions of rows an
admin offers only the sorts an index serves, and a typed one would read the whole table.

Marquee's own admins subclass
MarqueeModelAdmin; the other apps' get the checks when the admin app is ready
(config/apps.py).
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router
from django.db.models.constants import LOOKUP_SEP

from config.admin_choices import ChoicesBeyondTheColumnRefused, text_beyond_the_column
from config.admin_counts import NearestPageChangeList
from config.admin_deletion import DeletionListedInFewQueries
from config.admin_objects import NUL, IdsBeyondTheColumnNotFound
from config.admin_stale import MarqueeModelForm

# The last part of a lookup that names part of a date, and the values it may take.
DATE_PARTS = {
    "year": range(2, 9998),
    "iso_year": range(2, 9998),
    "month": range(1, 13),
    "day": range(1, 32),
    "week": range(1, 54),
    "week_day": range(1, 8),
    "iso_week_day": range(1, 8),
    "quarter": range(1, 5),
}


def date_part_refused(lookup: str, values: list[str]) -> bool:
    allowed = DATE_PARTS.get(lookup.rsplit("__", 1)[-1])
    if allowed is None:
        return False
    for value in values:
        text = value.strip()
        if not (text.isdigit() and text.isascii() and len(text) <= 4 and int(text) in allowed):
            return True
    return False


# The comparisons that give the column a value as it is, and those only: the others
# compare something else (`__year`, `__isnull`, `__username`...) and are left to Django.
COMPARISONS = {"exact", "in", "gt", "gte", "lt", "lte"}


def compared_field(model: type[models.Model], lookup: str) -> tuple[models.Field, str] | None:
    """The field `lookup` names, through any relations (`media__movie__pk`), and the
    comparison after it ("exact" when it names none); None when it is not such a lookup.
    A name is a field before it is a comparison, as in Django's own queries."""
    field, options, parts = None, model._meta, lookup.split(LOOKUP_SEP)
    while parts and options is not None:
        try:
            field = options.pk if parts[0] == "pk" else options.get_field(parts[0])
        except FieldDoesNotExist:
            break
        parts.pop(0)
        options = field.related_model._meta if field.related_model else None
    comparison = parts[0] if parts else "exact"
    if field is None or len(parts) > 1 or comparison not in COMPARISONS:
        return None
    return field, comparison


def integer_refused(model: type[models.Model], lookup: str, values: list[str], using: str) -> bool:
    """Whether a value of `lookup` is an integer its column cannot hold."""
    found = compared_field(model, lookup)
    if found is None:
        return False
    field, comparison = found
    if comparison == "in":  # "1,2,3", as the admin splits it
        values = [part for value in values for part in value.split(",")]
    return any(text_beyond_the_column(field, text, using) for text in values)


class LookupsCheckedChangeList(NearestPageChangeList):
    def get_ordering_field(self, field_name):
        # Django leaves out of the headers the columns `sortable_by` does not name, and
        # sorts by them still when the address asks (?o=3): nothing to sort by here.
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_filters_params(self, params=None):
        lookups = super().get_filters_params(params)
        using = router.db_for_read(self.model)
        for lookup, values in lookups.items():
            if any(NUL in value for value in values):
                raise IncorrectLookupParameters(f"{lookup} holds a NUL character")
            if date_part_refused(lookup, values):
                raise IncorrectLookupParameters(f"{lookup} is not a date part any date has")
            if integer_refused(self.model, lookup, values, using):
                raise IncorrectLookupParameters(f"{lookup} is beyond what its column holds")
        return lookups


class LookupsChecked:
    """A model admin whose lists check NUL characters, date parts and integers (above)."""

    def get_changelist(self, request, **kwargs):
        return LookupsCheckedChangeList


class MarqueeModelAdmin(
    LookupsChecked,
    IdsBeyondTheColumnNotFound,
    ChoicesBeyondTheColumnRefused,
    DeletionListedInFewQueries,
    admin.ModelAdmin,
):
    """The project's model admins: their lists (above), pages of one object
    (config/admin_objects.py) and forms (config/admin_choices.py) refuse an id no column
    holds as they refuse one that names nothing. Their change forms refuse a save from a
    page someone else changed meanwhile (config/admin_stale.py); a form of an admin's
    own should subclass MarqueeModelForm to keep that."""

    form = MarqueeModelForm


def check_lookups_everywhere(site: admin.AdminSite) -> None:
    """Give the admins other apps registered (Django's users and groups, django-axes'
    access lists) the same checks of their lists' lookups, integers and date parts, and
    of the ids chosen in their forms (config/admin_choices.py): they failed the same way.
    And the same delete confirmation (config/admin_deletion.py), of bounded size.
    Each is registered again as a subclass of its own class, so it keeps everything else
    it does. One with a changelist of its own keeps it (the tests name it): the lookups'
    checks would replace that changelist.
    """
    for model, model_admin in list(site._registry.items()):
        own = type(model_admin)
        missing = []
        if not isinstance(model_admin, LookupsChecked) and (
            own.get_changelist is admin.ModelAdmin.get_changelist
        ):
            missing.append(LookupsChecked)
        if not isinstance(model_admin, ChoicesBeyondTheColumnRefused):
            missing.append(ChoicesBeyondTheColumnRefused)
        if not isinstance(model_admin, DeletionListedInFewQueries):
            missing.append(DeletionListedInFewQueries)  # django-axes' logs grow without end
        if not missing:
            continue
        checked = type(own.__name__, (*missing, own), {"__module__": __name__})
        site.unregister(model)
        site.register(model, checked)
