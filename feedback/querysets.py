"""Reads of people's media, feedback, history, watchlist and lists, with their joins built in."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lower, RowNumber

from catalog.folding import fold
from catalog.querysets import alike_when_equal, average_rating, damped_rating, marquee_stars
from feedback.watched import FEEDBACK_SAYS_WATCHED, VIEWING_FINISHED

if TYPE_CHECKING:
    from feedback.models import UserFeedback

# A person's feedback on a film, the one that says what they think of it now first: the
# latest saved, and of two saved at the same moment the later row.
LATEST_FIRST = ["-timestamp", "-feedback_id"]


class MediaQuerySet(models.QuerySet):
    # Imports write items in bulk, which skips Media.save(): these keep the folded titles
    # the library's title box matches as true as save() does (catalog's MovieQuerySet
    # does the same for films). update() cannot fold in SQL, so it refuses titles.
    def bulk_create(self, objs, *args, update_fields=None, **kwargs):
        objs = list(objs)
        for item in objs:
            item.folded_title = fold(item.title)
        if update_fields and "title" in update_fields:
            update_fields = [*update_fields, "folded_title"]
        return super().bulk_create(objs, *args, update_fields=update_fields, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if "title" in fields and "folded_title" not in fields:
            for item in objs:
                item.folded_title = fold(item.title)
            fields.append("folded_title")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if "title" in kwargs and "folded_title" not in kwargs:
            raise TypeError("Change an item's title with save() or bulk_update(), which fold it.")
        return super().update(**kwargs)

    def with_standing(self):
        """These items by media id, each as (item, whether it stands for its film): one query.

        A film can have several items (the same film on Plex and on Jellyfin, and
        Marquee's own), and wherever Marquee names the film by one of them (the film's
        feedback form, the recommendation log) it must be the same one. The lowest media
        id among them stands for the film because that rule reads only what is stored:
        every request, two at once or two years apart, picks the same item, with no
        column saying which to keep up when items are linked, unlinked or deleted.
        """
        films = set()
        for item in self.order_by("media_id"):
            stands = item.movie_id is not None and item.movie_id not in films
            films.add(item.movie_id)
            yield item, stands

    def library_for(self, user):
        """The items a person has feedback on or history for, one row each.

        Annotates their feedback (`feedback_pk`, `watched_completion`, `would_watch_again`,
        `rating`, `feedback_at`), `last_watched` and `times_watched`, with the linked movie
        joined. Feedback is a filtered LEFT JOIN rather than subqueries: the unique
        constraint on (user, media) means it can never add a row. History can hold many rows
        per item, so it is read through subqueries that cannot multiply anything.
        """
        ViewingHistory = apps.get_model("feedback", "ViewingHistory")
        history = ViewingHistory.objects.filter(user=user, media=OuterRef("pk")).order_by()
        return (
            self.annotate(mine=FilteredRelation("feedback", condition=Q(feedback__user=user)))
            .filter(Q(mine__isnull=False) | Exists(history))
            .annotate(
                feedback_pk=F("mine__feedback_id"),
                watched_completion=F("mine__watched_completion"),
                would_watch_again=F("mine__would_watch_again"),
                rating=F("mine__rating"),
                feedback_at=F("mine__timestamp"),
                last_watched=Subquery(
                    history.order_by("-started_at", "-id").values("started_at")[:1]
                ),
                times_watched=Coalesce(
                    Subquery(history.values("media").annotate(n=Count("pk")).values("n")), 0
                ),
            )
            .select_related("movie")
        )


class UserFeedbackQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user).select_related("media", "media__movie")

    def people_and_films(self):
        """The distinct (user id, movie id) pairs of this feedback; the movie may be None."""
        return self.order_by().values_list("user_id", "media__movie_id").distinct()

    def saying_watched(self):
        """Feedback that says the person saw the film (feedback.watched has the rule)."""
        return self.filter(FEEDBACK_SAYS_WATCHED)

    def rated(self):
        """Feedback that gives stars: what a Marquee rating can follow."""
        return self.filter(rating__isnull=False)

    def latest_rated(self):
        """Of this feedback, what each person's Marquee rating of each film follows: their
        latest rated feedback on any of the film's items (LATEST_FIRST), one row per person
        and film; on an item matched to no film (an episode), each item's own. The rule,
        stated once: marquee_rating_sync writes it, the stats count it."""
        film_or_item = [
            F("media__movie_id"),
            Case(When(media__movie__isnull=True, then=F("media_id"))),
        ]
        newest = Window(
            RowNumber(), partition_by=[F("user_id"), *film_or_item], order_by=LATEST_FIRST
        )
        return self.rated().annotate(newest=newest).filter(newest=1)

    def latest_rated_by_film(self):
        """latest_rated, films only, as (user id, movie id, rating, timestamp)."""
        return (
            self.filter(media__movie__isnull=False)
            .latest_rated()
            .values_list("user_id", "media__movie_id", "rating", "timestamp")
        )

    def followed_first(self):
        """This feedback, the rated first, latest first (LATEST_FIRST): for one person's
        feedback on one film, the row their Marquee rating follows (latest_rated) leads,
        and with none rated, their latest."""
        unrated_last = ExpressionWrapper(Q(rating__isnull=True), output_field=BooleanField())
        return self.order_by(unrated_last, *LATEST_FIRST)


def latest_rated_of(feedback: Iterable) -> "UserFeedback | None":
    """latest_rated's rule for one person's feedback on one film, read already: the row
    their Marquee rating follows, or None when none is rated."""
    rated = [row for row in feedback if row.rating is not None]
    return max(rated, key=lambda row: (row.timestamp, row.pk), default=None)


class ViewingHistoryQuerySet(models.QuerySet):
    def for_user(self, user):
        return (
            self.filter(user=user)
            .select_related("media", "media__movie")
            .order_by("-started_at", "-id")
        )

    def finished(self):
        """Viewings watched to the end (feedback.watched has the rule)."""
        return self.filter(VIEWING_FINISHED)

    def for_history(self, user):
        """for_user, each viewing with what the history page marks, in the same query:
        `person_stars`, the person's Marquee rating of its film (None: not rated), and
        `rewatch`, whether they had watched the item or its film to the end before it
        started, as a diary marks a rewatch."""
        film = OuterRef("media__movie")
        earlier = self.model.objects.filter(
            Q(media=OuterRef("media")) | Q(media__movie=film),
            VIEWING_FINISHED,
            user=user,
            started_at__lt=OuterRef("started_at"),
        )
        return self.for_user(user).annotate(
            person_stars=marquee_stars(user, film=film), rewatch=Exists(earlier)
        )


class WatchlistEntryQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's watchlist with its films, newest first: the order the index
        (user, -added_at) holds, the id breaking ties so that pages never overlap."""
        return self.filter(user=user).select_related("movie").order_by("-added_at", "-id")

    def for_page(self, user):
        """for_user, with the films' genres, by name, and their average ratings (0-1,
        `rating_average`, as the film cards show it): what the watchlist page shows.
        `rating_damped` is what it sorts by rating by, as the catalog's lists do."""
        Genre = apps.get_model("catalog", "Genre")
        stats = "movie__rating_stats"
        return (
            self.for_user(user)
            .annotate(rating_average=average_rating(stats))
            .alias(rating_damped=alike_when_equal(damped_rating(stats=stats)))
            .prefetch_related(Prefetch("movie__genres", queryset=Genre.objects.order_by("name")))
        )


class NotInterestedQuerySet(models.QuerySet):
    def for_user(self, user):
        """The films a person turned down, newest first: the order the index (user,
        -turned_down_at) holds, the id breaking ties so that pages never overlap."""
        return self.filter(user=user).select_related("movie").order_by("-turned_down_at", "-id")


class FilmListQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's lists, the latest changed first: the order the index (user,
        -updated_at) holds, the id breaking ties so that pages never overlap."""
        return self.filter(user=user).order_by("-updated_at", "-id")

    def for_page(self, user, *, first_films: int):
        """for_user with each list's number of films and its first `first_films` entries
        with their films (first_entries): what "Your lists" shows, in two queries."""
        FilmListEntry = apps.get_model("feedback", "FilmListEntry")
        first = FilmListEntry.objects.select_related("movie").order_by("position")[:first_films]
        return (
            self.for_user(user)
            .annotate(film_count=Count("entries"))
            .prefetch_related(Prefetch("entries", queryset=first, to_attr="first_entries"))
        )

    def named(self, user, name: str):
        """The person's list of this name in any letter case, as their one-name-per-person
        UNIQUE folds it: the database's lower() of both. name__iexact is not that: on
        PostgreSQL it compares upper(), which folds "İstanbul" and "istanbul" apart where
        lower() folds them together, so a list it did not find was refused by the UNIQUE."""
        return (
            self.filter(user=user).alias(lowered=Lower("name")).filter(lowered=Lower(Value(name)))
        )

    def holding(self, user, movie):
        """A person's lists by name, each saying whether the film is on it (holds_film):
        the film page's "Add to a list", in one query."""
        FilmListEntry = apps.get_model("feedback", "FilmListEntry")
        on_it = FilmListEntry.objects.filter(film_list=OuterRef("pk"), movie=movie)
        return (
            self.filter(user=user).annotate(holds_film=Exists(on_it)).order_by(Lower("name"), "id")
        )


class FilmListEntryQuerySet(models.QuerySet):
    def in_order(self, film_list):
        """A list's films, top first, with their genres by name: the list's page."""
        Genre = apps.get_model("catalog", "Genre")
        return (
            self.filter(film_list=film_list)
            .select_related("movie")
            .prefetch_related(Prefetch("movie__genres", queryset=Genre.objects.order_by("name")))
            .order_by("position")
        )
