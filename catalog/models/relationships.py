"""How films relate: sequels, prequels, remakes, spin-offs, franchises, likeness."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from catalog.bounds import (
    BoundedIntegerField,
    fits_integer,
    integer_validators,
)
from catalog.models.movies import TMDB_COLLECTION_MESSAGE, Movie


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
