"""What people watch: media items, their feedback on each, their viewing history, the
films they mean to watch (their watchlist) and those they turned down, their own lists
of films (feedback/film_list_models.py), and the time zone each reads their times in.

Column names follow the seed schema (`media_id`, `type`, `feedback_id`, `timestamp`), so
that the tables read the same to anyone who knows the original design.
"""

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q
from django.db.models.functions import Length, Now
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from catalog.bounds import (
    PLAUSIBLE_DATE_VALIDATORS,
    BoundedIntegerField,
    BoundedSmallIntegerField,
    CheckedByValidation,
    fits_integer,
    integer_validators,
    not_in_the_future,  # noqa: F401 - migration 0004 names it here
    plausible_date_constraints,
)
from catalog.folding import fold
from catalog.models import STARS_MAX, STARS_MIN
from feedback.media_ids import MEDIA_ID_CONSTRAINTS, from_media_server, validate_media_id
from feedback.querysets import (
    MediaQuerySet,
    NotInterestedQuerySet,
    UserFeedbackQuerySet,
    ViewingHistoryQuerySet,
    WatchlistEntryQuerySet,
)
from feedback.viewing_start import viewing_start_problem

RATING_MIN, RATING_MAX = STARS_MIN, STARS_MAX  # the stars of a Marquee rating
RATING_MESSAGE = f"The rating must be between {RATING_MIN} and {RATING_MAX}."
DURATION_MESSAGE = "The duration must be at least one minute."
MINUTES_WATCHED_MESSAGE = "Minutes watched cannot be negative."
ON_WATCHLIST_ALREADY_MESSAGE = "This film is already on your watchlist."
# A week of watching: a typo such as 9000000 is an error, not a viewing, wherever it is
# typed (the site's forms, the admin) or read (an export brought back).
MINUTES_WATCHED_MAX = 7 * 24 * 60
MINUTES_WATCHED_MAX_MESSAGE = (
    f"Minutes watched cannot be more than {MINUTES_WATCHED_MAX:,}, a week of watching."
)
MINUTES_WATCHED_VALIDATORS = [
    MinValueValidator(0, message=MINUTES_WATCHED_MESSAGE),
    MaxValueValidator(MINUTES_WATCHED_MAX, message=MINUTES_WATCHED_MAX_MESSAGE),
]

# Where an imported viewing came from: its source and that source's own key of the watch,
# "letterboxd:https://boxd.it/abc" (a diary entry's link) or "trakt:123456" (a history
# id), so that a re-import finds the viewing wherever its date was moved since. Both are
# a few dozen characters; a longer key is none an import gives (feedback.import_keys).
IMPORT_KEY_MAX_LENGTH = 200
IMPORT_KEY_TOO_LONG_MESSAGE = (
    f"An import key can be at most {IMPORT_KEY_MAX_LENGTH} characters long."
)
IMPORT_KEY_TAKEN_MESSAGE = "Another viewing of this person already came from this import line."


class UniqueImportKey(models.UniqueConstraint):
    """A person's one viewing of each import key. A viewing without one (every viewing
    logged on the site) cannot break it, and is not asked of the database: full_clean()
    on each page that records a viewing would cost a query more for nothing."""

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if instance.import_key:
            super().validate(model, instance, exclude=exclude, using=using)


class MediaType(models.TextChoices):
    MOVIE = "movie", "Movie"
    EPISODE = "episode", "Episode"
    SERIES = "series", "Series"
    DOCUMENTARY = "documentary", "Documentary"
    SHORT = "short", "Short"
    OTHER = "other", "Other"


class Media(models.Model):
    """Something a person can watch, keyed by the id their media server uses."""

    # The last part of the item's page address, so only what comes back from a browser
    # as it went (feedback/media_ids.py).
    media_id = models.CharField(
        "media id", max_length=255, primary_key=True, validators=[validate_media_id]
    )
    title = models.CharField(max_length=300)
    media_type = models.CharField(
        "type", max_length=16, choices=MediaType.choices, db_column="type"
    )
    duration = BoundedIntegerField(
        "duration (minutes)",
        null=True,
        blank=True,
        validators=integer_validators(1, DURATION_MESSAGE),
    )
    # The film the item is matched to. An item is not the film's to delete: it holds
    # people's feedback and viewings and the recommendation log entries that named it.
    # Deleting the film unlinks it, a state items not matched to a film (episodes) are
    # already in: everything on it stays, under the item's own title (docs/erd.md).
    movie = models.ForeignKey(
        "catalog.Movie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_items",
    )
    last_updated = models.DateTimeField(default=timezone.now, db_default=Now())
    # The title without accents or case (catalog/folding.py), for the library's title
    # box: SQLite's LIKE folds only ASCII, and neither database takes the accents off.
    folded_title = models.TextField(editable=False, default="", db_default="")

    objects = MediaQuerySet.as_manager()

    class Meta:
        verbose_name = "media item"
        verbose_name_plural = "media items"
        ordering = ["title", "media_id"]
        indexes = [models.Index(fields=["title", "media_id"], name="feedback_media_title_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(media_type__in=MediaType.values),
                name="feedback_media_type_valid",
                violation_error_message="Unknown media type.",
            ),
            models.CheckConstraint(
                condition=Q(duration__isnull=True) | Q(duration__gte=1),
                name="feedback_media_duration_positive",
                violation_error_message=DURATION_MESSAGE,
            ),
            fits_integer("duration", "feedback_media_duration_fits_integer"),
            models.CheckConstraint(
                condition=~Q(media_id=""),
                name="feedback_media_id_not_empty",
                violation_error_message="A media item needs an id.",
            ),
            *MEDIA_ID_CONSTRAINTS,
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.last_updated = timezone.now()
        self.folded_title = fold(self.title)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "last_updated"}
            if "title" in kwargs["update_fields"]:
                kwargs["update_fields"].add("folded_title")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # An item not stored yet has no page of its own: its film's page stands for it.
        if not self.stored and self.movie_id:
            return self.movie.get_absolute_url()
        return reverse("feedback:media_detail", kwargs={"media_id": self.media_id})

    @property
    def stored(self) -> bool:
        """False for Marquee's own item for a film until the first feedback or viewing on
        it saves it (feedback.services.movie_media)."""
        return not self._state.adding

    @property
    def from_media_server(self) -> bool:
        return from_media_server(self.media_id)


class UserFeedback(models.Model):
    """A person's current opinion of a media item: one row per person and item."""

    feedback_id = models.BigAutoField(primary_key=True)
    media = models.ForeignKey(
        Media, on_delete=models.PROTECT, related_name="feedback", db_column="media_id"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback"
    )
    watched_completion = models.BooleanField("watched to completion", null=True, blank=True)
    would_watch_again = models.BooleanField(null=True, blank=True)
    rating = BoundedSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(RATING_MIN, message=RATING_MESSAGE),
            MaxValueValidator(RATING_MAX, message=RATING_MESSAGE),
        ],
        help_text="From 1 (disliked) to 5 (loved).",
    )
    timestamp = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )

    objects = UserFeedbackQuerySet.as_manager()

    # Whether saving it just took its film off the person's watchlist, as
    # feedback_record says for the page's message; not a column.
    left_watchlist = False

    class Meta:
        verbose_name = "feedback"
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(F("user"), F("timestamp").desc(), name="feedback_user_newest"),
        ]
        constraints = [
            # The field's validators state it, with its message: full_clean asks no query.
            CheckedByValidation(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="feedback_rating_between_1_and_5",
                violation_error_message=RATING_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(watched_completion__isnull=False)
                | Q(would_watch_again__isnull=False)
                | Q(rating__isnull=False),
                name="feedback_says_something",
                violation_error_message=(
                    "Give a rating, or say whether you finished it or would watch it again."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "media"],
                name="feedback_one_per_user_and_media",
                violation_error_message="You already gave feedback on this; change it instead.",
            ),
            *plausible_date_constraints("timestamp", "feedback_timestamp"),
        ]

    def __str__(self):
        return f"{self.user} on {self.media}"

    @property
    def sayings(self) -> list[str]:
        """What the feedback says besides its rating, in words: "watched to the end"."""
        said = []
        if self.watched_completion is not None:
            said.append("watched to the end" if self.watched_completion else "did not finish")
        if self.would_watch_again is not None:
            said.append("would watch again" if self.would_watch_again else "would not watch again")
        return said


class ViewingHistory(models.Model):
    """One watch event: someone started watching something, and how far they got."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="viewing_history"
    )
    media = models.ForeignKey(
        Media, on_delete=models.PROTECT, related_name="viewings", db_column="media_id"
    )
    started_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )
    minutes_watched = BoundedIntegerField(
        null=True, blank=True, validators=MINUTES_WATCHED_VALIDATORS
    )
    completed = models.BooleanField(default=False, db_default=False)
    # The import line the viewing came from (IMPORT_KEY_MAX_LENGTH says what it holds);
    # "" for one logged here, or imported before keys were kept. Editing the viewing
    # keeps it: that is what lets the next import of the same file find the viewing.
    import_key = models.CharField(
        max_length=IMPORT_KEY_MAX_LENGTH,
        blank=True,
        default="",
        db_default="",
        error_messages={"max_length": IMPORT_KEY_TOO_LONG_MESSAGE},
    )

    objects = ViewingHistoryQuerySet.as_manager()

    # Whether saving it just took its film off the person's watchlist, as the services
    # that record and correct viewings say for the page's message; not a column.
    left_watchlist = False

    class Meta:
        verbose_name = "viewing"
        verbose_name_plural = "viewing history"
        indexes = [
            models.Index(F("user"), F("started_at").desc(), name="feedback_history_user_newest"),
            models.Index(fields=["media", "user"], name="feedback_history_media_user"),
        ]
        constraints = [
            # Both bounds are the field's validators' (MINUTES_WATCHED_VALIDATORS), with
            # their messages: full_clean asks the database about neither.
            CheckedByValidation(
                condition=Q(minutes_watched__isnull=True) | Q(minutes_watched__gte=0),
                name="feedback_history_minutes_not_negative",
                violation_error_message=MINUTES_WATCHED_MESSAGE,
            ),
            CheckedByValidation(
                condition=Q(minutes_watched__isnull=True)
                | Q(minutes_watched__lte=MINUTES_WATCHED_MAX),
                name="feedback_history_minutes_at_most_a_week",
                violation_error_message=MINUTES_WATCHED_MAX_MESSAGE,
            ),
            *plausible_date_constraints("started_at", "feedback_history_started"),
            # The field's max_length states it, with the same message.
            CheckedByValidation(
                condition=LessThanOrEqual(Length("import_key"), IMPORT_KEY_MAX_LENGTH),
                name="feedback_history_import_key_length",
                violation_error_message=IMPORT_KEY_TOO_LONG_MESSAGE,
            ),
            UniqueImportKey(
                fields=["user", "import_key"],
                condition=~Q(import_key=""),
                name="feedback_history_import_key_unique_per_user",
                violation_error_message=IMPORT_KEY_TAKEN_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.user} watched {self.media} on {self.started_at:%Y-%m-%d}"

    def clean_fields(self, exclude=None):
        # Not before the film existed (feedback.viewing_start): a rule of two tables, which
        # no CHECK can hold, so validation alone does. A rule of the start, checked once
        # the start passes its own (not in the year 1, or the future): one message on the
        # date field, not two. Left out with the start or the item, as Django leaves out a
        # constraint on a field excluded: a bulk import excludes the item, not to read it
        # row by row, and checks the rule with the years it holds.
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        checked = "started_at" not in errors and not {"started_at", "media"} & set(exclude or ())
        if (
            checked
            and not self.start_as_stored()
            and (problem := viewing_start_problem(self.started_at, self.film_year()))
        ):
            errors["started_at"] = [ValidationError(problem, code="before_the_film")]
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        viewing = super().from_db(db, field_names, values, **kwargs)
        viewing.stored_start = (
            viewing.__dict__.get("started_at"),
            viewing.__dict__.get("media_id"),
        )
        return viewing

    def start_as_stored(self) -> bool:
        """Whether the start and item are the row's own, unchanged. A viewing stored before
        the rule of the film's year (or around it) keeps its start through a correction of
        its minutes or its end: refused, its owner would have to invent a date first."""
        stored = getattr(self, "stored_start", None)
        return stored is not None and stored == (self.started_at, self.media_id)

    def film_year(self) -> int | None:
        """The year of the item's film, None for an item of no film or a film of no year.
        Read from the item and film the viewing holds: the pages and services give them
        already read, so validating costs no query."""
        if self.media_id is None or self.media.movie_id is None:
            return None
        return self.media.movie.year


class WatchlistEntry(models.Model):
    """A film a person means to watch. It leaves their watchlist once they say they
    watched it to the end (feedback.watchlist has the rule), as on Letterboxd.

    The film, not a media item: people add films from the catalog, before they have them
    on any media server. Deleting the film or the person deletes the entry: it says
    nothing about either once one is gone.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist_entries"
    )
    movie = models.ForeignKey(
        "catalog.Movie", on_delete=models.CASCADE, related_name="watchlist_entries"
    )
    added_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )

    objects = WatchlistEntryQuerySet.as_manager()

    # Whether adding it just lifted the person's "not interested" in the film, as
    # watchlist_add says for the page's message; not a column.
    lifted_not_interested = False

    class Meta:
        verbose_name = "watchlist entry"
        verbose_name_plural = "watchlist entries"
        indexes = [
            # The watchlist page: one person's entries, newest first.
            models.Index(F("user"), F("added_at").desc(), name="feedback_watchlist_user_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "movie"],
                name="feedback_watchlist_one_per_user_and_movie",
                violation_error_message=ON_WATCHLIST_ALREADY_MESSAGE,
            ),
            *plausible_date_constraints("added_at", "feedback_watchlist_added"),
        ]

    def __str__(self):
        return f"{self.user} wants to watch {self.movie}"


NOT_INTERESTED_ALREADY_MESSAGE = "You already said you are not interested in this film."


class NotInterested(models.Model):
    """A film a person turned down for good ("Not interested" on Tonight or the film's
    page): the engine never offers it again (recommendations/engine/profile.py), until
    they take it back or put it on their watchlist (feedback.not_interested has the
    rule). Saying so is no rating and no viewing: it says nothing of the film's worth,
    so it steers nothing else.

    The film, as the watchlist's entries: people turn down films, not media items.
    Deleting the film or the person deletes the row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="films_not_interested"
    )
    movie = models.ForeignKey(
        "catalog.Movie", on_delete=models.CASCADE, related_name="not_interested"
    )
    turned_down_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )

    objects = NotInterestedQuerySet.as_manager()

    class Meta:
        verbose_name = "film turned down"
        verbose_name_plural = "films turned down"
        indexes = [
            # The page of films turned down: one person's, newest first.
            models.Index(
                F("user"), F("turned_down_at").desc(), name="feedback_not_interested_newest"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "movie"],
                name="feedback_not_interested_one_per_user_and_movie",
                violation_error_message=NOT_INTERESTED_ALREADY_MESSAGE,
            ),
            *plausible_date_constraints("turned_down_at", "feedback_not_interested_at"),
        ]

    def __str__(self):
        return f"{self.user} is not interested in {self.movie}"


TIME_ZONE_MESSAGE = "Not a time zone Marquee knows: an IANA name such as Europe/Berlin."


# Files of the time zone folder that read as zones but name no place: the machine's own
# clock ("localtime", which moves with the server), and tzdb's placeholders.
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA names this machine's time zone data knows (read once: it scans files)."""
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


def validate_time_zone(name: str) -> None:
    if name and name not in time_zone_names():
        raise ValidationError(TIME_ZONE_MESSAGE, code="unknown_time_zone")


class UserTimeZone(models.Model):
    """The time zone a person's pages show times in and read typed times in; blank, or
    no row at all, means the site's (settings.TIME_ZONE). feedback.time_zones puts it to
    work for each request.

    Which names exist is up to the time zone data, which changes with the machine's
    updates and differs from PostgreSQL's own: validation checks the name against it,
    and the database only refuses what can be no zone's name (a space, a slash at either
    end), with the same message.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_zone_setting"
    )
    time_zone = models.CharField(
        "time zone",
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Blank for the site's.",
    )

    class Meta:
        verbose_name = "time zone"
        constraints = [
            CheckedByValidation(
                condition=Q(time_zone="")
                | ~(
                    Q(time_zone__contains=" ")
                    | Q(time_zone__startswith="/")
                    | Q(time_zone__endswith="/")
                ),
                name="feedback_time_zone_is_a_name",
                violation_error_message=TIME_ZONE_MESSAGE,
            ),
        ]

    def __str__(self):
        zone = self.time_zone or "the site's time zone"
        return f"{self.user}: {zone}"


# A person's lists of films live in a module of their own; imported here for Django.
from feedback.film_list_models import FilmList, FilmListEntry  # noqa: E402, F401

# The new email address a person asked for, until they follow its link: a module of its
# own (config/email_confirmation.py uses it); imported here for Django.
from feedback.pending_email import PendingEmailChange  # noqa: E402, F401
