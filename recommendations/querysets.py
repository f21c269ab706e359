"""Reads of the recommendation log and of the neighbour table, with their joins built in."""

from django.apps import apps
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Now, TruncWeek

from catalog.querysets import films_seen_or_rated_by
from recommendations.lookups import InList


class RecommendationLogQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def for_export(self, user):
        """The picks shown to a person, with their media items and films: by the time
        shown, then each slate's in slot order (primary, backup, wildcard). Not by the
        row id: an import writes the picks of a slate in another order (export_import)."""
        from recommendations.models import RecommendationType  # models imports this module

        slot = Case(
            *(
                When(recommendation_type=value, then=Value(place))
                for place, value in enumerate(RecommendationType.values)
            )
        )
        return (
            self.for_user(user)
            .select_related("media", "media__movie")
            .order_by("timestamp", "slate_id", slot)
        )

    def slate_summaries(self):
        """One row per slate, newest first: `slate_id` and `shown_at`."""
        return (
            self.order_by()
            .values("slate_id")
            .annotate(shown_at=Max("timestamp"))
            .order_by("-shown_at", "-slate_id")
        )

    def newest_slate(self) -> dict | None:
        """The newest slate, as `slate_summaries` gives it, with `first_taste_since` (not 0
        when it was made before its person had said anything of their taste, and they
        have since) and `picks_gone`: how many of its films its person has seen or rated
        (as the engine and the film lists count it, films_seen_or_rated_by: a rating an
        IMDb import brought, say), or started watching or given feedback on since it was
        shown, or that are no longer linked to a film, or that they turned down ("Not
        interested", whenever: the engine would not show any of these now). None when
        there is no slate. One query.

        A film started before the slate, or said not finished before it, is one the engine
        offers again: counting that made such a slate stale at once, and every visit
        logged a new one."""
        newest = self.order_by("-timestamp", "-slate_id").values("slate_id")[:1]
        ViewingHistory = apps.get_model("feedback", "ViewingHistory")
        UserFeedback = apps.get_model("feedback", "UserFeedback")
        this_pick = {"user": OuterRef("user"), "media__movie": OuterRef("media__movie")}
        # Since the slate and up to now: a row dated later today (allowed, a day ahead at
        # most) would otherwise be "since" every slate made before its time, and each visit
        # would log a new one. It makes the slate stale once its time has come.
        started_since = ViewingHistory.objects.filter(
            **this_pick, started_at__gte=OuterRef("timestamp"), started_at__lte=Now()
        )
        said_since = UserFeedback.objects.filter(
            **this_pick, timestamp__gte=OuterRef("timestamp"), timestamp__lte=Now()
        )
        NotInterested = apps.get_model("feedback", "NotInterested")
        turned_down = NotInterested.objects.filter(
            user=OuterRef("user"), movie=OuterRef("media__movie")
        )
        gone = (
            Q(media__movie__isnull=True)
            | films_seen_or_rated_by(OuterRef("user"), film="media__movie")
            | Q(Exists(started_since))
            | Q(Exists(said_since))
            | Q(Exists(turned_down))
        )
        return (
            self.filter(slate_id=Subquery(newest))
            .slate_summaries()
            .annotate(
                picks_gone=Count("pk", filter=gone),
                first_taste_since=Count("pk", filter=first_taste_since()),
            )
            .first()
        )

    def in_slates(self, slate_ids):
        """The picks of these slates with their media, movie and genres: two queries."""
        return (
            self.filter(slate_id__in=slate_ids)
            .select_related("media", "media__movie")
            .prefetch_related("media__movie__genres")
        )

    def acceptance_by_week(self, group: str):
        """Per week and per `group` ("recommendation_type" or "engine_version"): in how
        many slates it was shown (`slates`) and how many picks were chosen (`chosen`)."""
        return (
            self.order_by()
            .annotate(week=TruncWeek("timestamp"))
            .values("week", group)
            .annotate(
                slates=Count("slate_id", distinct=True),
                chosen=Count("pk", filter=Q(selected=True)),
            )
            .order_by("week", group)
        )


class MovieSimilarityQuerySet(models.QuerySet):
    def candidate_scores(self, strengths: dict[int, float], exclude, limit: int):
        """The neighbours of the films a person liked, each scored by the sum of its
        similarity weights, each weight times how much the person liked that film.

        One aggregate query whatever the number of films: strengths are grouped into a
        CASE per distinct value (a handful: they come from 1-5 stars and a few flags).
        """
        by_strength: dict[float, list[int]] = {}
        for movie_id, strength in strengths.items():
            by_strength.setdefault(strength, []).append(movie_id)
        factor = Case(
            *(
                When(InList(F("movie_id"), sorted(ids)), then=Value(strength))
                for strength, ids in sorted(by_strength.items())
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
        return (
            self.filter(InList(F("movie_id"), sorted(strengths)))
            .exclude(InList(F("neighbour_id"), sorted(exclude)))
            .order_by()
            .values("neighbour_id")
            .annotate(total=Sum(F("weight") * factor, output_field=FloatField()))
            .order_by("-total", "neighbour_id")[:limit]
        )

    def linking(self, sources, targets):
        """Which of `sources` lists which of `targets` as a neighbour, with the source's
        title: what a reason names ("People who loved Heat loved this")."""
        return self.filter(
            InList(F("movie_id"), sorted(sources)), InList(F("neighbour_id"), sorted(targets))
        ).values("movie_id", "neighbour_id", "weight", "movie__title")


# What a person tells Marquee of their taste, and when: each row dated by the moment it
# speaks of, as the pages write it (now) and as imports do (the file's dates).
TASTE_DATES = {
    ("feedback", "UserFeedback"): ("timestamp", {}),
    ("feedback", "ViewingHistory"): ("started_at", {}),
    ("feedback", "WatchlistEntry"): ("added_at", {}),
    ("catalog", "Review"): ("posted_at", {}),
    ("catalog", "Rating"): ("rated_at", {"rater_kind": "user"}),
}
# A rating the site writes comes with the feedback it follows, of the same moment: the
# feedback says it. Ratings have no index by date, and someone's thousands of imported
# ones would be read on each visit to find none since.
SAID_SINCE_BY = {key for key in TASTE_DATES if key != ("catalog", "Rating")}


def first_taste_since() -> Q:
    """For a slate's rows: its person had said nothing of their taste before it was made
    (no feedback, viewing, watchlist entry, review or rating of theirs dated earlier), and
    has said something since, up to now. Such a slate was made from what everyone likes;
    it stayed for its 12 hours, its reasons ("a genre you have not tried") wrong from the
    first rating on, while the sign-up page promises picks once they rate a few films.
    A slate made from someone's taste is not made again for each film they rate: its
    picks stay for the evening (current_slate_id). Rows an import dates before the
    slate read as said before it, so the slate stays: the same as before this rule."""
    before, since = Q(), Q()
    for key, (moment, also) in TASTE_DATES.items():
        theirs = apps.get_model(*key).objects.filter(user=OuterRef("user"), **also)
        before |= Q(Exists(theirs.filter(**{f"{moment}__lt": OuterRef("timestamp")})))
        if key in SAID_SINCE_BY:
            said_since = {f"{moment}__gte": OuterRef("timestamp"), f"{moment}__lte": Now()}
            since |= Q(Exists(theirs.filter(**said_since)))
    return ~before & since
