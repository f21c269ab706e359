"""The filters of the movie lists (all films, a genre's films, search results)."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import F, Q

from catalog.bounds import BIGINT_MAX
from catalog.folding import words
from catalog.models import FIRST_FILM_YEAR, LAST_PLAUSIBLE_YEAR, Genre, Movie
from catalog.querysets import TOP_RATED_DAMPING, by_title
from catalog.search import QUERY_MAX_LENGTH, TITLE_WITHOUT_APOSTROPHES

RUNTIME_MAX = 1000
# The average is shown rounded half up to one decimal on a 0-10 scale (out_of_ten), so "at
# least 7.8" must let through a film shown as 7.8 whose exact average is 7.75, and no film
# shown as 7.7. In decimal: 0.05 as a float is a little more than 0.05.
DISPLAY_ROUNDING = Decimal("0.05")

ORDERING_CHOICES = [
    ("title", "Title (A to Z)"),
    ("-title", "Title (Z to A)"),
    ("-year", "Newest first"),
    ("year", "Oldest first"),
    ("-rating", "Highest rated"),
    ("rating", "Lowest rated"),
    ("-votes", "Most ratings"),
    ("votes", "Fewest ratings"),
    ("-popularity", "Most popular"),
    ("popularity", "Least popular"),
]


PERSONAL_FILTERS = ("seen", "watchlist")

RATING_ORDER_HELP = (
    f"Highest and lowest rated add {TOP_RATED_DAMPING} votes at the catalog's average to "
    "each film's own: one vote of 10 does not outrank hundreds of 9."
)


class IdChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Refuses ids beyond a 64-bit integer before they reach the database, which SQLite's
    driver cannot even send (OverflowError) when they come in a list."""

    def _check_values(self, value):
        for key in value:
            try:
                in_range = 0 < int(key) <= BIGINT_MAX
            except (TypeError, ValueError):
                continue  # Django's own check reports it as an invalid value
            if not in_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super()._check_values(value)


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdChoiceField


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ReviewPresenceSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Any"), ("true", "With reviews"), ("false", "Without reviews")]


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Orders with unknown values (no rating, no year) last in both directions, and
    always ends on title and id so that pages never overlap or skip a film.

    Titles sort by their folded words (Movie.search_title: no accents, case or
    punctuation), as people read an index: "Élite Squad" beside "Elephant", "amores
    perros" among the A's, where the titles' own bytes put both after "Zodiac"."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param:
                continue
            name = self.get_ordering_value(param)
            if name.lstrip("-") == "title":  # its last key is the id: no tie is left
                return qs.order_by(*ordering, *by_title(descending=name.startswith("-")))
            if name.startswith("-"):
                ordering.append(F(name[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, *by_title())


def ordering_filter(empty_label: str) -> NullsLastOrderingFilter:
    return NullsLastOrderingFilter(
        label="Sort by",
        fields={
            "title": "title",
            "year": "year",
            # Damped towards the catalog's mean (MovieQuerySet.with_rating_stats).
            "rating_damped": "rating",
            "rating_count": "votes",
            "popularity": "popularity",
        },
        choices=ORDERING_CHOICES,
        empty_label=empty_label,
        # The cards show each film's own average, which this order can disagree with.
        help_text=RATING_ORDER_HELP,
    )


class MovieFilterForm(forms.Form):
    RANGES = (("year_min", "year_max", "year"), ("runtime_min", "runtime_max", "runtime"))

    def clean_title(self):
        # Punctuation alone folds to nothing, which every title contains.
        title = self.cleaned_data.get("title")
        if title and not words(title).replace("'", ""):
            raise forms.ValidationError("Type a letter or a digit of the title.")
        return title

    def clean_ordering(self):
        # The ordering filter takes comma-separated keys; the page offers one at a time,
        # and a long list would only make a long ORDER BY.
        ordering = self.cleaned_data.get("ordering")
        if ordering and len(ordering) > 1:
            raise forms.ValidationError("Choose one way to sort.")
        return ordering

    def clean(self):
        cleaned = super().clean()
        for low, high, what in self.RANGES:
            lowest, highest = cleaned.get(low), cleaned.get(high)
            if lowest is not None and highest is not None and lowest > highest:
                self.add_error(high, f"The highest {what} cannot be below the lowest.")
        return cleaned


class MovieFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(
        label="Title contains", method="filter_title", max_length=QUERY_MAX_LENGTH
    )
    genres = IdMultipleChoiceFilter(
        label="Genres (any of)",
        queryset=Genre.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_genres",
    )
    year_min = IntegerFilter(
        label="From year",
        field_name="year",
        lookup_expr="gte",
        min_value=FIRST_FILM_YEAR,
        max_value=LAST_PLAUSIBLE_YEAR,
    )
    year_max = IntegerFilter(
        label="To year",
        field_name="year",
        lookup_expr="lte",
        min_value=FIRST_FILM_YEAR,
        max_value=LAST_PLAUSIBLE_YEAR,
    )
    runtime_min = IntegerFilter(
        label="Runtime from (minutes)",
        field_name="runtime_minutes",
        lookup_expr="gte",
        min_value=1,
        max_value=RUNTIME_MAX,
    )
    runtime_max = IntegerFilter(
        label="Runtime to (minutes)",
        field_name="runtime_minutes",
        lookup_expr="lte",
        min_value=1,
        max_value=RUNTIME_MAX,
    )
    rating_min = django_filters.NumberFilter(
        label="Average rating at least (0 to 10)",
        method="filter_rating_min",
        min_value=0,
        max_value=10,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    has_reviews = django_filters.BooleanFilter(
        label="Reviews", method="filter_has_reviews", widget=ReviewPresenceSelect
    )
    # The visitor's own films: only for someone logged in (__init__).
    seen = django_filters.ChoiceFilter(
        label="Seen",
        choices=[("unseen", "Only films you have not seen"), ("seen", "Only films you have seen")],
        empty_label="All films",
        method="filter_seen",
        help_text="Seen: watched to the end, rated without saying you stopped, or reviewed.",
    )
    watchlist = django_filters.ChoiceFilter(
        label="Your watchlist",
        choices=[("on", "Only films on your watchlist"), ("off", "Only films not on it")],
        empty_label="All films",
        method="filter_watchlist",
    )
    # No blank choice: with nothing chosen the list is by title, the first choice.
    ordering = ordering_filter(empty_label=None)

    class Meta:
        model = Movie
        fields = []
        form = MovieFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A visitor has no films of their own: the fields are not offered, and a ?seen=
        # in a link someone shared is ignored rather than refused.
        if self.request is None or not self.request.user.is_authenticated:
            for name in PERSONAL_FILTERS:
                del self.filters[name]

    def filter_title(self, queryset, name, value):
        # Either title, accents, case and punctuation aside, as search matches them; the
        # apostrophe both ways, so "oceans" finds Ocean's Eleven too.
        wanted = words(value)
        return queryset.alias(bare_title=TITLE_WITHOUT_APOSTROPHES).filter(
            Q(search_title__contains=wanted) | Q(bare_title__contains=wanted.replace("'", ""))
        )

    def filter_genres(self, queryset, name, value):
        # No genre ticked arrives as an empty queryset, which is not "empty" to django-filter.
        if not value:
            return queryset
        return queryset.in_any_genre(value)

    def filter_rating_min(self, queryset, name, value):
        threshold = (value - DISPLAY_ROUNDING) / 10
        return queryset.filter(rating_average__gte=float(threshold))

    def filter_has_reviews(self, queryset, name, value):
        return queryset.with_reviews(value)

    def filter_seen(self, queryset, name, value):
        return queryset.seen_by(self.request.user, seen=value == "seen")

    def filter_watchlist(self, queryset, name, value):
        return queryset.on_watchlist_of(self.request.user, on=value == "on")


class SearchFilter(MovieFilter):
    """On search results the default order is relevance, not title."""

    ordering = ordering_filter(empty_label="Best match")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search titles and overviews",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def filters_for_log(cleaned_data: dict) -> dict:
    """The filters a search was refined with, as JSON: only those set, genres by slug."""
    logged = {}
    for name, value in cleaned_data.items():
        if name == "genres":
            value = sorted(genre.slug for genre in value or [])
        elif name == "ordering":
            value = list(value or [])
        elif isinstance(value, Decimal):
            value = float(value)
        if value is not None and value not in ("", []):
            logged[name] = value
    return logged


def narrows(cleaned_data: dict) -> bool:
    """Whether any filter is set that leaves films out: an order alone sorts them."""
    return any(name != "ordering" for name in filters_for_log(cleaned_data))
