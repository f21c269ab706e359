"""A person's own lists of films ("Films to show the kids", "Comfort rewatches"), as on
Letterboxd and Trakt: a name, a description, and films in the order the person puts them,
each with a note. feedback.models imports these so that Django finds them.

Each rule has a CHECK or a UNIQUE the database itself holds, with the form's message: a
list's name is trimmed, not blank, on one line (no control character: it heads pages and
fills menus, select options and exports' cells), at most 100 characters (SQLite holds no
VARCHAR to its length) and the person's only list of that name in any letter case. Every
write stores it in Unicode's composed form (NFC) without invisible characters, which a
CHECK refuses, so that two names that look alike are one name to the UNIQUE; a film
is on a list once, at one position of its own. feedback/film_lists.py writes them.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Length, Lower, Now
from django.db.models.lookups import Exact, GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import (
    PLAUSIBLE_DATE_VALIDATORS,
    BoundedIntegerField,
    CheckedByValidation,
    fits_integer,
    integer_validators,
    plausible_date_constraints,
)
from catalog.models.reviews import STRIPPED_WHITESPACE, TrimCharacters
from feedback.media_ids import any_of, control_character_q, has_control_character
from feedback.querysets import FilmListEntryQuerySet, FilmListQuerySet

LIST_NAME_MAX_LENGTH = 100
LIST_DESCRIPTION_MAX_LENGTH = 1_000
LIST_NOTE_MAX_LENGTH = 500
LIST_NAME_BLANK_MESSAGE = "Give the list a name."
LIST_NAME_UNTRIMMED_MESSAGE = "A list's name cannot start or end with a space."
LIST_NAME_CONTROL_CHARACTER_MESSAGE = (
    "A list's name cannot hold a line break, a tab or another control character."
)
LIST_NAME_INVISIBLE_CHARACTER_MESSAGE = (
    "A list's name cannot hold an invisible character, such as a zero-width space."
)
LIST_NAME_TOO_LONG_MESSAGE = f"A list's name can be at most {LIST_NAME_MAX_LENGTH} characters long."
LIST_NAME_TAKEN_MESSAGE = "You already have a list of this name."
LIST_DESCRIPTION_TOO_LONG_MESSAGE = (
    f"A list's description can be at most {LIST_DESCRIPTION_MAX_LENGTH:,} characters long."
)
LIST_NOTE_TOO_LONG_MESSAGE = f"A note can be at most {LIST_NOTE_MAX_LENGTH} characters long."
ON_LIST_ALREADY_MESSAGE = "This film is on the list already."
POSITION_TAKEN_MESSAGE = "Another film of the list has this position."
POSITION_MESSAGE = "A position on a list is 1 or more."


# A control character (feedback/media_ids.py's CONTROL_CHARACTERS: C0, DEL and C1) with
# the whitespace, or other control characters, around it.
CONTROL_CHARACTER_RUN = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f]*[\x00-\x1f\x7f-\x9f][\s\x00-\x1f\x7f-\x9f]*"
)


def name_on_one_line(name: str) -> str:
    """The name as feedback migration 0017 mended the names it found: each control
    character, with the whitespace around it, one space, and the ends stripped. For an
    export taken before it, whose names the import mends the same way."""
    return CONTROL_CHARACTER_RUN.sub(" ", name).strip()


# Characters that show nothing and join or part no letters: inside "Favourites" a zero-width
# space made a second list that looked like the first, and the bidi controls reorder what
# a name shows. Names drop them (list_name_normalised); a CHECK refuses them. Kept: the
# zero-width joiner (U+200D), which makes 👨‍👩‍👧 one emoji, and the non-joiner (U+200C),
# which Persian and Indic spellings need: each changes what the name looks like.
INVISIBLE_IN_NAMES = frozenset(
    {
        "\u00ad",  # soft hyphen
        "\u061c",  # Arabic letter mark
        "\u180e",  # Mongolian vowel separator
        "\u200b",  # zero-width space
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        *map(chr, range(0x202A, 0x202F)),  # bidi embeddings and overrides
        *map(chr, range(0x2060, 0x2065)),  # word joiner, invisible operators
        *map(chr, range(0x2066, 0x206A)),  # bidi isolates
        "\ufeff",  # zero-width no-break space, a byte order mark
    }
)
INVISIBLE_REMOVED = dict.fromkeys(map(ord, INVISIBLE_IN_NAMES))


def list_name_normalised(name: str) -> str:
    """The name without invisible characters, in Unicode's composed form (NFC), as every
    write stores it: "Café" typed with "é" or with "e" and a combining accent is one
    name, so that the UNIQUE of a person's names sees the two alike. The invisible
    characters go first, since one between "e" and its accent keeps them apart."""
    return unicodedata.normalize("NFC", name.translate(INVISIBLE_REMOVED))


def name_mended(name: str) -> str:
    """A name of an export as feedback migrations 0017 and 0018 mend a list's name."""
    return name_on_one_line(list_name_normalised(name))


def invisible_character_q(field: str) -> Q:
    """The rows whose `field` holds one of INVISIBLE_IN_NAMES."""
    return any_of(Q(**{f"{field}__contains": char}) for char in sorted(INVISIBLE_IN_NAMES))


def trimmed(field: str):
    """The text without the whitespace str.strip() takes, in SQL on both databases."""
    return TrimCharacters(field, Value(STRIPPED_WHITESPACE))


def at_most(field: str, length: int, name: str, message: str) -> models.CheckConstraint:
    """A text's length, which validation checks already: a CharField's max_length, or
    clean() for a TextField's (whose max_length binds only its form field)."""
    return CheckedByValidation(
        condition=LessThanOrEqual(Length(field), length),
        name=name,
        violation_error_message=message,
    )


NAME_RULE_MESSAGES = frozenset(
    {
        LIST_NAME_TAKEN_MESSAGE,
        LIST_NAME_BLANK_MESSAGE,
        LIST_NAME_UNTRIMMED_MESSAGE,
        LIST_NAME_CONTROL_CHARACTER_MESSAGE,
        LIST_NAME_TOO_LONG_MESSAGE,
    }
)


def errors_moved_to_name(error_dict: dict[str, list[ValidationError]]) -> dict:
    whole_form = error_dict.pop(NON_FIELD_ERRORS, [])
    for error in whole_form:
        field = "name" if error.message in NAME_RULE_MESSAGES else NON_FIELD_ERRORS
        error_dict.setdefault(field, []).append(error)
    return error_dict


class FilmList(models.Model):
    """One person's list of films. The person's own, as their watchlist is: deleting the
    account deletes it (CASCADE), and nobody else sees it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="film_lists",
        verbose_name="owner",
    )
    name = models.CharField(max_length=LIST_NAME_MAX_LENGTH)
    description = models.TextField(blank=True, max_length=LIST_DESCRIPTION_MAX_LENGTH)
    created_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )
    # Moved on by every change to the list or its films: "Your lists" shows the
    # latest changed first.
    updated_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )

    objects = FilmListQuerySet.as_manager()

    class Meta:
        verbose_name = "film list"
        indexes = [
            # "Your lists": one person's lists, the latest changed first.
            models.Index(F("user"), F("updated_at").desc(), name="feedback_film_list_user_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                F("user"),
                Lower("name"),
                name="feedback_film_list_name_unique_per_user",
                violation_error_message=LIST_NAME_TAKEN_MESSAGE,
            ),
            # clean() states both rules of the name's spaces, with the same messages.
            CheckedByValidation(
                condition=GreaterThan(Length(trimmed("name")), 0),
                name="feedback_film_list_name_not_blank",
                violation_error_message=LIST_NAME_BLANK_MESSAGE,
            ),
            CheckedByValidation(
                condition=Exact(F("name"), trimmed("name")),
                name="feedback_film_list_name_trimmed",
                violation_error_message=LIST_NAME_UNTRIMMED_MESSAGE,
            ),
            # clean() states it, NUL included, which PostgreSQL stores in no text and
            # SQLite's LIKE cannot look for (feedback/media_ids.py).
            CheckedByValidation(
                condition=~control_character_q("name"),
                name="feedback_film_list_name_no_control_character",
                violation_error_message=LIST_NAME_CONTROL_CHARACTER_MESSAGE,
            ),
            # clean_fields() and save() remove them: only a write around both meets it.
            CheckedByValidation(
                condition=~invisible_character_q("name"),
                name="feedback_film_list_name_no_invisible_character",
                violation_error_message=LIST_NAME_INVISIBLE_CHARACTER_MESSAGE,
            ),
            at_most(
                "name",
                LIST_NAME_MAX_LENGTH,
                "feedback_film_list_name_length",
                LIST_NAME_TOO_LONG_MESSAGE,
            ),
            at_most(
                "description",
                LIST_DESCRIPTION_MAX_LENGTH,
                "feedback_film_list_description_length",
                LIST_DESCRIPTION_TOO_LONG_MESSAGE,
            ),
            *plausible_date_constraints("created_at", "feedback_film_list_created"),
            *plausible_date_constraints("updated_at", "feedback_film_list_updated"),
        ]

    def __str__(self):
        return f"{self.user}: {self.name}"

    def save(self, *args, **kwargs):
        # A write that skipped validation stores the name normalised too.
        self.name = list_name_normalised(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:film_list", kwargs={"pk": self.pk})

    def clean_fields(self, exclude=None):
        # Normalised before the length is checked and the UNIQUE asked: the form, the
        # services, the admin and the import of an export all validate through here.
        self.name = list_name_normalised(self.name)
        super().clean_fields(exclude)

    def validate_constraints(self, exclude=None):
        """The name's own rules as the name's errors. Django files a constraint's error
        under the name field only for a UNIQUE of that one field; these hold expressions
        (Lower, Trim), so their errors would stand above the whole form, far from the
        name the person has to change, and the admin would not mark the field. Of them,
        only the UNIQUE asks the database now: clean() states the CHECKs."""
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            raise ValidationError(errors_moved_to_name(error.error_dict)) from None

    def clean(self):
        # The CHECKs' rules, on the field, so that a form shows them beside the name.
        # Services strip the name first; "" is refused by the field itself. Validation
        # asks the database none of them (CheckedByValidation): every broken rule is
        # named here, not only the first.
        errors = {}
        if name_errors := self.name_errors():
            errors["name"] = name_errors
        # A TextField's max_length binds its form field only, not full_clean().
        if len(self.description) > LIST_DESCRIPTION_MAX_LENGTH:
            errors["description"] = LIST_DESCRIPTION_TOO_LONG_MESSAGE
        if errors:
            raise ValidationError(errors)

    def name_errors(self) -> list[str]:
        if self.name and not self.name.strip():
            # Nothing but spaces and line breaks: giving it a name is the one fix.
            return [LIST_NAME_BLANK_MESSAGE]
        errors = []
        if self.name != self.name.strip():
            errors.append(LIST_NAME_UNTRIMMED_MESSAGE)
        if has_control_character(self.name):
            errors.append(LIST_NAME_CONTROL_CHARACTER_MESSAGE)
        return errors


class FilmListEntry(models.Model):
    """A film on a person's list, at its position (1 is the top), with their note.

    The film, not a media item, as on the watchlist: people list films from the catalog.
    CASCADE on the film, as the watchlist does: an entry says nothing once its film is
    gone (a duplicate merged away, say), and PROTECT would let one person's list stop
    staff from deleting a film. The positions then keep a gap, which the order ignores.
    """

    film_list = models.ForeignKey(
        FilmList, on_delete=models.CASCADE, related_name="entries", verbose_name="list"
    )
    movie = models.ForeignKey(
        "catalog.Movie", on_delete=models.CASCADE, related_name="film_list_entries"
    )
    position = BoundedIntegerField(validators=integer_validators(1, POSITION_MESSAGE))
    note = models.TextField(blank=True, max_length=LIST_NOTE_MAX_LENGTH)
    added_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )

    objects = FilmListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "film list entry"
        verbose_name_plural = "film list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["film_list", "movie"],
                name="feedback_film_list_entry_one_per_film",
                violation_error_message=ON_LIST_ALREADY_MESSAGE,
            ),
            # Also the index of a list's films in order.
            models.UniqueConstraint(
                fields=["film_list", "position"],
                name="feedback_film_list_entry_one_per_position",
                violation_error_message=POSITION_TAKEN_MESSAGE,
            ),
            # The field's validators state it (integer_validators), with its message.
            CheckedByValidation(
                condition=Q(position__gte=1),
                name="feedback_film_list_entry_position_positive",
                violation_error_message=POSITION_MESSAGE,
            ),
            fits_integer("position", "feedback_film_list_entry_position_fits"),
            at_most(
                "note",
                LIST_NOTE_MAX_LENGTH,
                "feedback_film_list_entry_note_length",
                LIST_NOTE_TOO_LONG_MESSAGE,
            ),
            *plausible_date_constraints("added_at", "feedback_film_list_entry_added"),
        ]

    def __str__(self):
        return f"{self.movie} on {self.film_list.name}"

    def clean(self):
        # A TextField's max_length binds its form field only, not full_clean().
        if len(self.note) > LIST_NOTE_MAX_LENGTH:
            raise ValidationError({"note": LIST_NOTE_TOO_LONG_MESSAGE})
