"""The film catalog: movies, genres, reviews, ratings, searches and relationships.

Every rule here is also a database constraint, so that data written around the ORM
(raw SQL, a restore, an import) is held to the same rules as data written by a form.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse

from catalog.bounds import (
    PLAUSIBLE_DATE_VALIDATORS,
    BoundedIntegerField,
    BoundedSmallIntegerField,
    finite,
    finite_number,
    fits_integer,
    integer_validators,
    plausible_date_constraints,
)
from catalog.folding import search_title
from catalog.querysets import MovieQuerySet, RatingQuerySet, UserSearchQuerySet

IMDB_ID_PATTERN = r"^tt[0-9]{7,10}$"
FIRST_FILM_YEAR = 1870
LAST_PLAUSIBLE_YEAR = 2100
YEAR_MESSAGE = f"The year must be between {FIRST_FILM_YEAR} and {LAST_PLAUSIBLE_YEAR}."
RUNTIME_MESSAGE = "The runtime must be at least one minute."
TMDB_ID_MESSAGE = "A TMDB id is a positive number."  # TMDB counts from 1
TMDB_COLLECTION_MESSAGE = "A TMDB collection id is a positive number."
VOTE_COUNT_MESSAGE = "An aggregate rating counts at least one vote."
# A Marquee rating is a person's own stars: the rating of their feedback
# (feedback.services writes one from the other; feedback.models.RATING_MIN/MAX are these).
STARS_MIN, STARS_MAX = 1, 5
MARQUEE_STARS_MESSAGE = (
    f"A Marquee rating is a whole number of stars from {STARS_MIN} to {STARS_MAX}, "
    f"on the {STARS_MIN}-{STARS_MAX} scale."
)
# Other sources give their own scales: MovieLens 0.5-5, TMDB 0-10, IMDb 1-10, a critic's
# percentage 0-100, a like or dislike -1 to 1. A scale past 100 either way (1 to 1e308,
# typed in the admin) is a slip that makes every score on it read as 0.
SCALE_LIMIT = 100
SCALE_MESSAGE = f"A rating's scale lies within -{SCALE_LIMIT} to {SCALE_LIMIT}."


def within_scale_limit(value: float) -> None:
    # Not Min/MaxValueValidator: NaN passes their comparisons, as it passes none here.
    if not -SCALE_LIMIT <= value <= SCALE_LIMIT:
        raise ValidationError(SCALE_MESSAGE, code="scale_limit")


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
    # Both titles folded (catalog/folding.py): what search and the title filter match.
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
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["title", "id"], name="catalog_movie_title_idx"),
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
                raise ValidationError({"year": "The year must be the year of the release date."})


class ReviewSource(models.TextChoices):
    TWITTER = "twitter", "Twitter"
    CRITIC = "critic", "Critic"
    USER = "user", "Marquee user"
    IMDB = "imdb", "IMDb"
    TMDB = "tmdb", "TMDB"
    OTHER = "other", "Other"


class SentimentLabel(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


# A review is as old as film at most (catalog.bounds.FIRST_FILM), a tweet as Twitter:
# the first was posted on 21 March 2006.
TWITTER_BEGAN = datetime(2006, 3, 21, tzinfo=UTC)
BEFORE_TWITTER_MESSAGE = "This date is before 21 March 2006, when Twitter began."


class Review(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="reviews")
    source = models.CharField(max_length=16, choices=ReviewSource.choices)
    tweet_id = models.BigIntegerField(
        "tweet id", null=True, blank=True, unique=True, validators=[MinValueValidator(1)]
    )
    author = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    posted_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE_DATE_VALIDATORS)
    sentiment_score = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-1), MaxValueValidator(1)]
    )
    sentiment_label = models.CharField(max_length=8, choices=SentimentLabel.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(F("movie"), F("posted_at").desc(), name="catalog_review_movie_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source=ReviewSource.TWITTER) & Q(tweet_id__isnull=False))
                | (~Q(source=ReviewSource.TWITTER) & Q(tweet_id__isnull=True)),
                name="catalog_review_tweet_id_iff_twitter",
                violation_error_message=(
                    "A review from Twitter needs its tweet id, and only Twitter reviews have one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tweet_id__isnull=True) | Q(tweet_id__gte=1),
                name="catalog_review_tweet_id_positive",
                violation_error_message="A tweet id is a positive number.",
            ),
            models.CheckConstraint(
                condition=Q(sentiment_score__isnull=True)
                | Q(sentiment_score__gte=-1, sentiment_score__lte=1),
                name="catalog_review_sentiment_range",
                violation_error_message="The sentiment score must be between -1 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(source__in=ReviewSource.values),
                name="catalog_review_source_valid",
                violation_error_message="Unknown review source.",
            ),
            models.CheckConstraint(
                condition=Q(sentiment_label="") | Q(sentiment_label__in=SentimentLabel.values),
                name="catalog_review_sentiment_label_valid",
                violation_error_message="Unknown sentiment label.",
            ),
            *plausible_date_constraints("posted_at", "catalog_review_posted"),
            models.CheckConstraint(
                condition=~Q(source=ReviewSource.TWITTER)
                | Q(posted_at__isnull=True)
                | Q(posted_at__gte=TWITTER_BEGAN),
                name="catalog_review_tweet_after_twitter_began",
                violation_error_message=BEFORE_TWITTER_MESSAGE,
            ),
        ]

    def __str__(self):
        who = self.author or self.get_source_display()
        return f"{who} on {self.movie.title}"

    def clean(self):
        dated_tweet = self.source == ReviewSource.TWITTER and self.posted_at is not None
        if dated_tweet and self.posted_at < TWITTER_BEGAN:
            raise ValidationError({"posted_at": BEFORE_TWITTER_MESSAGE})

    @property
    def tweet_url(self):
        if self.tweet_id is None:
            return ""
        return f"https://twitter.com/i/web/status/{self.tweet_id}"


class RatingSource(models.TextChoices):
    MARQUEE = "marquee", "Marquee"
    MOVIELENS = "movielens", "MovieLens"
    TMDB = "tmdb", "TMDB"
    IMDB = "imdb", "IMDb"
    OTHER = "other", "Other"


class RaterKind(models.TextChoices):
    USER = "user", "Marquee user"
    EXTERNAL = "external", "External rater"
    AGGREGATE = "aggregate", "Aggregate of many votes"


class Rating(models.Model):
    """A score for a movie on a stated scale, from one of three kinds of rater.

    A Marquee user (`user`), a rater of an imported data set known only by their id there
    (`external_rater_id`, e.g. a MovieLens userId), or an aggregate such as TMDB's vote
    average (`vote_count` votes). Keeping the scale lets scores from 0.5-5, 1-5 and 0-10
    compare once normalised to 0-1.
    """

    # Ratings are the largest table (millions of imported rows) and every index costs each
    # insert: the FK columns get no index of their own, as the composite and partial ones
    # below already lead with them.
    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    source = models.CharField(max_length=16, choices=RatingSource.choices)
    rater_kind = models.CharField(max_length=16, choices=RaterKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ratings",
        db_index=False,
    )
    external_rater_id = models.CharField(max_length=64, blank=True)
    value = models.FloatField()
    scale_min = models.FloatField(default=STARS_MIN, validators=[within_scale_limit])
    scale_max = models.FloatField(default=STARS_MAX, validators=[within_scale_limit])
    # Zero votes weigh nothing: the film's stats, which count votes, cannot hold them alone.
    vote_count = BoundedIntegerField(
        null=True, blank=True, validators=integer_validators(1, VOTE_COUNT_MESSAGE)
    )
    rated_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE_DATE_VALIDATORS)

    objects = RatingQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["movie", "source"], name="catalog_rating_movie_source"),
            # Finds a person's ratings (and deletes them with the person) without indexing
            # the millions of imported rows, whose user is NULL.
            models.Index(
                fields=["user"],
                condition=Q(user__isnull=False),
                name="catalog_rating_user",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")),
                name="catalog_rating_scale_ordered",
                violation_error_message="The scale's minimum must be below its maximum.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=F("scale_min"), value__lte=F("scale_max")),
                name="catalog_rating_value_on_scale",
                violation_error_message="The rating must lie on its scale.",
            ),
            models.CheckConstraint(
                # Refuses NaN and the infinities too: no comparison with them holds.
                condition=Q(scale_min__gte=-SCALE_LIMIT, scale_max__lte=SCALE_LIMIT),
                name="catalog_rating_scale_within_100",
                violation_error_message=SCALE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(source=RatingSource.MARQUEE)
                | Q(
                    scale_min=STARS_MIN,
                    scale_max=STARS_MAX,
                    value__in=range(STARS_MIN, STARS_MAX + 1),
                ),
                name="catalog_rating_marquee_stars",
                violation_error_message=MARQUEE_STARS_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(vote_count__isnull=True) | Q(vote_count__gte=1),
                name="catalog_rating_vote_count_positive",
                violation_error_message=VOTE_COUNT_MESSAGE,
            ),
            fits_integer("vote_count", "catalog_rating_vote_count_fits_integer"),
            models.CheckConstraint(
                condition=(
                    Q(rater_kind=RaterKind.USER, user__isnull=False, external_rater_id="")
                    & Q(vote_count__isnull=True)
                )
                | (
                    Q(rater_kind=RaterKind.EXTERNAL, user__isnull=True, vote_count__isnull=True)
                    & ~Q(external_rater_id="")
                )
                | Q(
                    rater_kind=RaterKind.AGGREGATE,
                    user__isnull=True,
                    external_rater_id="",
                    vote_count__isnull=False,
                ),
                name="catalog_rating_rater_matches_kind",
                violation_error_message=(
                    "A user rating names a user, an external rating names the rater's id, "
                    "and an aggregate rating gives its vote count; nothing else."
                ),
            ),
            models.CheckConstraint(
                condition=Q(source__in=RatingSource.values),
                name="catalog_rating_source_valid",
                violation_error_message="Unknown rating source.",
            ),
            models.UniqueConstraint(
                fields=["user", "movie", "source"],
                condition=Q(rater_kind=RaterKind.USER),
                name="catalog_rating_one_per_user",
                violation_error_message="This user has already rated this movie.",
            ),
            models.UniqueConstraint(
                fields=["external_rater_id", "movie", "source"],
                condition=Q(rater_kind=RaterKind.EXTERNAL),
                name="catalog_rating_one_per_external_rater",
                violation_error_message="This rater has already rated this movie in this source.",
            ),
            models.UniqueConstraint(
                fields=["movie", "source"],
                condition=Q(rater_kind=RaterKind.AGGREGATE),
                name="catalog_rating_one_aggregate_per_source",
                violation_error_message="This source already rates this film as an aggregate.",
            ),
            *plausible_date_constraints("rated_at", "catalog_rating_rated"),
        ]

    def __str__(self):
        return (
            f"{self.movie.title}: {self.value:g}/{self.scale_max:g} ({self.get_source_display()})"
        )

    # A rating written one at a time (a person's, the admin's) keeps its film's
    # MovieRatingStats right at once; bulk writes refresh the films they touch themselves.
    # (Imported inside: catalog.rating_stats imports this module.)
    def save(self, *args, **kwargs):
        from catalog.rating_stats import refresh_rating_stats

        super().save(*args, **kwargs)
        # A rating moved to another film (in the admin) leaves the first one's stats too.
        refresh_rating_stats({self.movie_id, getattr(self, "_stored_movie_id", self.movie_id)})
        self._stored_movie_id = self.movie_id

    def delete(self, *args, **kwargs):
        from catalog.rating_stats import refresh_rating_stats

        deleted = super().delete(*args, **kwargs)
        refresh_rating_stats({self.movie_id})
        return deleted

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        rating = super().from_db(db, field_names, values, **kwargs)
        rating._stored_movie_id = rating.__dict__.get("movie_id")
        return rating

    def clean(self):
        if self.source == RatingSource.MARQUEE:
            self.check_marquee_stars()

    def check_marquee_stars(self) -> None:
        """The catalog_rating_marquee_stars rule, its message on each field that breaks it
        (None is a field left empty: its own validation says so)."""
        allowed = {
            "value": range(STARS_MIN, STARS_MAX + 1),
            "scale_min": [STARS_MIN],
            "scale_max": [STARS_MAX],
        }
        errors = {
            field: MARQUEE_STARS_MESSAGE
            for field, values in allowed.items()
            if getattr(self, field) not in (None, *values)
        }
        if errors:
            raise ValidationError(errors)

    @property
    def normalized(self) -> float:
        """The score on 0-1, whatever scale it was given on."""
        return (self.value - self.scale_min) / (self.scale_max - self.scale_min)


class MovieRatingStats(models.Model):
    """Every rating of a film, summed, so that pages can rank films without reading them.

    Derived from Rating and kept by catalog.rating_stats in the transaction of each write:
    `votes` counts an aggregate rating for its vote count and any other for one, `score`
    sums each rating on 0-1 times its votes, so the average is score / votes. A film with
    no rating has no row.
    """

    movie = models.OneToOneField(
        Movie, on_delete=models.CASCADE, primary_key=True, related_name="rating_stats"
    )
    votes = models.PositiveBigIntegerField()
    score = models.FloatField()

    class Meta:
        verbose_name = "movie rating stats"
        verbose_name_plural = "movie rating stats"
        constraints = [
            models.CheckConstraint(
                condition=Q(votes__gte=1, score__gte=0, score__lte=F("votes")),
                name="catalog_rating_stats_ranges",
                violation_error_message="Stats count at least one vote, each scoring 0 to 1.",
            ),
        ]

    def __str__(self):
        return f"{self.movie}: {self.average:.3f} from {self.votes} votes"

    @property
    def average(self) -> float:
        return self.score / self.votes


FILTERS_NULL_MESSAGE = "Filters are a JSON object, {} for none; not null."


class UserSearch(models.Model):
    query = models.CharField(max_length=255)
    filters = models.JSONField(default=dict, blank=True)
    results_count = BoundedIntegerField(
        default=0,
        validators=integer_validators(0, "The number of results cannot be negative."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="searches",
    )
    # Only such a query can be shown on the public "most searched" list: "alien or buy
    # pills at evil.example" finds Alien too, and three sign-ups would put it there.
    names_a_film = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Every word of the query starts a word of the title of a film it found "
        "on its first page. Only such queries are shown in the public most-searched list.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = UserSearchQuerySet.as_manager()

    class Meta:
        verbose_name = "user search"
        verbose_name_plural = "user searches"
        indexes = [models.Index(Lower("query"), name="catalog_usersearch_query_ci")]
        # Not negative: PositiveIntegerField's own CHECK.
        constraints = [
            fits_integer("results_count", "catalog_usersearch_results_count_fits_integer"),
        ]

    def __str__(self):
        return f"“{self.query}” ({self.results_count} results)"

    def clean(self):
        # The column is NOT NULL, but a blank JSONField skips its own null check: `null`
        # typed in the admin reached the database, which refused it with a 500.
        if self.filters is None:
            raise ValidationError({"filters": FILTERS_NULL_MESSAGE})


class RelationshipType(models.TextChoices):
    SEQUEL = "sequel", "Sequel"
    PREQUEL = "prequel", "Prequel"
    REMAKE = "remake", "Remake"
    SPIN_OFF = "spin_off", "Spin-off"
    SAME_FRANCHISE = "same_franchise", "Same franchise"
    SIMILAR = "similar", "Similar"


# The types that read one way only. A sequel and a prequel are one fact told from either
# film: (Alien, Aliens, sequel) and (Aliens, Alien, prequel) both put Aliens after Alien.
# A remake or a spin-off is made from the other film, which is not made from it in turn.
OPPOSITE_ORDER = {
    RelationshipType.SEQUEL: RelationshipType.PREQUEL,
    RelationshipType.PREQUEL: RelationshipType.SEQUEL,
}
MADE_FROM = {RelationshipType.REMAKE, RelationshipType.SPIN_OFF}


class MovieRelationship(models.Model):
    """`to_movie` is a <type> of `from_movie`: (Alien, Aliens, sequel) reads
    "Aliens is a sequel of Alien".

    A link must not contradict one already recorded (clean()). No database constraint
    can say so, as the rule is across rows: links written around validation (raw SQL,
    the TMDB import's bulk writes, whose links agree by construction) are not checked.
    """

    from_movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="relationships_from"
    )
    to_movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="relationships_to")
    relationship_type = models.CharField(
        max_length=16,
        choices=RelationshipType.choices,
        help_text=(
            "Reads “the to movie is a … of the from movie”: from Alien to Aliens, "
            "Sequel says Aliens is a sequel of Alien."
        ),
    )
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0), MaxValueValidator(1)])
    # Set on the links import_tmdb derives from a collection, which it replaces whenever
    # it imports the collection again; empty on links staff entered, which it never touches.
    derived_from_collection = BoundedIntegerField(
        "derived from TMDB collection",
        null=True,
        blank=True,
        validators=integer_validators(1, TMDB_COLLECTION_MESSAGE),
        help_text="Empty for a link entered by hand. The TMDB import recomputes the others.",
    )

    class Meta:
        verbose_name = "movie relationship"
        indexes = [
            models.Index(fields=["to_movie", "relationship_type"], name="catalog_rel_to_type"),
            models.Index(fields=["derived_from_collection"], name="catalog_rel_collection"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_movie=F("to_movie")),
                name="catalog_relationship_not_self",
                violation_error_message="A movie cannot be related to itself.",
            ),
            models.UniqueConstraint(
                fields=["from_movie", "to_movie", "relationship_type"],
                name="catalog_relationship_unique",
                violation_error_message="These movies already have this relationship.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=1),
                name="catalog_relationship_weight_range",
                violation_error_message="The weight must be between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(relationship_type__in=RelationshipType.values),
                name="catalog_relationship_type_valid",
                violation_error_message="Unknown relationship type.",
            ),
            models.CheckConstraint(
                condition=Q(derived_from_collection__isnull=True)
                | Q(derived_from_collection__gte=1),
                name="catalog_relationship_collection_positive",
                violation_error_message=TMDB_COLLECTION_MESSAGE,
            ),
            fits_integer("derived_from_collection", "catalog_relationship_collection_fits_integer"),
        ]

    def __str__(self):
        kind = self.get_relationship_type_display().lower()
        return f"{self.to_movie.title} is a {kind} of {self.from_movie.title}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        link = super().from_db(db, field_names, values, **kwargs)
        link._stored_reading = link.reading()
        return link

    def reading(self) -> tuple:
        """(from movie id, to movie id, type): what the link says."""
        names = ("from_movie_id", "to_movie_id", "relationship_type")
        return tuple(self.__dict__.get(name) for name in names)

    # The links (pks) that the save writing this one deletes: they say nothing any more.
    # A film's related-movies inline sets them, before its rows are validated.
    deleted_in_same_save: frozenset = frozenset()

    def clean(self):
        # A link saved again as it was is not checked: one that an earlier rule let in
        # would otherwise keep its film's page from saving, even with that link deleted.
        if self.reading() == getattr(self, "_stored_reading", None):
            return
        recorded = self.contradicted_by(ignoring=self.deleted_in_same_save)
        if recorded:
            raise ValidationError(
                {"relationship_type": f"“{self}” contradicts “{recorded}”, already recorded."}
            )

    def contradictions(self) -> list[tuple]:
        """The readings (as reading() gives them) that say the opposite of this link's."""
        from_id, to_id, kind = self.reading()
        if kind in OPPOSITE_ORDER:
            return [(to_id, from_id, kind), (from_id, to_id, OPPOSITE_ORDER[kind])]
        if kind in MADE_FROM:
            return [(to_id, from_id, kind)]
        return []

    def contradicted_by(self, ignoring=frozenset()) -> "MovieRelationship | None":
        """A recorded link that says the opposite of this one, if any, other than the
        links `ignoring` names (pks)."""
        if self.from_movie_id is None or self.to_movie_id is None:
            return None  # a field error already, or the inline of a film not saved yet
        opposite = Q()
        for from_movie_id, to_movie_id, kind in self.contradictions():
            opposite |= Q(
                from_movie_id=from_movie_id, to_movie_id=to_movie_id, relationship_type=kind
            )
        if not opposite:
            return None
        links = MovieRelationship.objects.filter(opposite).exclude(pk=self.pk)
        links = links.exclude(pk__in=ignoring)
        return links.select_related("from_movie", "to_movie").first()


class MovieTag(models.Model):
    """A free-text tag that a rater of an imported data set put on a film.

    MovieLens' tags.csv is the source: a rater is known only by their id there, as for
    their ratings, so the tag keeps the same `source` and `external_rater_id` pair and
    the two can be read side by side.
    """

    # The unique constraint's index starts with the movie, so a second index is waste.
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="tags", db_index=False)
    source = models.CharField(max_length=16, choices=RatingSource.choices)
    external_rater_id = models.CharField(max_length=64)
    tag = models.CharField(max_length=255)
    tagged_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE_DATE_VALIDATORS)

    class Meta:
        verbose_name = "movie tag"
        constraints = [
            models.UniqueConstraint(
                fields=["movie", "source", "external_rater_id", "tag"],
                name="catalog_movietag_unique",
                violation_error_message="This rater already put this tag on this movie.",
            ),
            models.CheckConstraint(
                condition=~Q(tag=""),
                name="catalog_movietag_tag_not_empty",
                violation_error_message="A tag cannot be empty.",
            ),
            models.CheckConstraint(
                condition=~Q(external_rater_id=""),
                name="catalog_movietag_rater_not_empty",
                violation_error_message="A tag names the rater who put it.",
            ),
            models.CheckConstraint(
                condition=Q(source__in=RatingSource.values),
                name="catalog_movietag_source_valid",
                violation_error_message="Unknown tag source.",
            ),
            *plausible_date_constraints("tagged_at", "catalog_movietag_tagged"),
        ]

    def __str__(self):
        return f"“{self.tag}” on {self.movie.title}"
