"""The log of every recommendation shown (what, to whom, in which slate, and if picked), and
what the engine learns from everyone's ratings: each movie's neighbours and its prior."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from catalog.bounds import PLAUSIBLE_DATE_VALIDATORS, plausible_date_constraints
from recommendations.querysets import MovieSimilarityQuerySet, RecommendationLogQuerySet


class RecommendationType(models.TextChoices):
    PRIMARY = "primary", "Primary"
    BACKUP = "backup", "Backup"
    WILDCARD = "wildcard", "Wildcard"


class RecommendationLog(models.Model):
    log_id = models.BigAutoField(primary_key=True)
    media = models.ForeignKey(
        "feedback.Media",
        on_delete=models.PROTECT,
        related_name="recommendation_logs",
        db_column="media_id",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendation_logs"
    )
    recommendation_type = models.CharField(max_length=16, choices=RecommendationType.choices)
    score = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    reason = models.CharField(max_length=300, blank=True)
    selected = models.BooleanField(default=False, db_default=False)
    slate_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    engine_version = models.CharField(max_length=32)
    # Bounded as the dates people give are: a log entry typed in the admin dated 9999 made
    # the log's date hierarchy and the acceptance report fail outside UTC.
    timestamp = models.DateTimeField(
        default=timezone.now, db_default=Now(), validators=PLAUSIBLE_DATE_VALIDATORS
    )

    objects = RecommendationLogQuerySet.as_manager()

    class Meta:
        verbose_name = "recommendation log entry"
        verbose_name_plural = "recommendation log"
        indexes = [
            models.Index(F("user"), F("timestamp").desc(), name="recs_log_user_newest"),
            models.Index(F("timestamp").desc(), name="recs_log_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation_type__in=RecommendationType.values),
                name="recs_log_type_valid",
                violation_error_message="The type must be primary, backup or wildcard.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="recs_log_score_range",
                violation_error_message="The score must be between 0 and 1.",
            ),
            models.UniqueConstraint(
                fields=["slate_id", "recommendation_type"],
                name="recs_log_one_per_slot",
                violation_error_message="This slate already has a pick of this type.",
            ),
            models.UniqueConstraint(
                fields=["slate_id"],
                condition=Q(selected=True),
                name="recs_log_one_selected_per_slate",
                violation_error_message="Only one pick of a slate can be chosen.",
            ),
            *plausible_date_constraints("timestamp", "recs_log_timestamp"),
        ]

    def __str__(self):
        return f"{self.get_recommendation_type_display()}: {self.media} for {self.user}"


class MovieSimilarity(models.Model):
    """One of a movie's nearest neighbours by everyone's ratings, and how near.

    Rebuilt whole by `manage.py build_similarities` from the positive ratings of every
    rater; the engine sums these weights over the films a person loved.

    Derived data, millions of rows, replaced in one go, so written for speed: the foreign
    keys are not database constraints (`db_constraint=False`), because PostgreSQL checks
    each one row by row and those checks alone took longer than the whole rebuild may
    (docs/benchmarks.md); and only the unique (movie, neighbour) index exists, which is
    the one the engine reads. Deleting a movie still deletes its rows (Django cascades,
    with a scan of this table: rare, and cheaper than an index kept up on every
    rebuild), the engine only shows neighbours found in the catalog, and the next rebuild
    drops any stray row. The pair's own rules (not itself, once per pair, weight in
    range) are database constraints.
    """

    movie = models.ForeignKey(
        "catalog.Movie",
        on_delete=models.CASCADE,
        related_name="neighbours",
        db_index=False,
        db_constraint=False,
    )
    neighbour = models.ForeignKey(
        "catalog.Movie",
        on_delete=models.CASCADE,
        related_name="neighbour_of",
        db_index=False,
        db_constraint=False,
    )
    weight = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])

    objects = MovieSimilarityQuerySet.as_manager()

    class Meta:
        verbose_name = "movie similarity"
        verbose_name_plural = "movie similarities"
        constraints = [
            models.CheckConstraint(
                condition=~Q(movie=F("neighbour")),
                name="recs_similarity_not_self",
                violation_error_message="A movie is not its own neighbour.",
            ),
            models.UniqueConstraint(
                fields=["movie", "neighbour"],
                name="recs_similarity_unique_pair",
                violation_error_message="These movies are already neighbours.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=1),
                name="recs_similarity_weight_range",
                violation_error_message="The weight must be above 0 and at most 1.",
            ),
        ]

    def __str__(self):
        return f"{self.neighbour} near {self.movie} ({self.weight:.3f})"


class MoviePrior(models.Model):
    """What the catalog as a whole says of a movie, before knowing anyone's taste.

    `rating_average` is a damped (Bayesian) average of every rating on 0-1, `popularity`
    blends how many people loved it with the catalog's popularity figure, and `score`
    mixes the two: the engine's prior, and the whole ranking for someone new.
    """

    movie = models.OneToOneField(
        "catalog.Movie", on_delete=models.CASCADE, primary_key=True, related_name="prior"
    )
    rating_average = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    rating_count = models.PositiveIntegerField(default=0)
    positive_count = models.PositiveIntegerField(default=0)
    popularity = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    score = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])

    class Meta:
        verbose_name = "movie prior"
        indexes = [models.Index(F("score").desc(), F("movie"), name="recs_prior_best")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_average__gte=0, rating_average__lte=1)
                & Q(popularity__gte=0, popularity__lte=1)
                & Q(score__gte=0, score__lte=1),
                name="recs_prior_ranges",
                violation_error_message="Averages, popularity and score lie between 0 and 1.",
            ),
        ]

    def __str__(self):
        return f"{self.movie}: prior {self.score:.3f}"
