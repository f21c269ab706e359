"""Reads of the catalog, as chainable QuerySet methods with their joins built in."""

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, F, FloatField, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Lower


def normalized_score(prefix: str = "") -> models.Expression:
    """A rating's value on 0-1, whatever scale it was given on."""
    value, low, high = (F(f"{prefix}{name}") for name in ("value", "scale_min", "scale_max"))
    return Cast((value - low) / (high - low), FloatField())


def rating_weight(prefix: str = "") -> models.Expression:
    """An aggregate rating counts for its votes, a single rating for one."""
    return Coalesce(F(f"{prefix}vote_count"), 1)


class RatingQuerySet(models.QuerySet):
    def with_normalized(self):
        return self.annotate(normalized_score=normalized_score())

    def stats_by_source(self):
        """Per source: weighted average on 0-1 and number of votes, best-known first."""
        return (
            self.order_by()
            .values("source")
            .annotate(
                average=Sum(normalized_score() * rating_weight(), output_field=FloatField())
                / Sum(rating_weight(), output_field=FloatField()),
                votes=Sum(rating_weight()),
            )
            .order_by("-votes", "source")
        )


class MovieQuerySet(models.QuerySet):
    def with_rating_stats(self):
        """Annotate `rating_average` (0-1, weighted by votes) and `rating_count` (votes).

        Subqueries rather than joins, so that filtering on genres or reviews can never
        multiply the ratings being averaged.
        """
        Rating = apps.get_model("catalog", "Rating")
        per_movie = Rating.objects.filter(movie=OuterRef("pk")).order_by().values("movie")
        average = per_movie.annotate(
            average=Sum(normalized_score() * rating_weight(), output_field=FloatField())
            / Sum(rating_weight(), output_field=FloatField())
        ).values("average")
        count = per_movie.annotate(votes=Sum(rating_weight())).values("votes")
        return self.annotate(
            rating_average=Subquery(average, output_field=FloatField()),
            rating_count=Coalesce(Subquery(count), 0),
        )

    def with_review_flag(self):
        Review = apps.get_model("catalog", "Review")
        return self.annotate(has_reviews=Exists(Review.objects.filter(movie=OuterRef("pk"))))

    def for_listing(self):
        """What a list of movies shows: genres and rating stats, in two queries."""
        Genre = apps.get_model("catalog", "Genre")
        return self.with_rating_stats().prefetch_related(
            Prefetch("genres", queryset=Genre.objects.order_by("name"))
        )


class UserSearchQuerySet(models.QuerySet):
    def most_searched(self, limit: int = 10):
        """The queries people type most, case folded, with how often."""
        return (
            self.exclude(query="")
            .annotate(folded=Lower("query"))
            .values("folded")
            .annotate(times=Count("id"))
            .order_by("-times", "folded")[:limit]
        )
