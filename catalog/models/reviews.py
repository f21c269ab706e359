"""Reviews of films, from critics and from tweets (kept with their tweet id)."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from catalog.bounds import (
    PLAUSIBLE_DATE_VALIDATORS,
    plausible_date_constraints,
)
from catalog.models.movies import Movie


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
