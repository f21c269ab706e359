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
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.forms.utils import ErrorDict
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property

from config.admin_choices import (
    BoundedAutocompleteSelect,
    ChoicesBeyondTheColumnRefused,
    column_holds,
)
from config.admin_stale import StaleSaveRefused, deleted_meanwhile


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


# The most rows of one parent an inline shows, and posts back: about 1,900 fields for the
# widest inline (ratings, each field with the value it was drawn with), well within
# DATA_UPLOAD_MAX_NUMBER_FIELDS, and a page that stays fast to draw and to save.
INLINE_ROWS_SHOWN = 100


class FirstRowsFormSet(ChosenObjectsInOneQueryFormSet):
    """The parent's first INLINE_ROWS_SHOWN rows in the inline's order; the others are
    neither shown nor posted, and a save leaves them as they are.

    Posted back, the rows are those the page showed, found by the ids it posted: a row
    added meanwhile (a newer rating, first in the order) pushes none of them out, and the
    changes posted for each reach it. An id of a row the parent does not hold finds
    nothing, as in Django's formsets; that row is not saved, and says it was deleted
    (UnchangedRowNotCheckedAgain), which is what happened to a row the page showed."""

    shown = INLINE_ROWS_SHOWN
    all_rows_url: str | None = None  # the list of all the parent's rows; given by the inline

    def get_queryset(self):
        if self.is_bound and "forms" in self.__dict__:
            # Drawn again after an error, the admin pairs the nth row with the nth object
            # of this: the rows' own objects in the order posted, with None for one
            # deleted meanwhile. The rows found, in the inline's order, put a row on
            # another's object after a reordering, and left a deleted row (and its error)
            # off the page.
            return [None if f.instance._state.adding else f.instance for f in self.initial_forms]
        if not hasattr(self, "_queryset"):
            # Django's: the parent's rows (none for a parent not saved yet), in order.
            rows = super().get_queryset()
            self._queryset = self.rows_posted(rows) if self.is_bound else rows[: self.shown]
        return self._queryset

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # A row the page showed whose posted id finds nothing now: Django makes it a new
        # row, whose hidden id field alone holds the error, which no page shows.
        form.deleted_meanwhile = (
            self.is_bound
            and i < self.initial_form_count()
            and form.instance._state.adding
            and bool(self.data.get(f"{form.prefix}-{self.model._meta.pk.name}"))
        )
        return form

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


class UnchangedRowNotCheckedAgain(StaleSaveRefused, forms.ModelForm):
    """An inline row of an object that exists, posted back as it was shown, is left as
    it is: not checked again, as Django leaves an untouched empty row, and not saved, as
    Django already does not save it. Its checks cost queries (the chosen film read again,
    each unique and check constraint a query): about 17 a row, 9 to 12 s to save a list of
    1,000 films to change one position. A changed row is checked against the rows in the
    database, the unchanged ones included, as before.

    "Posted back as it was shown" is compared with the values the page drew
    (config/admin_stale.py), not with the row as it is now: a row its person changed
    meanwhile (their stars, their list's order) is not taken for staff's edit. A row staff
    changed that someone else changed too is refused, naming what they changed; one
    deleted meanwhile (FirstRowsFormSet) is refused saying so, on the row."""

    deleted_meanwhile = False

    def full_clean(self):
        if self.is_bound and self.instance.pk is not None and not self.has_changed():
            self._errors = ErrorDict(renderer=self.renderer)
            self.cleaned_data = {}
            return
        super().full_clean()
        if self.deleted_meanwhile:
            # In place of the hidden id's "Select a valid choice", the row's own error. Its
            # DELETE box stays cleaned: a row marked for deletion is let go, errors and all.
            self._errors = ErrorDict(renderer=self.renderer)
            self.add_error(None, ValidationError(deleted_meanwhile(self._meta.model)))


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
