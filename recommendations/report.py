"""The acceptance report: how often people pick what they are shown, per slot type and per
engine version, week by week, and the geometry of its chart (an inline SVG drawn on the
server: no JavaScript, nothing fetched from elsewhere)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from recommendations.models import RecommendationLog, RecommendationType

DEFAULT_WEEKS = 12
MAX_WEEKS = 104
PALETTE = ["#b4361f", "#2f6b3a", "#1f5fb4", "#8a5a00", "#6b3fa0", "#0f7c7c"]

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


class AcceptanceRate:
    """How often what was shown was chosen; for anything with `shown` and `chosen`."""

    @property
    def rate(self) -> float:
        return self.chosen / self.shown if self.shown else 0.0

    @property
    def percent(self) -> str:
        return f"{self.rate:.0%}"


@dataclass
class Point(AcceptanceRate):
    week: object
    shown: int
    chosen: int
    x: float = 0.0
    y: float = 0.0


@dataclass
class Series(AcceptanceRate):
    name: str
    colour: str
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def shown(self) -> int:
        return sum(p.shown for p in self.points)

    @property
    def chosen(self) -> int:
        return sum(p.chosen for p in self.points)


@dataclass
class Chart:
    title: str
    unit: str  # what "shown" counts
    weeks: list
    series: list[Series]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def gridlines(self) -> list[dict]:
        return [
            {"y": y_of(rate), "label_y": y_of(rate) + 4, "label": f"{rate:.0%}"}
            for rate in (0, 0.25, 0.5, 0.75, 1.0)
        ]

    @property
    def week_labels(self) -> list[dict]:
        step = max(1, len(self.weeks) // 8)  # at most about eight labels fit
        return [
            {"x": x_of(i, len(self.weeks)), "y": HEIGHT - BOTTOM + 18, "label": f"{week:%d %b}"}
            for i, week in enumerate(self.weeks)
            if i % step == 0
        ]

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return WIDTH - RIGHT


def x_of(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return round(LEFT + (span / 2 if count <= 1 else span * index / (count - 1)), 1)


def y_of(rate: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - rate), 1)


def parse_weeks(raw) -> int:
    """How many weeks to show: bad input falls back to the default, never an error."""
    try:
        weeks = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_WEEKS
    return min(max(weeks, 1), MAX_WEEKS)


def acceptance_charts(weeks: int = DEFAULT_WEEKS) -> list[Chart]:
    logs = RecommendationLog.objects.filter(timestamp__gte=first_monday(weeks))
    by_type = weekly(logs, "recommendation_type")
    by_version = weekly(logs, "engine_version")
    all_weeks = sorted({week for week, _ in by_type} | {week for week, _ in by_version})
    labels = dict(RecommendationType.choices)
    return [
        chart(
            "Acceptance per slot type",
            "slates showing it",
            all_weeks,
            by_type,
            sorted({group for _, group in by_type}, key=RecommendationType.values.index),
            labels,
        ),
        chart(
            "Acceptance per engine version",
            "slates",
            all_weeks,
            by_version,
            sorted({group for _, group in by_version}),
            {},
        ),
    ]


def first_monday(weeks: int) -> datetime:
    """Where the last `weeks` weeks start: midnight on the Monday `weeks` - 1 weeks before
    this week's, in the current time zone, as the points are grouped (TruncWeek). From
    `weeks` times 7 days ago, the first point would be part of a week, labelled as all
    of it, and "1 week" would show two."""
    now = timezone.localtime()
    this_monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # On the wall clock, as TruncWeek counts, whatever daylight saving did in between.
    return this_monday - timedelta(weeks=weeks - 1)


def weekly(logs, group: str) -> dict[tuple, tuple[int, int]]:
    """(week, group) -> (slates shown, picks chosen), in one query."""
    return {
        (row["week"], row[group]): (row["slates"], row["chosen"])
        for row in logs.acceptance_by_week(group)
    }


def chart(title, unit, weeks, counts, groups, labels) -> Chart:
    series = []
    for index, group in enumerate(groups):
        line = Series(labels.get(group, group), PALETTE[index % len(PALETTE)])
        for i, week in enumerate(weeks):
            if (week, group) in counts:
                shown, chosen = counts[(week, group)]
                point = Point(week, shown, chosen)
                point.x, point.y = x_of(i, len(weeks)), y_of(point.rate)
                line.points.append(point)
        series.append(line)
    return Chart(title, unit, weeks, series)
