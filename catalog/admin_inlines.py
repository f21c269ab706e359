"""The film page's inlines in the admin, its related films and its ratings, whose rows
are checked against one another before any is saved."""

from django.core.exceptions import ValidationError
from django.db.models import Case, UniqueConstraint, Value, When
from django.forms.formsets import DELETION_FIELD_NAME

from catalog.models import MovieRelationship, RaterKind, Rating
from config.admin_inlines import FirstRowsFormSet, FixedQueriesInline

FOLLOWS_FEEDBACK = (
    "This Marquee rating follows the person's feedback on the film: to change or remove "
    "it, change or delete their feedback on the film."
)


def rating_constraint(name: str) -> UniqueConstraint:
    return next(c for c in Rating._meta.constraints if c.name == name)


# Rating's unique constraints, each of which holds for one kind of rater only.
ONE_RATING_PER_KIND = {
    RaterKind.USER: rating_constraint("catalog_rating_one_per_user"),
    RaterKind.EXTERNAL: rating_constraint("catalog_rating_one_per_external_rater"),
    RaterKind.AGGREGATE: rating_constraint("catalog_rating_one_aggregate_per_source"),
}


class RatingFormSet(FirstRowsFormSet):
    """Django's formset compares its rows only on unconditional unique constraints, and
    each row checks the conditional ones against the database, where none of the new rows
    is yet: two new aggregates of one source passed both checks and broke the constraint
    on save. The later row is refused, with the constraint's own message."""

    def clean(self):
        super().clean()
        self.refuse_edits_of_followed_ratings()
        seen = set()
        for form in self.forms:
            if not form.has_changed() or form.errors or self._should_delete_form(form):
                continue
            rating = form.instance
            constraint = ONE_RATING_PER_KIND.get(rating.rater_kind)
            if constraint is None:
                continue  # an unknown kind: its field says so
            key = (constraint.name, *map(rating.serializable_value, constraint.fields))
            if key in seen:
                form.add_error(None, constraint.get_violation_error_message())
            seen.add(key)

    def refuse_edits_of_followed_ratings(self):
        """A Marquee rating that follows its person's feedback (RatingAdmin) is neither
        changed nor deleted here: the feedback's next save would undo it."""
        touched = [
            form
            for form in self.initial_forms
            if form.has_changed() or self._should_delete_form(form)
        ]
        if not touched:
            return
        followed = set(
            Rating.objects.filter(pk__in=[form.instance.pk for form in touched])
            .following_feedback()
            .values_list("pk", flat=True)
        )
        for form in touched:
            if form.instance.pk not in followed:
                continue
            if self._should_delete_form(form):
                # A row marked for deletion has its errors ignored: the formset refuses.
                raise ValidationError(FOLLOWS_FEEDBACK)
            form.add_error(None, FOLLOWS_FEEDBACK)


class RatingInline(FixedQueriesInline):
    model = Rating
    formset = RatingFormSet
    extra = 0
    # What it holds (get_queryset), named in its heading and in its count of rows ("100 of
    # the 111 member and aggregate ratings"): a film's count of "ratings" there read short
    # of the 261 it has, its external raters' being in the ratings list alone.
    verbose_name = "member or aggregate rating"
    verbose_name_plural = "member and aggregate ratings"
    fields = [
        "source",
        "rater_kind",
        "user",
        "external_rater_id",
        "value",
        "scale_min",
        "scale_max",
        "vote_count",
    ]
    autocomplete_fields = ["user"]
    show_change_link = True
    # The first rows shown (FixedQueriesInline): the film's few aggregates, then the
    # members' most recent ratings.
    ordering = [Case(When(rater_kind=RaterKind.AGGREGATE, then=Value(0)), default=Value(1)), "-pk"]

    def get_queryset(self, request):
        # A popular movie has thousands of individual ratings: the inline shows the
        # aggregates and Marquee users' own, the changelist has the rest.
        rows = super().get_queryset(request).exclude(rater_kind=RaterKind.EXTERNAL)
        return rows.select_related("movie", "user")  # what each row's label names

    def all_rows_lookups(self, fk, parent):
        # The ratings the inline has, external raters' left out as above.
        shown = [RaterKind.AGGREGATE, RaterKind.USER]
        return {**super().all_rows_lookups(fk, parent), "rater_kind__in": ",".join(shown)}


# Which links import_tmdb derived, and so replaces or deletes, is the import's to say: set
# by hand it would make a hand-entered link vanish at the next import, cleared it would
# make a derived one permanent. Shown, never written: a link added here is saved without.
DERIVED_BY_IMPORT = ["derived_from_collection"]


class RelationshipFormSet(FirstRowsFormSet):
    """MovieRelationship.clean() checks each row against the links recorded; two new
    rows of one save could still contradict each other (Sequel and Prequel of one film).

    The links this save deletes are left out of both checks: a link deleted and its
    opposite added in one save were refused as contradicting each other."""

    def full_clean(self):
        # Each row checks itself (MovieRelationship.clean()) before clean() below runs:
        # it has to know first which recorded links go, from the rows as posted.
        deleted = frozenset(
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk is not None and self.marked_for_deletion(form)
        )
        for form in self.forms:
            form.instance.deleted_in_same_save = deleted
        super().full_clean()

    def marked_for_deletion(self, form) -> bool:
        """_should_delete_form(), read before the form is cleaned."""
        if not self.can_delete or DELETION_FIELD_NAME not in form.fields:
            return False
        return form.fields[DELETION_FIELD_NAME].clean(form[DELETION_FIELD_NAME].data)

    def clean(self):
        super().clean()
        rows = [
            form
            for form in self.forms
            if form.has_changed() and not form.errors and not self._should_delete_form(form)
        ]
        readings = {form.instance.reading() for form in rows}
        for form in rows:
            if readings.intersection(form.instance.contradictions()):
                form.add_error("relationship_type", "Another row says the opposite of this one.")


class RelationshipInline(FixedQueriesInline):
    model = MovieRelationship
    formset = RelationshipFormSet
    fk_name = "from_movie"
    extra = 0
    autocomplete_fields = ["to_movie"]
    readonly_fields = DERIVED_BY_IMPORT
    verbose_name = "related movie"
    verbose_name_plural = "related movies (the related movie is a … of this one)"

    def get_queryset(self, request):
        # What each row's label names.
        return super().get_queryset(request).select_related("from_movie", "to_movie")
