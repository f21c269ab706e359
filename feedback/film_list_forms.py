"""Forms of a person's lists of films, in the models' words (feedback/film_list_models.py),
so that a form error and a database error say the same thing."""

from django import forms

from catalog.bounds import INTEGER_MAX
from catalog.search import QUERY_MAX_LENGTH
from config.form_fields import TextareaField
from feedback.film_list_models import (
    LIST_DESCRIPTION_MAX_LENGTH,
    LIST_DESCRIPTION_TOO_LONG_MESSAGE,
    LIST_NAME_MAX_LENGTH,
    LIST_NAME_TOO_LONG_MESSAGE,
    LIST_NOTE_MAX_LENGTH,
    LIST_NOTE_TOO_LONG_MESSAGE,
    list_name_normalised,
)
from feedback.models import FilmList

CHOOSE_A_LIST_MESSAGE = "Choose one of your lists."


class ListNameField(forms.CharField):
    """A list's name, normalised as every write stores it (list_name_normalised) before
    its length is checked: a name of 100 characters and a zero-width space pasted with it
    is a name of 100 characters. First, so that a space an invisible character hid at
    either end is stripped with the others."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", LIST_NAME_MAX_LENGTH)
        kwargs.setdefault("error_messages", {"max_length": LIST_NAME_TOO_LONG_MESSAGE})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = list_name_normalised(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No maxlength for the browser: it counts the invisible characters too, and cut
        # a pasted name of 100 characters and a zero-width space short by its last
        # letter, without a word. The length is checked here, once they are gone.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class FilmListForm(forms.Form):
    """A list's name and description: to make a list, or to edit one."""

    name = ListNameField(widget=forms.TextInput(attrs={"autocomplete": "off"}))
    description = TextareaField(
        required=False,
        max_length=LIST_DESCRIPTION_MAX_LENGTH,
        error_messages={"max_length": LIST_DESCRIPTION_TOO_LONG_MESSAGE},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def initial_for(cls, film_list: FilmList) -> dict:
        return {"name": film_list.name, "description": film_list.description}


class AddToListForm(forms.Form):
    """The film page's "Add to a list": one of the person's own lists, no one else's."""

    film_list = forms.ModelChoiceField(
        queryset=FilmList.objects.none(),
        label="Add to a list",
        empty_label="Choose a list",
        error_messages={
            "required": CHOOSE_A_LIST_MESSAGE,
            "invalid_choice": CHOOSE_A_LIST_MESSAGE,
        },
    )

    def __init__(self, user, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["film_list"]
        field.queryset = FilmList.objects.filter(user=user).order_by("name")
        if lists is not None:
            # The film page's lists, read already: shown without a query of their own.
            field.choices = [("", field.empty_label), *((fl.pk, fl.name) for fl in lists)]


class FindFilmForm(forms.Form):
    """A list page's "Add a film": words of the film's title, found as the site's search
    finds them (catalog/search.py). A GET form, so its results stay on the page while
    films are added one after another."""

    find = forms.CharField(
        label="Add a film",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Its title"}),
    )


class MoveForm(forms.Form):
    """Where a film goes on its list: 1 is the top; past either end is that end."""

    position = forms.IntegerField(min_value=-INTEGER_MAX, max_value=INTEGER_MAX)


class NoteForm(forms.Form):
    note = TextareaField(
        required=False,
        max_length=LIST_NOTE_MAX_LENGTH,
        error_messages={"max_length": LIST_NOTE_TOO_LONG_MESSAGE},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def film_lists_context(user, movie) -> dict:
    """The film page's "Add to a list": the person's lists in one query, those holding
    the film named (film_lists_holding), the others offered in the form's select."""
    lists = list(FilmList.objects.holding(user, movie))
    others = [film_list for film_list in lists if not film_list.holds_film]
    return {
        "film_lists_holding": [film_list for film_list in lists if film_list.holds_film],
        "add_to_list_form": AddToListForm(user, lists=others) if others else None,
        "has_film_lists": bool(lists),
    }
