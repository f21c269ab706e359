"""Tags that raters of imported data sets put on films."""

from django.db import models
from django.db.models import Q

from catalog.bounds import (
    PLAUSIBLE_DATE_VALIDATORS,
    plausible_date_constraints,
)
from catalog.models.movies import Movie
from catalog.models.ratings import RatingSource


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
