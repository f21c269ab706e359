"""The filters of "My library", over Media.objects.library_for(user) and its annotations,
and the sorting of the watchlist, over WatchlistEntry.objects.for_page(user)."""

import django_filters
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Replace

from catalog.filters import RATING_ORDER_HELP
from catalog.folding import fold
from catalog.querysets import title_keys
from feedback.forms import RATING_CHOICES
from feedback.models import Media, MediaType, WatchlistEntry

TRI_STATE_FILTER_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not said")]
TRI_STATE_LOOKUPS = {
    "yes": {"": True},
    "no": {"": False},
    "unknown": {"__isnull": True},
}

# Unrated and never-watched items go last whichever way the list is sorted; the media id
# breaks ties so that pages never overlap. Titles sort folded (no accents or case), as
# the catalog's do (catalog.filters.NullsLastOrderingFilter).
ORDERINGS = {
    "title": ("Title, A to Z", [F("folded_title").asc(), F("title").asc(), F("media_id").asc()]),
    "-title": (
        "Title, Z to A",
        [F("folded_title").desc(), F("title").desc(), F("media_id").desc()],
    ),
    "-last_watched": (
        "Last watched, newest first",
        [F("last_watched").desc(nulls_last=True), F("folded_title").asc(), F("media_id").asc()],
    ),
    "last_watched": (
        "Last watched, oldest first",
        [F("last_watched").asc(nulls_last=True), F("folded_title").asc(), F("media_id").asc()],
    ),
    "-rating": (
        "Rating, highest first",
        [F("rating").desc(nulls_last=True), F("folded_title").asc(), F("media_id").asc()],
    ),
    "rating": (
        "Rating, lowest first",
        [F("rating").asc(nulls_last=True), F("folded_title").asc(), F("media_id").asc()],
    ),
}


def rating_filter(label: str, lookup_expr: str) -> django_filters.TypedChoiceFilter:
    return django_filters.TypedChoiceFilter(
        field_name="rating",
        lookup_expr=lookup_expr,
        label=label,
        choices=[("", "Any"), *RATING_CHOICES],
        coerce=int,
        empty_value=None,
    )


# The folded titles with their apostrophes taken out, matched beside them.
TITLE_WITHOUT_APOSTROPHES = Replace("folded_title", Value("'"), output_field=TextField())


class LibraryFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(method="filter_title", label="Title contains", max_length=300)
    media_type = django_filters.ChoiceFilter(
        choices=MediaType.choices, label="Type", empty_label="Any type"
    )
    watched_completion = django_filters.ChoiceFilter(
        choices=TRI_STATE_FILTER_CHOICES,
        method="filter_tri_state",
        label="Watched to completion",
        empty_label="Any",
    )
    would_watch_again = django_filters.ChoiceFilter(
        choices=TRI_STATE_FILTER_CHOICES,
        method="filter_tri_state",
        label="Would watch again",
        empty_label="Any",
    )
    rating = rating_filter("Rating", "exact")
    rating_min = rating_filter("Rating at least", "gte")
    ordering = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in ORDERINGS.items()],
        method="filter_ordering",
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = Media
        fields = []

    def filter_title(self, queryset, name, value):
        # Folded as the stored titles are, so "amelie" finds Amélie on both databases;
        # the apostrophe read both ways, as the film list's title box reads it, so that
        # "oceans" finds Ocean's Eleven too.
        wanted = fold(value)
        return queryset.alias(bare_title=TITLE_WITHOUT_APOSTROPHES).filter(
            Q(folded_title__contains=wanted) | Q(bare_title__contains=wanted.replace("'", ""))
        )

    def filter_tri_state(self, queryset, name, value):
        ((suffix, wanted),) = TRI_STATE_LOOKUPS[value].items()
        return queryset.filter(**{f"{name}{suffix}": wanted})

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value][1])


# Films without a year, a runtime or a rating go last whichever way the list is sorted;
# the entry's id breaks ties so that pages never overlap. Titles sort by their folded
# words, as the catalog's do (catalog.filters.NullsLastOrderingFilter).
WATCHLIST_ORDERINGS = {
    "-added": ("Added, newest first", [F("added_at").desc(), F("id").desc()]),
    "added": ("Added, oldest first", [F("added_at").asc(), F("id").asc()]),
    "title": (
        "Title, A to Z",
        [*title_keys("movie__"), F("movie__year").asc(nulls_last=True), F("id").asc()],
    ),
    "-title": (
        "Title, Z to A",
        [
            *title_keys("movie__", descending=True),
            F("movie__year").desc(nulls_last=True),
            F("id").desc(),
        ],
    ),
    "-year": (
        "Year, newest first",
        [F("movie__year").desc(nulls_last=True), *title_keys("movie__"), F("id").asc()],
    ),
    "year": (
        "Year, oldest first",
        [F("movie__year").asc(nulls_last=True), *title_keys("movie__"), F("id").asc()],
    ),
    "runtime": (
        "Runtime, shortest first",
        [
            F("movie__runtime_minutes").asc(nulls_last=True),
            *title_keys("movie__"),
            F("id").asc(),
        ],
    ),
    "-runtime": (
        "Runtime, longest first",
        [
            F("movie__runtime_minutes").desc(nulls_last=True),
            *title_keys("movie__"),
            F("id").asc(),
        ],
    ),
    # Damped as the catalog's "Highest rated" is (WatchlistEntryQuerySet.for_page).
    "-rating": (
        "Rating, highest first",
        [F("rating_damped").desc(nulls_last=True), *title_keys("movie__"), F("id").asc()],
    ),
    "rating": (
        "Rating, lowest first",
        [F("rating_damped").asc(nulls_last=True), *title_keys("movie__"), F("id").asc()],
    ),
}


class WatchlistFilter(django_filters.FilterSet):
    """Sorting only: without ?ordering= the list is newest first, as for_page orders it."""

    ordering = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in WATCHLIST_ORDERINGS.items()],
        method="filter_ordering",
        label="Sort by",
        empty_label=None,
        # The rows show each film's own average, which this order can disagree with.
        help_text=RATING_ORDER_HELP,
    )

    class Meta:
        model = WatchlistEntry
        fields = []

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*WATCHLIST_ORDERINGS[value][1])
