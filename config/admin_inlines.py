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
"""

from collections import defaultdict

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.forms.utils import ErrorDict

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
    (config/admin_choices.py), as the model admins' forms do."""

    form = UnchangedRowNotCheckedAgain
    formset = ChosenObjectsInOneQueryFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
