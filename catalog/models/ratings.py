"""Ratings from every source, each on its own scale, and each film's stats of them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from catalog.bounds import (
    PLAUSIBLE_DATE_VALIDATORS,
    BoundedIntegerField,
    fits_integer,
    integer_validators,
    plausible_date_constraints,
)
from catalog.models.movies import Movie
from catalog.querysets import RatingQuerySet

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
        if self.average is None:
            return f"{self.movie}: no votes"
        return f"{self.movie}: {self.average:.3f} from {self.votes} votes"

    @property
    def average(self) -> float | None:
        # None without votes: no stored row has none (the CHECK), but the admin draws a
        # refused form again with the values it refused, votes = 0 among them.
        if not self.votes or self.score is None:
            return None
        return self.score / self.votes
