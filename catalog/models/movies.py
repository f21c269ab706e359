"""Films and their genres."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Func, Q
from django.db.models.functions import Concat, Length, Lower
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse

from catalog.bounds import (
    BoundedIntegerField,
    BoundedSmallIntegerField,
    CheckedByValidation,
    finite,
    finite_number,
    fits_integer,
    integer_validators,
)
from catalog.folding import search_title
from catalog.querysets import MovieQuerySet, by_title, title_order
from feedback.media_ids import CONTROL_CHARACTERS, DOT_SEGMENTS, control_character_q

IMDB_ID_PATTERN = r"^tt[0-9]{7,10}$"
FIRST_FILM_YEAR = 1870
LAST_PLAUSIBLE_YEAR = 2100
YEAR_MESSAGE = f"The year must be between {FIRST_FILM_YEAR} and {LAST_PLAUSIBLE_YEAR}."
RUNTIME_MESSAGE = "The runtime must be at least one minute."
TMDB_ID_MESSAGE = "A TMDB id is a positive number."  # TMDB counts from 1
TMDB_COLLECTION_MESSAGE = "A TMDB collection id is a positive number."
RELEASE_YEAR_MESSAGE = "The year must be the year of the release date."


class YearOf(Func):
    """The year of a date, as a number, in SQL each database knows by itself.

    Django's ExtractYear is EXTRACT on PostgreSQL but django_date_extract() on SQLite, a
    function only Django's own connections define: a CHECK calling it would refuse every
    write to the table from anywhere else (the sqlite3 shell, a restore tool). SQLite
    stores a date as YYYY-MM-DD text, which its own strftime() reads.
    """

    arity = 1
    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        date, params = compiler.compile(self.source_expressions[0])
        return f"EXTRACT(YEAR FROM {date})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        date, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime('%%Y', {date}) AS INTEGER)", params  # %% for the driver


# A genre's slug is the last part of its address (/genres/<slug>/, catalog/urls.py), linked
# from the home page, the lists, search and every film's page: a slug no address can hold
# made them all answer 500. The form takes only tidy slugs (letters, digits, "_" and "-");
# the database takes any slug an address can hold, and the address takes any slug the
# database holds (GenreSlugConverter), so a genre written around validation still links.
# The rule is a set of characters, not \w, which PostgreSQL's regex and Python's read
# differently and SQLite cannot use in a CHECK (its REGEXP is a function only Django's
# connections define). A slug is not empty, holds no "/" (it would end the part) and no
# control character (browsers drop some from an address, and PostgreSQL refuses a NUL in
# a query), and is not "." or ".." (browsers resolve them as in a file path).
SLUG_UNLINKABLE_CHARACTERS = frozenset({"/"}) | CONTROL_CHARACTERS
SLUG_EMPTY_MESSAGE = "A genre's slug cannot be empty."
SLUG_SLASH_MESSAGE = "A genre's slug cannot hold a “/”."
SLUG_CONTROL_CHARACTER_MESSAGE = (
    "A genre's slug cannot hold a line break, a tab or another control character."
)
SLUG_DOT_SEGMENT_MESSAGE = "A genre's slug cannot be “.” or “..”."


def slug_links(slug: str) -> bool:
    """Whether a genre's page can have the slug in its address: the Genre CHECKs' rule."""
    return bool(slug) and SLUG_UNLINKABLE_CHARACTERS.isdisjoint(slug) and slug not in DOT_SEGMENTS


def no_nul(field: str) -> Exact:
    """The rows whose `field` holds no NUL, which SQLite stores: its LIKE ends a pattern at
    a NUL (control_character_q leaves NUL out), and its length() counts the characters
    before the first one, so only a text without a NUL is one character shorter than
    itself with one added. PostgreSQL stores no NUL in any text: the rule always holds."""
    return Exact(Length(Concat(field, models.Value("-"))), Length(field) + 1)


class Genre(models.Model):
    name = models.CharField(max_length=64)
    # Unicode: a genre imported from TMDB in Japanese is "アクション", with no ASCII to slug.
    slug = models.SlugField(max_length=64, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="catalog_genre_name_idx")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="catalog_genre_name_ci_unique",
                violation_error_message="A genre with this name already exists.",
            ),
            # The slug's validator refuses all these, and more (SLUG_UNLINKABLE_CHARACTERS).
            CheckedByValidation(
                condition=~Q(slug=""),
                name="catalog_genre_slug_not_empty",
                violation_error_message=SLUG_EMPTY_MESSAGE,
            ),
            CheckedByValidation(
                condition=~Q(slug__contains="/"),
                name="catalog_genre_slug_no_slash",
                violation_error_message=SLUG_SLASH_MESSAGE,
            ),
            CheckedByValidation(
                condition=~control_character_q("slug") & Q(no_nul("slug")),
                name="catalog_genre_slug_no_control_character",
                violation_error_message=SLUG_CONTROL_CHARACTER_MESSAGE,
            ),
            CheckedByValidation(
                condition=~Q(slug__in=sorted(DOT_SEGMENTS)),
                name="catalog_genre_slug_not_a_dot_segment",
                violation_error_message=SLUG_DOT_SEGMENT_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:genre_detail", kwargs={"slug": self.slug})


class Movie(models.Model):
    title = models.CharField(max_length=300)
    original_title = models.CharField(max_length=300, blank=True)
    release_date = models.DateField(null=True, blank=True)
    year = BoundedSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(FIRST_FILM_YEAR, message=YEAR_MESSAGE),
            MaxValueValidator(LAST_PLAUSIBLE_YEAR, message=YEAR_MESSAGE),
        ],
    )
    runtime_minutes = BoundedIntegerField(
        "runtime (minutes)",
        null=True,
        blank=True,
        validators=integer_validators(1, RUNTIME_MESSAGE),
    )
    overview = models.TextField(blank=True)
    # Both titles folded (catalog/folding.py), " | " between them when they differ: what
    # search and the title filter match.
    # Kept by save(), bulk_create() and bulk_update(); never edited by hand. A row written
    # around the ORM gets "" from the database: found by its overview only until saved.
    search_title = models.TextField(editable=False, default="", db_default="")
    tmdb_id = BoundedIntegerField(
        "TMDB id",
        null=True,
        blank=True,
        unique=True,
        validators=integer_validators(1, TMDB_ID_MESSAGE),
    )
    # TMDB's belongs_to_collection: the import links a collection's films by release date.
    tmdb_collection_id = BoundedIntegerField(
        "TMDB collection id",
        null=True,
        blank=True,
        db_index=True,
        validators=integer_validators(1, TMDB_COLLECTION_MESSAGE),
    )
    imdb_id = models.CharField(
        "IMDb id",
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[
            RegexValidator(IMDB_ID_PATTERN, "An IMDb id is 'tt' followed by 7 to 10 digits.")
        ],
    )
    genres = models.ManyToManyField(Genre, related_name="movies", blank=True)
    popularity = models.FloatField(default=0, validators=[MinValueValidator(0), finite])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MovieQuerySet.as_manager()

    class Meta:
        # "Title, A to Z" as an index reads (catalog.querysets.by_title): the film list's
        # order when none is chosen, and the admin's.
        ordering = by_title()
        indexes = [
            models.Index(fields=["title", "id"], name="catalog_movie_title_idx"),
            models.Index(title_order(), name="catalog_movie_title_order_idx"),
            models.Index(fields=["year"], name="catalog_movie_year_idx"),
            models.Index(fields=["-popularity"], name="catalog_movie_popularity_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True)
                | Q(year__gte=FIRST_FILM_YEAR, year__lte=LAST_PLAUSIBLE_YEAR),
                name="catalog_movie_year_plausible",
                violation_error_message=YEAR_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(runtime_minutes__isnull=True) | Q(runtime_minutes__gte=1),
                name="catalog_movie_runtime_positive",
                violation_error_message=RUNTIME_MESSAGE,
            ),
            fits_integer("runtime_minutes", "catalog_movie_runtime_fits_integer"),
            models.CheckConstraint(
                condition=Q(tmdb_id__isnull=True) | Q(tmdb_id__gte=1),
                name="catalog_movie_tmdb_id_positive",
                violation_error_message=TMDB_ID_MESSAGE,
            ),
            fits_integer("tmdb_id", "catalog_movie_tmdb_id_fits_integer"),
            models.CheckConstraint(
                condition=Q(tmdb_collection_id__isnull=True) | Q(tmdb_collection_id__gte=1),
                name="catalog_movie_tmdb_collection_id_positive",
                violation_error_message=TMDB_COLLECTION_MESSAGE,
            ),
            fits_integer("tmdb_collection_id", "catalog_movie_tmdb_collection_id_fits_integer"),
            models.CheckConstraint(
                # Portable SQL only (no REGEXP, which SQLite lacks outside Django's own
                # connections): the prefix and length here, the digits in the validator.
                condition=Q(imdb_id__isnull=True)
                | Q(
                    Q(imdb_id__startswith="tt"),
                    GreaterThanOrEqual(Length("imdb_id"), 9),
                    LessThanOrEqual(Length("imdb_id"), 12),
                ),
                name="catalog_movie_imdb_id_format",
                violation_error_message="An IMDb id is 'tt' followed by 7 to 10 digits.",
            ),
            models.CheckConstraint(
                condition=Q(popularity__gte=0),
                name="catalog_movie_popularity_not_negative",
                violation_error_message="Popularity cannot be negative.",
            ),
            finite_number("popularity", "catalog_movie_popularity_finite"),
            # A release date implies the year: a year of NULL beside one is refused too.
            # clean() says it on the year field, after filling an empty year in.
            CheckedByValidation(
                condition=Q(release_date__isnull=True)
                | Q(year__isnull=False, year=YearOf("release_date")),
                name="catalog_movie_year_of_release_date",
                violation_error_message=RELEASE_YEAR_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, update_fields=None, **kwargs):
        self.search_title = search_title(self.title, self.original_title)
        if update_fields is not None and {"title", "original_title"} & set(update_fields):
            update_fields = {*update_fields, "search_title"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("catalog:movie_detail", kwargs={"pk": self.pk})

    def clean(self):
        # A release date implies the year; filling it in saves staff a redundant field.
        if self.release_date:
            if not self.year:
                self.year = self.release_date.year
            elif self.year != self.release_date.year:
                raise ValidationError({"year": RELEASE_YEAR_MESSAGE})
