"""The spread of a film's ratings: how many of each source's raters gave each value, on
the source's own scale (MovieLens in half stars from 0.5 to 5, Marquee in whole stars),
as Letterboxd's film pages draw it. Aggregates (TMDB's average of its votes) have no
raters to spread and are left out. One query for the film, whatever its ratings."""

from dataclasses import dataclass

from django.db.models import Count

from catalog.models import RaterKind, Rating, RatingSource

# More steps than this on a scale (0 to 100, say) would be a comb of empty bars: such a
# scale shows the values given only.
MAX_STEPS = 20


@dataclass(frozen=True)
class Step:
    value: str  # as a person reads it: "3.5", "4"
    count: int
    share: int  # percent of the most given value's count, for the bar's height


@dataclass(frozen=True)
class Spread:
    label: str
    low: str
    high: str
    ratings: int
    steps: list[Step]


def spreads_of(movie) -> list[Spread]:
    """One spread per source and scale with raters, the one with most ratings first."""
    rows = (
        Rating.objects.filter(movie=movie)
        .exclude(rater_kind=RaterKind.AGGREGATE)
        .order_by()
        .values_list("source", "scale_min", "scale_max", "value")
        .annotate(n=Count("pk"))
    )
    counted: dict[tuple[str, float, float], dict[float, int]] = {}
    for source, low, high, value, n in rows:
        counted.setdefault((source, low, high), {})[value] = n
    labels = dict(RatingSource.choices)
    spreads = [
        spread(labels.get(source, source), low, high, counts)
        for (source, low, high), counts in counted.items()
    ]
    return sorted(spreads, key=lambda s: (-s.ratings, s.label))


def spread(label: str, low: float, high: float, counts: dict[float, int]) -> Spread:
    tallest = max(counts.values())
    return Spread(
        label=label,
        low=number(low),
        high=number(high),
        ratings=sum(counts.values()),
        steps=[
            Step(number(value), counts.get(value, 0), round(100 * counts.get(value, 0) / tallest))
            for value in steps_of(low, high, counts)
        ],
    )


def steps_of(low: float, high: float, counts: dict[float, int]) -> list[float]:
    """Every value of the scale, empty ones included: in whole steps when the scale starts
    on a whole number and every value given is one, else in half steps (MovieLens, 0.5 to
    5, whatever its raters gave). The values given alone where those steps do not fit them
    or would be too many."""
    step = 1.0 if all(value == int(value) for value in (low, *counts)) else 0.5
    if any((value - low) % step for value in counts) or (high - low) / step >= MAX_STEPS:
        return sorted(counts)
    return [low + step * index for index in range(int((high - low) / step) + 1)]


def number(value: float) -> str:
    """3.0 as "3", 3.5 as "3.5"."""
    return f"{value:g}"
