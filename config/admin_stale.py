"""Admin forms that know the values their page was drawn with, and refuse a save made
from a page someone else changed meanwhile.

Staff and members use the site at once. Staff opened a viewing's page, its person then
corrected the viewing on the site, and staff changed only the minutes and saved: the
admin wrote back every field of the page, the old start and "finished" with the new
minutes, and the person's correction was lost without a word. On a film's page, a
rating row staff never touched was taken for an edit because its person had changed
their stars meanwhile: Django compares what a row posts with the row as it is now.

Each field of an object that exists is drawn with a hidden copy of the value it was
drawn with (Django's `show_hidden_initial`, "initial-<name>"), so that:

- `changed_data` is what staff changed on the page, compared with that copy, not with
  the row as it is now. An inline row staff did not change is neither checked again nor
  saved (config/admin_inlines.py), whatever happened to it meanwhile.
- the values the page was drawn with are compared with the object as it is now, as the
  field compares a posted value with a stored one (a start drawn to the second is the
  same as the stored one with its microseconds). A field that differs was changed by
  someone else: the save is refused, naming it, and nothing is written. For the page's
  own object this holds whatever staff changed, since its save writes every field; for
  an inline row, when staff changed that row.

A POST without those copies (a script, a test written before them) is compared with
the object as it is now, as before, and is not refused. A field drawn disabled is left
out (the account's password hash stays off the page), as is a file.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.boundfield import BoundField
from django.utils.functional import cached_property
from django.utils.text import format_lazy

CHANGED_MEANWHILE = (
    "Someone changed this {object} since you opened this page ({fields}). Reload the "
    "page to see the change, then make yours again."
)

DELETED_MEANWHILE = (
    "Someone deleted this {object} since you opened this page. Reload the page to see "
    "the change, then make yours again."
)


def deleted_meanwhile(model) -> str:
    return format_lazy(DELETED_MEANWHILE, object=model._meta.verbose_name)


class DrawnValueKept(BoundField):
    """A field whose hidden copy, drawn again after an error, holds the value the page
    was first drawn with. Django keeps that value only for one-input widgets: a date and
    time's two inputs took the value posted, so that a start staff changed counted as
    unchanged at the next save, and as changed by someone else."""

    def as_hidden(self, attrs=None, **kwargs):
        if not (kwargs.get("only_initial") and self.form.is_bound):
            return super().as_hidden(attrs, **kwargs)
        widget = self.field.hidden_widget()
        if self.form.drawn_value_posted(self):
            value = self.form.drawn_value(self)
        else:
            value = self.field.prepare_value(self.initial)  # the object as it is now
        attrs = self.build_widget_attrs(attrs or {}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.html_initial_id)
        return widget.render(self.html_initial_name, value, attrs, self.form.renderer)


class DrawnValuesCompared:
    """For a model form: the fields of an object that exists post the values they were
    drawn with, and `changed_data` compares with those (above)."""

    bound_field_class = DrawnValueKept

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            return  # a new object: nothing was drawn from the database
        for field in self.fields.values():
            if not field.disabled and not isinstance(field, forms.FileField):
                field.show_hidden_initial = True

    def compared_fields(self):
        return [bf for _, bf in self._bound_items() if bf.field.show_hidden_initial]

    def own_copy_posted(self, bf) -> bool:
        return not bf.field.hidden_widget().value_omitted_from_data(
            self.data, self.files, bf.html_initial_name
        )

    @cached_property
    def drawn_values_posted(self) -> bool:
        """Whether the POST holds the drawn values: a browser's, from the page."""
        return self.is_bound and any(self.own_copy_posted(bf) for bf in self.compared_fields())

    def drawn_value_posted(self, bf) -> bool:
        """Whether the POST holds `bf`'s drawn value. A field of several values (genres)
        posts nothing when it had none: it had none when the form's others posted
        theirs. One posted without its copy is compared with the object as it is now."""
        if isinstance(bf.field.hidden_widget(), forms.MultipleHiddenInput):
            return self.drawn_values_posted
        return self.is_bound and self.own_copy_posted(bf)

    def drawn_value(self, bf):
        """What `bf`'s hidden copy posted, as the widget posts it."""
        widget = bf.field.hidden_widget()
        return widget.value_from_datadict(self.data, self.files, bf.html_initial_name)

    @cached_property
    def changed_data(self):
        compared = {bf.name for bf in self.compared_fields() if self.drawn_value_posted(bf)}
        return [
            name
            for name, bf in self._bound_items()
            if (
                self.changed_since_drawn(bf)
                if name in compared
                else bf.field.has_changed(bf.initial, bf.data)  # the object as it is now
            )
        ]

    def changed_since_drawn(self, bf) -> bool:
        drawn = self.drawn_value(bf)
        # A choice of objects compares as text: its to_python() would read the object.
        if not isinstance(bf.field, forms.ModelChoiceField):
            try:
                drawn = bf.field.to_python(drawn)
            except ValidationError:
                return True  # as Django's comparison with a hidden copy has it
        return bf.field.has_changed(drawn, bf.data)

    def changed_meanwhile(self) -> list[BoundField]:
        """The fields whose drawn value is not the object's value now, compared as the
        field compares a posted value with a stored one."""
        return [
            bf
            for bf in self.compared_fields()
            if self.drawn_value_posted(bf)
            and bf.field.has_changed(bf.initial, self.drawn_value(bf))
        ]


class StaleSaveRefused(DrawnValuesCompared):
    """For a model form: a save from a page drawn before someone else changed one of its
    fields is refused, naming them.

    `kept_when_changed_meanwhile` names fields the site moves on by itself (a list's
    "updated at", at every change to its films): changed meanwhile and not by staff, they
    keep their value now and refuse nothing."""

    kept_when_changed_meanwhile: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        self.unchanged_moments_kept()
        changed = []
        for bf in self.changed_meanwhile():
            if bf.name in self.kept_when_changed_meanwhile and bf.name not in self.changed_data:
                self.cleaned_data.pop(bf.name, None)  # not written: the object keeps its own
            else:
                changed.append(bf)
        if changed:
            raise ValidationError(
                format_lazy(
                    CHANGED_MEANWHILE,
                    object=self._meta.model._meta.verbose_name,
                    fields=", ".join(str(self.field_name(bf)) for bf in changed),
                ),
                code="changed_meanwhile",
            )
        return cleaned

    def unchanged_moments_kept(self) -> None:
        """A date and time staff left as drawn is not written: the object keeps its own.
        The admin draws one to the second, so writing it back cut the microseconds off a
        stored one at every save of its page, and those order what they date: the latest
        rated feedback, or whether a watchlist entry came after a film was turned down
        (feedback.not_interested.watchlist_wins), could change within a second."""
        if self.instance._state.adding:
            return
        for name, bf in self._bound_items():
            moment = isinstance(bf.field, forms.DateTimeField | forms.SplitDateTimeField)
            if moment and name in self.cleaned_data and name not in self.changed_data:
                del self.cleaned_data[name]  # construct_instance leaves it as stored

    def field_name(self, bf):
        try:
            return self._meta.model._meta.get_field(bf.name).verbose_name
        except FieldDoesNotExist:
            return bf.label


class MarqueeModelForm(StaleSaveRefused, forms.ModelForm):
    """The form of every MarqueeModelAdmin's page (config/admin_lists.py)."""
