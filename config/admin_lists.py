"""Admin lists that refuse a date part no date can have, instead of answering 500.

The admin reads `?posted_at__year=…` (its date hierarchy's links, or any lookup on a date
field) straight into a datetime: year 9999 fails when it computes the next year, year 0
or 99999999999 when it builds the date, and year 1 when a time zone behind UTC is
applied. Django turns only some of those into its "incorrect lookup" redirect; the rest
were 500s. Every date part is checked here first, with room on both sides of the years a
datetime can hold, and a wrong one gets that redirect. Marquee's own admins subclass
MarqueeModelAdmin; the other apps' get the check when the admin app is ready (config/apps.py).
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from config.admin_objects import IdsBeyondTheColumnNotFound

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


class DatePartsCheckedChangeList(ChangeList):
    def get_filters_params(self, params=None):
        lookups = super().get_filters_params(params)
        for lookup, values in lookups.items():
            if date_part_refused(lookup, values):
                raise IncorrectLookupParameters(f"{lookup} is not a date part any date has")
        return lookups


class DatePartsChecked:
    """A model admin whose lists check date parts (above)."""

    def get_changelist(self, request, **kwargs):
        return DatePartsCheckedChangeList


class MarqueeModelAdmin(DatePartsChecked, IdsBeyondTheColumnNotFound, admin.ModelAdmin):
    """The project's model admins."""


def check_date_parts_everywhere(site: admin.AdminSite) -> None:
    """Give the admins other apps registered (Django's users, django-axes' access lists)
    the same check: their lists failed the same way. Each is registered again as a
    subclass of its own class, so it keeps everything else it does. One with a changelist
    of its own is left alone (the tests name it): this check would replace that changelist.
    """
    for model, model_admin in list(site._registry.items()):
        own = type(model_admin)
        if isinstance(model_admin, DatePartsChecked) or (
            own.get_changelist is not admin.ModelAdmin.get_changelist
        ):
            continue
        checked = type(own.__name__, (DatePartsChecked, own), {"__module__": __name__})
        site.unregister(model)
        site.register(model, checked)
