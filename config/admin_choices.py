"""Admin relation fields that refuse an id no integer column holds with their own "Select
a valid choice", as they refuse an id that names nothing, on SQLite as on PostgreSQL.

SQLite's driver cannot send an integer past 64 bits. Django's guard against that covers
a lookup `pk=…` on the model's own integer key, not `pk__in=…`: a many-to-many field
checks its choices with one (a film's genres, an account's groups), and an autocomplete
box reads with one the object chosen in it, to draw it again on a form sent back with an
error. Posted `to_movie=99999999999999999999`, either was an OverflowError, a 500. Here
the form fields refuse such an id before any query, and the boxes leave it unchosen.

The boxes failed as well on a value their column cannot read at all, whose form error
Django already gives: `to_movie=abc` (a ValueError, on both databases) or a media item
`a%00b` (PostgreSQL refuses to be sent a NUL, a DataError). They leave those out too.

MarqueeModelAdmin (config/admin_lists.py) and the inlines (config/admin_inlines.py)
hold this for every admin of ours; the other apps' admins get it when the admin app is
ready (check_lookups_everywhere). A text key (a media item's) is left to Django's fields.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models, router

from config.admin_objects import NUL, beyond_the_column, compared_column


def text_beyond_the_column(field: models.Field, text, using: str) -> bool:
    """Whether `text`, as posted for `field`, is an integer the column behind it (through
    any relations) cannot hold."""
    column = compared_column(field)
    if not isinstance(column, models.IntegerField):
        return False
    try:
        value = column.to_python(text)
    except ValidationError:
        return False  # not a number: Django refuses it itself
    return beyond_the_column(column, value, using)


def column_holds(field: models.Field, text, using: str) -> bool:
    """Whether `text`, as posted for `field`, is a value the column behind it (through
    any relations) can hold, and so may be sent to the database to be compared."""
    column = compared_column(field)
    try:
        value = column.to_python(text)
    except ValidationError:
        return False
    if isinstance(value, str) and NUL in value:
        return False
    return not beyond_the_column(column, value, using)


class ChoiceBeyondTheColumnRefused:
    """For a model choice field: its error for a choice that names nothing, given for an
    id its key's column cannot hold, before the query that would send that id."""

    def refuse_beyond_the_column(self, value) -> None:
        options = self.queryset.model._meta
        key = options.get_field(self.to_field_name) if self.to_field_name else options.pk
        if text_beyond_the_column(key, value, self.queryset.db):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class BoundedModelChoiceField(ChoiceBeyondTheColumnRefused, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            self.refuse_beyond_the_column(value)
        return super().to_python(value)


class BoundedModelMultipleChoiceField(ChoiceBeyondTheColumnRefused, forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, (list, tuple)):  # anything else is Django's to refuse
            for chosen in value:
                self.refuse_beyond_the_column(chosen)
        return super().clean(value)


class ChosenBeyondTheColumnLeftOut:
    """For an autocomplete box: a chosen value its column cannot hold is not looked up to
    be drawn. No object has it, so the box shows nothing chosen, as for one that names
    nothing; the form field says what is wrong with it."""

    def optgroups(self, name, value, attr=None):
        using = self.db or router.db_for_read(self.field.related_model)
        value = [chosen for chosen in value if column_holds(self.field, chosen, using)]
        return super().optgroups(name, value, attr)


class BoundedAutocompleteSelect(ChosenBeyondTheColumnLeftOut, AutocompleteSelect):
    pass


class BoundedAutocompleteSelectMultiple(ChosenBeyondTheColumnLeftOut, AutocompleteSelectMultiple):
    pass


class ChoicesBeyondTheColumnRefused:
    """A model admin or inline whose relation fields, and their autocomplete boxes, refuse
    an id no column holds (above). Another widget, given or chosen by the admin, is kept:
    a dropdown reads its choices whole, and a raw id box its chosen object by `pk=…`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
