"""Reviews of films: imported ones (critics, tweets kept with their tweet id) and the
ones members write on Marquee, at most one per person and film (catalog/reviews.py)."""

from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from catalog.bounds import (
    PLAUSIBLE_DATE_VALIDATORS,
    CheckedByValidation,
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

# A member's review is a few paragraphs; 10,000 characters is some 1,500 words, longer than
# any review on the film sites people come from, short enough to read on the film page.
# Imported reviews are held to none: a critic's essay is kept as its source wrote it.
MEMBER_REVIEW_MAX_LENGTH = 10_000
MEMBER_REVIEW_TOO_LONG_MESSAGE = (
    f"A review can be at most {MEMBER_REVIEW_MAX_LENGTH:,} characters long."
)
MEMBER_REVIEW_BLANK_MESSAGE = "Write something in your review."
# What str.strip() takes away (the form's CharField and review_save strip a review), so
# that the CHECK calls blank what they call blank: TRIM alone takes spaces only, and a
# review of line breaks and tabs passed it. Spelt out, not computed: a test holds it to
# str.isspace(), and a change of it (a new Python's) is a migration.
STRIPPED_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
ONE_REVIEW_PER_FILM_MESSAGE = "You have already reviewed this film; edit that review instead."
MEMBER_REVIEW_SOURCE_MESSAGE = "A review written by a member has the source “Marquee user”."
EDITED_BEFORE_POSTED_MESSAGE = "A review cannot be edited before it was posted."


class TrimCharacters(Func):
    """The text without any of the characters at either end: what str.strip(characters)
    leaves, in one call each database has (SQLite's TRIM(X, Y), PostgreSQL's BTRIM).
    REPLACE, one call a character nested 29 deep, overflowed SQLite's parser."""

    function = "BTRIM"
    arity = 2
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="TRIM", **extra_context)


class ReviewQuerySet(models.QuerySet):
    def by_members(self):
        """Members' reviews, newest first, with their authors."""
        return (
            self.filter(user__isnull=False)
            .select_related("user")
            .order_by(F("posted_at").desc(nulls_last=True), "-id")
        )

    def imported(self):
        return self.filter(user__isnull=True)

    def of_user(self, user):
        """The person's own reviews, newest first, with their films."""
        return (
            self.filter(user=user)
            .select_related("movie")
            .order_by(F("posted_at").desc(nulls_last=True), "-id")
        )

    def for_export(self, user):
        """The person's own reviews, with their films, oldest first. Then by film, not
        by id: an import does not keep the ids, and its export must read the same."""
        return (
            self.filter(user=user)
            .select_related("movie")
            .order_by(F("posted_at").asc(nulls_first=True), "movie__title", "movie__year", "id")
        )


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
    # Null for an imported review. CASCADE: what a person wrote is their data, and goes
    # with their account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="member",
    )
    contains_spoilers = models.BooleanField(default=False, db_default=False)
    # Held to the rules of posted_at: a date in 9999 was a 500 on the review's pages for a
    # member east of UTC (it passes the year's end there), and one in 2099 an edit to come.
    edited_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE_DATE_VALIDATORS)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "review"
        indexes = [
            models.Index(F("movie"), F("posted_at").desc(), name="catalog_review_movie_newest"),
            # "My reviews", newest first.
            models.Index(
                F("user"),
                F("posted_at").desc(),
                name="catalog_review_user_newest",
                condition=Q(user__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "movie"],
                condition=Q(user__isnull=False),
                name="catalog_review_one_per_member_per_film",
                violation_error_message=ONE_REVIEW_PER_FILM_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(source=ReviewSource.USER),
                name="catalog_review_member_source_user",
                violation_error_message=MEMBER_REVIEW_SOURCE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True)
                | GreaterThan(Length(TrimCharacters("text", Value(STRIPPED_WHITESPACE))), 0),
                name="catalog_review_member_text_not_blank",
                violation_error_message=MEMBER_REVIEW_BLANK_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True)
                | LessThanOrEqual(Length("text"), MEMBER_REVIEW_MAX_LENGTH),
                name="catalog_review_member_text_length",
                violation_error_message=MEMBER_REVIEW_TOO_LONG_MESSAGE,
            ),
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
            *plausible_date_constraints("edited_at", "catalog_review_edited"),
            # Against the posting date, not created_at: a review restored from an export
            # keeps the dates it had, and its row is newer than both. A review whose
            # posting date is unknown has nothing to be edited before.
            CheckedByValidation(
                condition=Q(edited_at__isnull=True)
                | Q(posted_at__isnull=True)
                | Q(edited_at__gte=F("posted_at")),
                name="catalog_review_edited_after_posted",
                violation_error_message=EDITED_BEFORE_POSTED_MESSAGE,
            ),
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
        if self.user_id is not None:
            who = self.user.get_username()
        return f"{who} on {self.movie.title}"

    def clean(self):
        dated_tweet = self.source == ReviewSource.TWITTER and self.posted_at is not None
        if dated_tweet and self.posted_at < TWITTER_BEGAN:
            raise ValidationError({"posted_at": BEFORE_TWITTER_MESSAGE})
        dated = self.posted_at is not None and self.edited_at is not None
        if dated and self.edited_at < self.posted_at:
            raise ValidationError({"edited_at": EDITED_BEFORE_POSTED_MESSAGE})
        if self.user_id is not None:
            # The CHECKs' rules, on the field, so that a form shows them beside the text.
            # "" is refused by the field itself (blank=False), with Django's words.
            if self.text and not self.text.strip():
                raise ValidationError({"text": MEMBER_REVIEW_BLANK_MESSAGE})
            if len(self.text) > MEMBER_REVIEW_MAX_LENGTH:
                raise ValidationError({"text": MEMBER_REVIEW_TOO_LONG_MESSAGE})

    @property
    def by_member(self) -> bool:
        return self.user_id is not None

    @property
    def tweet_url(self):
        if self.tweet_id is None:
            return ""
        return f"https://twitter.com/i/web/status/{self.tweet_id}"
