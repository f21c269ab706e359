"""A form that comes back with errors puts the cursor in the first field that is wrong.

Without it the page came back with the focus nowhere (on <body>), scrolled to the top,
and an error of a long page (an import's file, under its explanation) showed 1,300 px
down on a phone: a person pressing Import saw the page as it was before and took the
upload for ignored. The browser focuses and scrolls to an `autofocus` field as the page
loads, with no JavaScript, and a screen reader reads the field's error with it
(aria-describedby). A field Django focuses on an empty form (a sign-up's username) gives
way to the one that is wrong; a form with errors on none of its fields (a log-in that
failed) keeps Django's.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


def first_field_in_error(form) -> str | None:
    """The name of the form's first field, in the form's order, with an error."""
    if not form.is_bound:
        return None
    errors = form.errors
    return next((name for name in form.fields if name in errors), None)


class ErrorFocusBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        wrong = first_field_in_error(self.form)
        if wrong is not None:
            # False leaves out an autofocus the widget has of its own (Django's attrs.html).
            attrs["autofocus"] = wrong == self.name
        return attrs


class ErrorFocusRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: every form's fields, the admin's included."""

    bound_field_class = ErrorFocusBoundField
