"""A person's viewing in figures, for a year or all time, as Letterboxd's and Trakt's
year in review: read from what Marquee already keeps, counted by the database.

Every figure is a fixed number of queries whatever the history's length (grouped
aggregates, never a query per film), and reads days, months and years in the current
time zone: the person's, which feedback.time_zones activates for their requests. A
viewing at 23:30 on 31 December in Berlin is December's in Berlin, January's in UTC.

The films a person saw in a period are those the rest of Marquee calls seen (the
watchlist's rule, feedback.watched), dated: a viewing finished in the period; and,
for a film with no finished viewing at all, feedback saying watched (not "did not
finish") saved in the period, or a review first posted in it. Someone who logs films by
rating them, as on Letterboxd, has figures too. A film with a finished viewing counts
where its viewings are, never again by its feedback: feedback is dated when last saved,
which says when the person last changed their mind, not when they watched.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from catalog.bounds import FIRST_FILM
from catalog.models import Genre, Movie, Review
from feedback.models import RATING_MAX, RATING_MIN, UserFeedback, ViewingHistory
from feedback.watched import VIEWING_FINISHED, watchings

TOP_GENRES = 5
# Films tied for most watched: more than this many ties say little.
MOST_WATCHED = 5
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def year_range() -> range:
    """The years a viewing can fall in: from the first film's to next year's (a viewing
    may be a day ahead of the clock, catalog.bounds.CLOCK_SKEW)."""
    return range(FIRST_FILM.year, timezone.localdate().year + 2)


def year_asked(value: str | None) -> int | None:
    """The year of a ?year= value, or None for all time: for none given, and for one
    that is no year a viewing can have ("abc", "2026x", "0", "99999"). ASCII digits
    only: int() would take " 2024", "２０２４" or "2_024"."""
    if value and re.fullmatch(r"[0-9]{4}", value) and int(value) in year_range():
        return int(value)
    return None


@dataclass(frozen=True)
class Bar:
    label: str  # what the bar is read as: "March", "2024"
    short: str  # what stands under it: "Mar", "2024"
    count: int
    share: int  # its height, in percent of the tallest bar
    year: int | None = None  # the year a bar of all time opens


@dataclass(frozen=True)
class GenreFigure:
    name: str
    slug: str
    films: int


@dataclass(frozen=True)
class FilmFigure:
    pk: int
    title: str
    viewings: int


@dataclass(frozen=True)
class RatingFigure:
    stars: int
    count: int
    share: int  # percent of the most given rating, for its bar


@dataclass(frozen=True)
class Stats:
    year: int | None  # None: all time
    years: list[int]  # the years of the person's viewings, feedback and reviews, newest first
    viewings: int
    films: int  # the films seen in the period (films_seen)
    films_rewatched: int
    minutes: int
    bars: list[Bar]
    top_genres: list[GenreFigure]
    ratings: list[RatingFigure]
    rating_average: float | None
    most_watched: list[FilmFigure]
    more_watched_as_often: bool  # films tied with those, past the MOST_WATCHED shown
    reviews: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def ratings_given(self) -> int:
        return sum(rating.count for rating in self.ratings)


def period_filter(field: str, year: int | None) -> Q:
    """The year in the current time zone, as bounds on `field` an index can use."""
    if year is None:
        return Q()
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    return Q(**{f"{field}__gte": start, f"{field}__lt": start.replace(year=year + 1)})


def share(count: int, tallest: int) -> int:
    return round(100 * count / tallest) if tallest else 0


def minutes_spent():
    """A viewing's minutes: those watched when given, else the film's runtime (the
    item's duration for an item not matched to a film) if it was finished, else none."""
    runtime = Coalesce("media__movie__runtime_minutes", "media__duration")
    return Coalesce(
        "minutes_watched",
        Case(When(VIEWING_FINISHED, then=runtime), default=0),
        0,
        output_field=IntegerField(),
    )


def counts_by(viewings, part) -> dict[int, int]:
    rows = viewings.annotate(part=part).order_by().values("part").annotate(n=Count("pk"))
    return {row["part"]: row["n"] for row in rows}


def month_bars(viewings) -> list[Bar]:
    counts = counts_by(viewings, ExtractMonth("started_at"))
    tallest = max(counts.values(), default=0)
    return [
        Bar(
            label=name,
            short=short,
            count=counts.get(month, 0),
            share=share(counts.get(month, 0), tallest),
        )
        for month, (name, short) in enumerate(zip(MONTH_NAMES, MONTHS, strict=True), start=1)
    ]


def year_bars(counts: dict[int, int]) -> list[Bar]:
    """A bar a year, from the first year with viewings to the last, empty years too: a
    gap in the bars is a gap in the watching."""
    if not counts:
        return []
    tallest = max(counts.values())
    return [
        Bar(
            label=str(y),
            short=str(y),
            count=counts.get(y, 0),
            share=share(counts.get(y, 0), tallest),
            year=y,
        )
        for y in range(min(counts), max(counts) + 1)
    ]


@dataclass(frozen=True)
class FilmsSeen:
    """The ids of the films the person saw in the period, as subqueries."""

    everything: models.QuerySet  # viewed and logged
    logged: models.QuerySet  # no finished viewing at all; feedback or a review in the period
    rewatched: models.QuerySet  # finished more than once in the period


def films_seen(user, year: int | None) -> FilmsSeen:
    """Each list is read from the person's own rows, joined by UNION. The catalog's films
    filtered by OR-ed subqueries were read whole instead: on PostgreSQL, 60,000 films and
    a person with 800 viewings, the page's figures took 240 ms that way, 50 this way."""
    # Media matched to no film give NULL, and NOT IN over a list holding NULL is never
    # true: every list here holds films only.
    viewings, feedback, reviews = watchings(user)
    ever = viewings.rows.values("media__movie")
    in_period = viewings.rows.filter(period_filter(viewings.at, year)).order_by()
    said = (
        feedback.rows.filter(period_filter(feedback.at, year))
        .exclude(media__movie__in=ever)
        .order_by()
        .values("media__movie")
    )
    reviewed = (
        reviews.rows.filter(period_filter(reviews.at, year))
        .exclude(movie__in=ever)
        .order_by()
        .values("movie")
    )
    twice = in_period.values("media__movie").annotate(n=Count("pk")).filter(n__gt=1)
    return FilmsSeen(
        everything=in_period.values("media__movie").union(said, reviewed),
        logged=said.union(reviewed),
        rewatched=twice.values("media__movie"),
    )


def film_figures(seen: FilmsSeen) -> dict:
    """How many films were seen, how many watched to the end more than once, and the
    minutes of those seen by feedback or a review alone: each film's runtime, once, as
    Letterboxd counts a logged film (one query)."""
    return Movie.objects.filter(pk__in=seen.everything).aggregate(
        films=Count("pk"),
        rewatched=Count("pk", filter=Q(pk__in=seen.rewatched)),
        logged_minutes=Coalesce(Sum("runtime_minutes", filter=Q(pk__in=seen.logged)), 0),
    )


def viewing_figures(viewings, seen: FilmsSeen) -> dict:
    """How many viewings, and their minutes, but for those of a film its runtime counts
    for (film_figures): one stopped at 40 minutes, then said to be watched, is the film's
    runtime once, not that and 40 more."""
    counted_whole = Movie.objects.filter(pk__in=seen.logged, runtime_minutes__isnull=False)
    return viewings.aggregate(
        count=Count("pk"),
        minutes=Coalesce(
            Sum(minutes_spent(), filter=~Q(media__movie__in=counted_whole.values("pk"))), 0
        ),
    )


def most_watched(viewings) -> tuple[list[FilmFigure], bool]:
    """The film or films (ties, by title, at most MOST_WATCHED) watched most often,
    finished or not; and whether more films are tied with them, which the page says
    rather than leave them out without a word."""
    rows = list(
        viewings.filter(media__movie__isnull=False)
        .order_by()
        .values("media__movie", "media__movie__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "media__movie__title", "media__movie")[: MOST_WATCHED + 1]
    )
    top = rows[0]["n"] if rows else 0
    tied = [
        FilmFigure(pk=row["media__movie"], title=row["media__movie__title"], viewings=row["n"])
        for row in rows
        if row["n"] == top
    ]
    return tied[:MOST_WATCHED], len(tied) > MOST_WATCHED


def top_genres(seen: FilmsSeen) -> list[GenreFigure]:
    rows = (
        Genre.objects.filter(movies__in=seen.everything)
        .annotate(films=Count("movies", distinct=True))
        .order_by("-films", "name")
        .values("name", "slug", "films")[:TOP_GENRES]
    )
    return [GenreFigure(**row) for row in rows]


def rating_spread(user, year: int | None) -> tuple[list[RatingFigure], float | None]:
    """How many of the person's ratings, saved in the period, give each number of stars,
    and their average. A film rated on two media items (Plex and Jellyfin) is one rating:
    that of their latest rated feedback on it, which their Marquee rating follows; an
    item matched to no film (an episode) is one of its own."""
    rows = (
        UserFeedback.objects.filter(
            period_filter("timestamp", year), pk__in=ratings_that_count(user)
        )
        .order_by()
        .values("rating")
        .annotate(n=Count("pk"))
    )
    counts = {row["rating"]: row["n"] for row in rows}
    tallest = max(counts.values(), default=0)
    spread = [
        RatingFigure(
            stars=stars, count=counts.get(stars, 0), share=share(counts.get(stars, 0), tallest)
        )
        for stars in range(RATING_MIN, RATING_MAX + 1)
    ]
    given = sum(counts.values())
    average = round(sum(s * n for s, n in counts.items()) / given, 2) if given else None
    return spread, average


def ratings_that_count(user):
    """The ids of the person's rated feedback that stand for a rating: the latest of
    each film, which their Marquee rating follows, and every one on an item matched to
    no film (UserFeedbackQuerySet.latest_rated)."""
    return UserFeedback.objects.filter(user=user).latest_rated().values("pk")


def years_logged(user) -> set[int]:
    """The years of the person's feedback and reviews (one query): a year someone only
    rated or reviewed in has films and ratings to show."""
    feedback = UserFeedback.objects.filter(user=user).annotate(year=ExtractYear("timestamp"))
    reviews = Review.objects.filter(user=user).annotate(year=ExtractYear("posted_at"))
    rows = feedback.order_by().values_list("year").union(reviews.order_by().values_list("year"))
    return {year for (year,) in rows if year is not None}


def stats_for(*, user, year: int | None) -> Stats:
    """The person's figures for `year` in the current time zone, or for all time."""
    everything = ViewingHistory.objects.filter(user=user)
    per_year = counts_by(everything, ExtractYear("started_at"))
    viewings = everything.filter(period_filter("started_at", year))
    seen = films_seen(user, year)
    summary = viewing_figures(viewings, seen)
    films = film_figures(seen)
    spread, average = rating_spread(user, year)
    reviews = Review.objects.filter(period_filter("posted_at", year), user=user)
    most, more_as_often = most_watched(viewings)
    return Stats(
        year=year,
        years=sorted(per_year.keys() | years_logged(user), reverse=True),
        viewings=summary["count"],
        films=films["films"],
        films_rewatched=films["rewatched"],
        minutes=summary["minutes"] + films["logged_minutes"],
        # Viewings only: a film seen by feedback or a review has no day it was watched.
        bars=year_bars(per_year) if year is None else month_bars(viewings),
        top_genres=top_genres(seen),
        ratings=spread,
        rating_average=average,
        most_watched=most,
        more_watched_as_often=more_as_often,
        reviews=reviews.count(),
    )
