"""Admin inlines whose rows cost no query each.

An inline row costs queries of its own in two places: its label (`__str__`) reads the
objects it names, which the inline's queryset can load with the rows, and each
autocomplete box reads the object chosen in it, to show its name. The second is
Django's: `AutocompleteSelect` asks the database for the chosen object of every box it
draws. Here the formset reads the chosen objects of all its rows' boxes in one query
per field, and each box draws from those. A film with 20 related films and 20 ratings
by people opened with 108 queries; it now takes 10, as one with two does
(tests/test_admin_inline_queries.py). The boxes here choose by primary key, as every
autocomplete field of this project does.

An inline also shows a fixed number of its parent's rows at most (FirstRowsFormSet), and
links to the list of all of them: a film rated by 1,000 members, or a list of 1,200
films, made a page of 5 MB in 10 s whose form posted more fields than Django accepts (a
400, even for a save that changed nothing).
"""

from collections import defaultdict
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.forms.utils import ErrorDict
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property

from config.admin_choices import (
    BoundedAutocompleteSelect,
    ChoicesBeyondTheColumnRefused,
    column_holds,
)


class PreloadedAutocompleteSelect(BoundedAutocompleteSelect):
    """Django's autocomplete box, drawing the chosen object from `preloaded` (primary key
    as text to object) when the formset has read it, from the database otherwise."""

    preloaded: dict[str, object] | None = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.preloaded is None or any(pk not in self.preloaded for pk in chosen):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in chosen[:1]:  # one choice: a foreign key's box selects one object
            label = self.choices.field.label_from_instance(self.preloaded[pk])
            options.append(self.create_option(name, pk, label, set(chosen), len(options)))
        return [(None, options, 0)]


def preload_chosen_objects(forms) -> None:
    """Give every PreloadedAutocompleteSelect of `forms` the objects chosen in any of
    them: one query per field. A value that is not a key (a mistyped POST), or one its
    column cannot hold (which the database would refuse to be sent), is left for the
    box, which then shows it empty, as Django's does."""
    boxes = defaultdict(list)
    for form in forms:
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's wrapper
            if isinstance(widget, PreloadedAutocompleteSelect):
                boxes[name].append((widget, form[name].value(), field))
    for entries in boxes.values():
        field = entries[0][2]
        pk = field.queryset.model._meta.pk
        keys = set()
        for _, value, _ in entries:
            if value is not None and column_holds(pk, value, field.queryset.db):
                keys.add(pk.to_python(value))
        found = {str(obj.pk): obj for obj in field.queryset.filter(pk__in=keys)} if keys else {}
        for widget, _, _ in entries:
            widget.preloaded = found


class ChosenObjectsInOneQueryFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The forms are built here rather than when first drawn: all of them are drawn.
        preload_chosen_objects(self.forms)


# The most rows of one parent an inline shows, and posts back: about 1,100 fields for the
# widest inline (ratings), well within DATA_UPLOAD_MAX_NUMBER_FIELDS, and a page that
# stays fast to draw and to save.
INLINE_ROWS_SHOWN = 100


class FirstRowsFormSet(ChosenObjectsInOneQueryFormSet):
    """The parent's first INLINE_ROWS_SHOWN rows in the inline's order; the others are
    neither shown nor posted, and a save leaves them as they are.

    Posted back, the rows are those the page showed, found by the ids it posted: a row
    added meanwhile (a newer rating, first in the order) pushes none of them out, and the
    changes posted for each reach it. An id of a row the parent does not hold finds
    nothing, as in Django's formsets; that row is not saved."""

    shown = INLINE_ROWS_SHOWN
    all_rows_url: str | None = None  # the list of all the parent's rows; given by the inline

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            # Django's: the parent's rows (none for a parent not saved yet), in order.
            rows = super().get_queryset()
            self._queryset = self.rows_posted(rows) if self.is_bound else rows[: self.shown]
        return self._queryset

    def rows_posted(self, rows):
        pk = self.model._meta.pk
        count = min(self.initial_form_count(), self.shown)
        posted = (self.data.get(f"{self.add_prefix(i)}-{pk.name}") for i in range(count))
        return rows.filter(pk__in=[v for v in posted if v and column_holds(pk, v, rows.db)])

    @cached_property
    def rows_in_all(self) -> int:
        """How many rows the parent has: those shown when there is room for more, else
        counted (one query)."""
        if not self.is_bound and len(self.get_queryset()) < self.shown:
            return len(self.get_queryset())
        return self.queryset.count()  # the parent's rows, as Django's formset filters them

    @property
    def rows_not_shown(self) -> bool:
        return self.rows_in_all > self.initial_form_count()


class UnchangedRowNotCheckedAgain(forms.ModelForm):
    """An inline row of an object that exists, posted back as it was shown, is left as
    it is: not checked again, as Django leaves an untouched empty row, and not saved, as
    Django already does not save it. Its checks cost queries (the chosen film read again,
    each unique and check constraint a query): about 17 a row, 9 to 12 s to save a list of
    1,000 films to change one position. A changed row is checked against the rows in the
    database, the unchanged ones included, as before."""

    def full_clean(self):
        if self.is_bound and self.instance.pk is not None and not self.has_changed():
            self._errors = ErrorDict(renderer=self.renderer)
            self.cleaned_data = {}
            return
        super().full_clean()


class FixedQueriesInline(ChoicesBeyondTheColumnRefused, admin.TabularInline):
    """A tabular inline whose autocomplete boxes read their chosen objects all at once,
    and whose unchanged rows cost no query when saved. Its queryset should also
    `select_related` what the rows' labels name. Its rows refuse an id no column holds
    (config/admin_choices.py), as the model admins' forms do.

    It shows the parent's first INLINE_ROWS_SHOWN rows in its `ordering`, and when there
    are more, says how many with a link to the list of them all. Its formset is a
    FirstRowsFormSet."""

    form = UnchangedRowNotCheckedAgain
    formset = FirstRowsFormSet
    template = "admin/edit_inline/tabular_first_rows.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)  # a class of its own
        if obj is not None and obj.pk is not None:
            formset.all_rows_url = self.all_rows_url(request, formset.fk, obj)
        return formset

    def all_rows_url(self, request, fk, parent) -> str | None:
        """The admin's list of the rows this inline shows, filtered to `parent`'s; None
        when there is no such list, or the person may not see it."""
        if not self.admin_site.is_registered(self.model):
            return None
        if not self.admin_site.get_model_admin(self.model).has_view_or_change_permission(request):
            return None
        opts = self.model._meta
        try:
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            return None
        return f"{url}?{urlencode(self.all_rows_lookups(fk, parent))}"

    def all_rows_lookups(self, fk, parent) -> dict[str, str]:
        """The list's filter to the rows this inline shows of `parent`: its rows."""
        return {f"{fk.name}__exact": str(parent.pk)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
