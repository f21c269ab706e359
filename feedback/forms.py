"""Forms for feedback, "I watched this" and history corrections.

Their rules are the models' rules, with the models' wording, so that a form error and a
database error say the same thing.
"""

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from catalog.bounds import PLAUSIBLE_DATE_VALIDATORS
from feedback.models import (
    MINUTES_WATCHED_MAX,
    MINUTES_WATCHED_VALIDATORS,
    RATING_MAX,
    RATING_MIN,
    Media,
    UserFeedback,
    ViewingHistory,
    time_zone_names,
)

# The booleans are nullable: "not said" is a real answer, distinct from "no".
TRI_STATE_CHOICES = [("", "Not said"), ("yes", "Yes"), ("no", "No")]
TRI_STATE_VALUES = {True: "yes", False: "no", None: ""}
RATING_WORDS = {RATING_MIN: "disliked", RATING_MAX: "loved"}
RATING_CHOICES = [
    (value, f"{value} – {RATING_WORDS[value]}" if value in RATING_WORDS else str(value))
    for value in range(RATING_MIN, RATING_MAX + 1)
]


def constraint_message(model, name: str) -> str:
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return str(constraint.violation_error_message)


SAYS_NOTHING_MESSAGE = constraint_message(UserFeedback, "feedback_says_something")
UNKNOWN_MEDIA_MESSAGE = "No media item has the id “%(media_id)s”."
SHOWN_IN_UNKNOWN_MESSAGE = (
    "This form was shown in a time zone Marquee does not know, so its times cannot be read. "
    "Open the page again and make your changes there."
)


def minutes_watched_field(**options) -> forms.IntegerField:
    """The model's bounds with the model's messages, which min_value and max_value would
    repeat in Django's words ("Ensure this value is less than or equal to 10080.")."""
    return forms.IntegerField(
        label="Minutes watched",
        required=False,
        validators=MINUTES_WATCHED_VALIDATORS,
        widget=forms.NumberInput(attrs={"min": 0, "max": MINUTES_WATCHED_MAX}),
        **options,
    )


def started_at_input() -> forms.DateTimeInput:
    """A browser's date and time picker, in the person's time zone, to the minute."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the current zone, as the datetime-local input gives it:
    the person's own, or the site's (feedback.time_zones activates it).

    A time the clocks go through twice (the hour they go back) could be either moment,
    and one they skip (the hour they go forward) is none: both are refused, saying so
    rather than in Django's words ("may be ambiguous or it may not exist").
    """

    # The zone the form was shown in (ShownInZoneForm), when it says; else the current one.
    zone: dt.tzinfo | None = None

    def clean(self, value):
        with timezone.override(self.zone) if self.zone else contextlib.nullcontext():
            return self.clean_in_zone(value)

    def clean_in_zone(self, value):
        return super().clean(value)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
            typed = error.params["datetime"]
            raise ValidationError(
                clocks_change_message(typed, timezone.get_current_timezone()),
                code="ambiguous_timezone",
            ) from None


def clocks_change_message(typed: dt.datetime, zone) -> str:
    when = f"{typed.hour}:{typed:%M} on {date_format(typed.date(), 'j F Y')}"
    as_read = typed.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)
    if as_read.replace(tzinfo=None) != typed:  # read back as another time: skipped
        return (
            f"{when} does not exist in {zone}: the clocks skip it that night. "
            "Choose a time outside that hour."
        )
    return (
        f"{when} happens twice in {zone}, where the clocks go back that night, so it could "
        "be either. Choose a time outside that hour."
    )


class ViewingStartField(LocalDateTimeField):
    """The start of a viewing being corrected, shown to the minute in the person's zone.

    Sent back as shown, it is the viewing's stored start (`stored`), seconds included:
    the input cannot show them, and a start typed in the hour the clocks go back could
    be either of two moments, while the stored one is one of them. So only a start the
    person changed is read, and refused if it falls in such an hour.
    """

    stored: dt.datetime | None = None

    def clean_in_zone(self, value):
        # Compared as shown: in the zone the form was shown in, not the person's now.
        if self.stored is not None and self.as_shown(value) == self.shown_stored():
            return self.stored
        return super().clean_in_zone(value)

    def shown_stored(self) -> dt.datetime:
        return self.prepare_value(self.stored).replace(second=0, microsecond=0)

    @staticmethod
    def as_shown(value) -> dt.datetime | None:
        """The naive local minute typed, or None if the text is not one (then read as
        any other: refused as it deserves)."""
        try:
            typed = parse_datetime(value.strip()) if isinstance(value, str) else None
        except ValueError:
            return None
        if typed is None or timezone.is_aware(typed):
            return None
        return typed.replace(second=0, microsecond=0)


def tri_state_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=TRI_STATE_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field if the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class StarsForm(forms.Form):
    """The film page's stars: a rating alone, the person's other answers left as they are."""

    rating = forms.TypedChoiceField(
        choices=RATING_CHOICES,
        coerce=int,
        error_messages={
            "required": "Choose from 1 to 5 stars.",
            "invalid_choice": "Choose from 1 to 5 stars.",
        },
    )


class FeedbackForm(forms.Form):
    watched_completion = tri_state_field("Watched to completion")
    would_watch_again = tri_state_field("Would watch again")
    rating = forms.TypedChoiceField(
        choices=[("", "No rating"), *RATING_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=UserFeedback._meta.get_field("rating").help_text,
    )

    @staticmethod
    def initial_for(feedback: UserFeedback | None) -> dict:
        if feedback is None:
            return {}
        return {
            "watched_completion": TRI_STATE_VALUES[feedback.watched_completion],
            "would_watch_again": TRI_STATE_VALUES[feedback.would_watch_again],
            "rating": feedback.rating or "",
        }

    def clean(self):
        cleaned = super().clean()
        answers = ("watched_completion", "would_watch_again", "rating")
        # Only when every answer is valid: "rating 7" is already its own error.
        if all(name in cleaned for name in answers) and all(
            cleaned[name] is None for name in answers
        ):
            raise ValidationError(SAYS_NOTHING_MESSAGE, code="says_nothing")
        return cleaned

    def answers(self) -> dict:
        """The keyword arguments for feedback_record: every answer, "not said" included."""
        return {
            name: self.cleaned_data[name]
            for name in ("watched_completion", "would_watch_again", "rating")
        }


class NewFeedbackForm(FeedbackForm):
    """Feedback on any media item, named by the id its media server uses."""

    media_id = forms.CharField(
        label="Media id",
        max_length=Media._meta.get_field("media_id").max_length,
        help_text="The id your media server uses for it, such as plex:12345.",
    )
    field_order = ["media_id", "watched_completion", "would_watch_again", "rating"]

    media: Media | None = None

    def clean_media_id(self):
        media_id = self.cleaned_data["media_id"]
        self.media = Media.objects.filter(pk=media_id).first()
        if self.media is None:
            raise ValidationError(
                UNKNOWN_MEDIA_MESSAGE, code="unknown_media", params={"media_id": media_id}
            )
        return media_id


class ShownInZoneForm(forms.Form):
    """A form whose `started_at` is read in the zone it was shown in, which it carries
    hidden: changed in another tab in between, the person's zone would read the minute
    shown as another moment, hours away (20:00 shown in Berlin, read in Tokyo, is 7 hours
    earlier). A time typed is read there too, since that is the zone of the times the
    person saw. A form without it (a bare button, a page from before) is read in the
    person's zone now; a zone the time zone data does not know is an error of the form,
    not its hidden field's, which the page could not show."""

    # A plain field: what a CharField refuses itself (a NUL) would be the hidden field's
    # error, which no page shows; clean_shown_in refuses whatever is no zone.
    shown_in = forms.Field(
        required=False, widget=forms.HiddenInput, initial=timezone.get_current_timezone_name
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Said beside the start, so that a page shown before a change of zone (or on a
        # trip) says which clock its times are on.
        shown = self["shown_in"].value()
        zone = shown if shown in time_zone_names() else timezone.get_current_timezone_name()
        field = self.fields["started_at"]
        field.help_text = " ".join(filter(None, [field.help_text, f"Times are in {zone}."]))

    def clean_shown_in(self) -> str:
        # Cleaned before `started_at` (the fields of a base form come first), so that it
        # is read in this zone.
        name = self.cleaned_data["shown_in"]
        if name in time_zone_names():
            self.fields["started_at"].zone = ZoneInfo(name)
        elif name:
            self.add_error(None, ValidationError(SHOWN_IN_UNKNOWN_MESSAGE, code="unknown_zone"))
        return name

    def clean(self):
        cleaned = super().clean()
        # Its work done: cleaned_data holds the answers alone, which the views pass on to
        # a service as they are.
        cleaned.pop("shown_in", None)
        return cleaned


class FinishedCheckbox(forms.CheckboxInput):
    """A "finished it" box that means yes when the form did not ask.

    An unticked box sends nothing, so the page's form sends a hidden "false" before the
    box (the box's "on" comes last and wins when ticked). A POST with neither, such as a
    bare "I watched this" button on another page, records a finished viewing.
    """

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return True
        return super().value_from_datadict(data, files, name)


class WatchedForm(ShownInZoneForm):
    """ "I watched this". The page's form says when (now unless changed: "last week" is
    common), how long and whether to the end; a bare button sends none of it and means
    a finished viewing that starts now."""

    started_at = LocalDateTimeField(
        label="Watched on",
        required=False,
        initial=timezone.now,
        validators=PLAUSIBLE_DATE_VALIDATORS,
        widget=started_at_input(),
        help_text="When you started it: now, or another day.",
    )
    minutes_watched = minutes_watched_field(help_text="Leave empty if you do not know.")
    completed = forms.BooleanField(
        label="I finished it", required=False, initial=True, widget=FinishedCheckbox
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The picker offers no day after today (in the person's zone): a viewing is not in
        # the future. The model's rule, a day's leeway for a clock that is off, still
        # decides what is refused, with its words.
        self.fields["started_at"].widget.attrs["max"] = f"{timezone.localdate():%Y-%m-%d}T23:59"


class ViewingForm(ShownInZoneForm):
    """A viewing corrected: when it started, how long, whether to the end.

    A plain form, not a ModelForm: viewing_update validates the viewing (full_clean),
    and must, being safe to call on its own as every service is. A ModelForm validated
    the same row before it, so every rule was checked twice on each save (each CHECK a
    query then), and still it could not check the rule of the film's year, which needs
    the item the form leaves out. So the form checks what was typed, with the model's
    validators (no query, every mistake shown at once), and the service's errors come
    back to these fields (add_service_errors), as for "I watched this".
    """

    started_at = ViewingStartField(
        label="Started at", validators=PLAUSIBLE_DATE_VALIDATORS, widget=started_at_input()
    )
    minutes_watched = minutes_watched_field()
    completed = forms.BooleanField(label="Finished it", required=False)
    viewing_fields = ("started_at", "minutes_watched", "completed")

    def __init__(self, *args, viewing: ViewingHistory, **kwargs):
        initial = {name: getattr(viewing, name) for name in self.viewing_fields}
        super().__init__(*args, initial=initial, **kwargs)
        self.stored_start = viewing.started_at
        self.fields["started_at"].stored = self.stored_start

    def changes(self) -> dict:
        """The keyword arguments for viewing_update: the start only if the person changed
        it, so that an unchanged one stays exactly as stored."""
        changes = {name: self.cleaned_data[name] for name in ("minutes_watched", "completed")}
        if self.cleaned_data["started_at"] != self.stored_start:
            changes["started_at"] = self.cleaned_data["started_at"]
        return changes
