"""Reads of the catalog, as chainable QuerySet methods with their joins built in."""

import datetime as dt

from django.apps import apps
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Left,
    Lower,
    Replace,
    Round,
    StrIndex,
    Substr,
)
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from catalog.folding import TITLES_APART, query_key, search_title
from catalog.search import search_movies
from feedback.watched import FEEDBACK_SAYS_NOT_FINISHED, watchings

TITLES = {"title", "original_title"}  # what Movie.search_title is made of

# Films sort by title as an index reads: by the folded words of their own title, accents,
# case, punctuation and apostrophes aside (Movie.search_title up to TITLES_APART, where
# the original title's words start: " solaris | солярис" must not sort after " solaris
# rising"). The index behind that order (catalog_movie_title_order_idx) holds the first 64
# characters: a btree key must stay under PostgreSQL's 2,704 bytes, and a folded title can
# pass that (NFKD writes some characters as eighteen). The sort finishes the rare titles
# alike that far.
TITLE_ORDER_LENGTH = 64


def title_order(path: str = "") -> models.Expression:
    """The first TITLE_ORDER_LENGTH characters of a film's own folded title, apostrophes
    out; `path` leads to the film ("movie__")."""
    bare = Replace(F(f"{path}search_title"), Value("'"), Value(""))
    apart = StrIndex(bare, Value(TITLES_APART))
    own = Case(
        When(GreaterThan(apart, 0), then=Substr(bare, 1, apart - 1)),
        default=bare,
        output_field=models.TextField(),
    )
    return Left(own, TITLE_ORDER_LENGTH)


def title_keys(path: str = "", *, descending: bool = False) -> list[models.OrderBy]:
    """The order "Title, A to Z" (or Z to A) of films reached by `path`: their own title,
    then both titles (search_title) for films alike that far."""
    keys = [title_order(path), F(f"{path}search_title")]
    return [key.desc() if descending else key.asc() for key in keys]


def by_title(*, descending: bool = False) -> list[models.OrderBy]:
    """Films "Title, A to Z" (or Z to A), the title as typed and the id last, so that two
    films never tie."""
    tail = [F("title"), F("id")]
    return title_keys(descending=descending) + [
        key.desc() if descending else key.asc() for key in tail
    ]


# Votes at the catalog's mean that every film's own votes are counted with, to rank the
# top rated; the recommendations' priors damp averages the same way (engine.DAMPING).
TOP_RATED_DAMPING = 10


# Places a computed rating is compared to: the stats are sums of floats, added in the order
# the ratings came, so two films rated alike can differ in their last bits.
RATING_PLACES = 9


def alike_when_equal(rating: models.Expression) -> models.Expression:
    """The rating rounded for ordering: films rated alike tie, and go by title."""
    return Round(rating, RATING_PLACES)


def damped_rating(
    mean: float | models.Expression | None = None, *, stats: str = "rating_stats"
) -> models.Expression:
    """A film's average counted with TOP_RATED_DAMPING votes at `mean`, on 0-1:
    (score + m * C) / (votes + m), IMDb's top chart's (v * R + m * C) / (v + m). `stats`
    is the path to the film's MovieRatingStats (from a watchlist entry, through its film).

    `mean` (C) is the catalog's mean rating by default, every vote of every film counted
    once, read in the same statement as a scalar subquery: the database computes it once
    per statement, from MovieRatingStats (one row per rated film, which the ranking
    reads whole anyway), and the page spends no query on it. None for a film without
    ratings.
    """
    if mean is None:
        Stats = apps.get_model("catalog", "MovieRatingStats")
        # Grouped by a constant, which Django leaves out of GROUP BY: one row, the sums of
        # the whole table. As floats: PostgreSQL sums the bigint votes as numeric.
        whole_table = Stats.objects.order_by().annotate(whole=Value(1)).values("whole")
        mean = Subquery(
            whole_table.annotate(
                mean=Cast(Sum("score"), FloatField()) / Cast(Sum("votes"), FloatField())
            ).values("mean")
        )
    return ExpressionWrapper(
        (F(f"{stats}__score") + TOP_RATED_DAMPING * mean)
        / (F(f"{stats}__votes") + TOP_RATED_DAMPING),
        output_field=FloatField(),
    )


def average_rating(stats: str = "rating_stats") -> models.Expression:
    """A film's average rating (0-1, weighted by votes) from its MovieRatingStats at
    `stats`; None for a film without ratings."""
    return ExpressionWrapper(F(f"{stats}__score") / F(f"{stats}__votes"), output_field=FloatField())


def normalized_score(prefix: str = "") -> models.Expression:
    """A rating's value on 0-1, whatever scale it was given on."""
    value, low, high = (F(f"{prefix}{name}") for name in ("value", "scale_min", "scale_max"))
    return Cast((value - low) / (high - low), FloatField())


def rating_weight(prefix: str = "") -> models.Expression:
    """An aggregate rating counts for its votes, a single rating for one."""
    return Coalesce(F(f"{prefix}vote_count"), 1)


class RatingQuerySet(models.QuerySet):
    def stats_by_source(self):
        """Per source, best-known first: the weighted average on 0-1, and as given
        (`raw_average`), with the scales its ratings were given on (one when the least and
        most of each agree), and the number of votes."""
        weights = Sum(rating_weight(), output_field=FloatField())
        return (
            self.order_by()
            .values("source")
            .annotate(
                average=Sum(normalized_score() * rating_weight(), output_field=FloatField())
                / weights,
                raw_average=Sum(F("value") * rating_weight(), output_field=FloatField()) / weights,
                lowest_scale_min=Min("scale_min"),
                highest_scale_min=Max("scale_min"),
                lowest_scale_max=Min("scale_max"),
                highest_scale_max=Max("scale_max"),
                votes=Sum(rating_weight()),
            )
            .order_by("-votes", "source")
        )

    def following_feedback(self):
        """The Marquee ratings a person's rated feedback on the film stands behind: kept
        by feedback.services.marquee_rating_sync, so that an edit of the rating itself
        would last only until the feedback is next saved."""
        UserFeedback = apps.get_model("feedback", "UserFeedback")
        rated = UserFeedback.objects.rated().filter(
            user=OuterRef("user"), media__movie=OuterRef("movie")
        )
        return self.filter(source="marquee", rater_kind="user").filter(Exists(rated))


class MovieQuerySet(models.QuerySet):
    # Imports and the demo write films in bulk, which skips Movie.save(): these keep the
    # folded titles search matches as true as save() does.
    # update() cannot fold per row in SQL, so it refuses to change a title without it
    # (bulk_update() runs through it, with the folded titles).
    def bulk_create(self, objs, *args, update_fields=None, **kwargs):
        objs = list(objs)
        for movie in objs:
            movie.search_title = search_title(movie.title, movie.original_title)
        if update_fields and TITLES & set(update_fields):
            update_fields = [*update_fields, "search_title"]
        return super().bulk_create(objs, *args, update_fields=update_fields, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if TITLES & set(fields) and "search_title" not in fields:
            for movie in objs:
                movie.search_title = search_title(movie.title, movie.original_title)
            fields.append("search_title")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if TITLES & kwargs.keys() and "search_title" not in kwargs:
            raise TypeError("Change a film's title with save() or bulk_update(), which fold it.")
        return super().update(**kwargs)

    def with_rating_stats(self):
        """Annotate `rating_average` (0-1, weighted by votes) and `rating_count` (votes).

        Read from MovieRatingStats, one row per film, so a page that ranks every film
        reads no rating; a film without ratings has no average and no votes.
        """
        return self.annotate(
            rating_average=average_rating(),
            rating_count=Coalesce(F("rating_stats__votes"), 0),
        ).alias(
            # What the lists sort "Highest rated" by: the pages show rating_average, but
            # one vote of 10 must not outrank hundreds of 9. Only computed when sorted by.
            rating_damped=alike_when_equal(damped_rating())
        )

    def for_listing(self):
        """What a list of movies shows: genres and rating stats, in two queries."""
        Genre = apps.get_model("catalog", "Genre")
        return self.with_rating_stats().prefetch_related(
            Prefetch("genres", queryset=Genre.objects.order_by("name"))
        )

    def for_detail(self):
        """A movie page: the listing data plus its relationships in both directions."""
        MovieRelationship = apps.get_model("catalog", "MovieRelationship")
        return self.for_listing().prefetch_related(
            Prefetch(
                "relationships_from", queryset=MovieRelationship.objects.select_related("to_movie")
            ),
            Prefetch(
                "relationships_to", queryset=MovieRelationship.objects.select_related("from_movie")
            ),
        )

    def with_library_of(self, user):
        """Prefetch `library_items`: the media items of each movie that this user has
        given feedback on or watched, each with that user's feedback (`user_feedback`)
        and viewings (`user_viewings`, newest first), and nobody else's."""
        Media = apps.get_model("feedback", "Media")
        UserFeedback = apps.get_model("feedback", "UserFeedback")
        ViewingHistory = apps.get_model("feedback", "ViewingHistory")
        theirs = Exists(UserFeedback.objects.filter(media=OuterRef("pk"), user=user)) | Exists(
            ViewingHistory.objects.filter(media=OuterRef("pk"), user=user)
        )
        items = (
            Media.objects.filter(theirs)
            .order_by("title", "media_id")
            .prefetch_related(
                Prefetch(
                    "feedback",
                    queryset=UserFeedback.objects.filter(user=user),
                    to_attr="user_feedback",
                ),
                Prefetch(
                    "viewings",
                    queryset=ViewingHistory.objects.filter(user=user).order_by(
                        "-started_at", "-id"
                    ),
                    to_attr="user_viewings",
                ),
            )
        )
        return self.prefetch_related(
            Prefetch("media_items", queryset=items, to_attr="library_items")
        )

    def with_watchlist_of(self, user):
        """Annotate `watchlist_added_at`: when this user put each film on their watchlist,
        or None. A subquery through the (user, movie) unique index, in the films' own
        query: a list or a film's page shows it without one more query."""
        WatchlistEntry = apps.get_model("feedback", "WatchlistEntry")
        added = WatchlistEntry.objects.filter(user=user, movie=OuterRef("pk")).values("added_at")
        return self.annotate(watchlist_added_at=Subquery(added[:1]))

    def with_not_interested_of(self, user):
        """Annotate `not_interested_at`: when this user turned each film down ("Not
        interested"), or None. A subquery through the (user, movie) unique index, in the
        films' own query, as with_watchlist_of."""
        NotInterested = apps.get_model("feedback", "NotInterested")
        turned_down = NotInterested.objects.filter(user=user, movie=OuterRef("pk"))
        return self.annotate(not_interested_at=Subquery(turned_down.values("turned_down_at")[:1]))

    def with_rating_by(self, user):
        """Annotate `visitor_stars`: this user's Marquee rating of each film (1 to 5, the
        stars of their latest rated feedback), or None. A subquery through their unique
        (user, film, source) index, in the films' own query, as Letterboxd and Trakt show
        your own rating on every film in a list."""
        return self.annotate(visitor_stars=marquee_stars(user, film=OuterRef("pk")))

    def with_seen_by(self, user):
        """Annotate `seen_by_visitor`: whether this user has seen each film, as the
        engine counts it (films_seen_or_rated_by), in the films' own query."""
        seen = ExpressionWrapper(films_seen_or_rated_by(user), output_field=BooleanField())
        return self.annotate(seen_by_visitor=seen)

    def seen_by(self, user, seen: bool = True):
        """The films this user has seen, as the engine counts it (films_seen_or_rated_by),
        or with False those they have not."""
        condition = films_seen_or_rated_by(user)
        return self.filter(condition) if seen else self.exclude(condition)

    def on_watchlist_of(self, user, on: bool = True):
        WatchlistEntry = apps.get_model("feedback", "WatchlistEntry")
        listed = Q(pk__in=WatchlistEntry.objects.filter(user=user).values("movie_id"))
        return self.filter(listed) if on else self.exclude(listed)

    def with_reviews(self, present: bool = True):
        Review = apps.get_model("catalog", "Review")
        has_reviews = Exists(Review.objects.filter(movie=OuterRef("pk")))
        return self.filter(has_reviews if present else ~has_reviews)

    def in_any_genre(self, genres):
        """Movies in at least one of `genres`, each once (no join, so no DISTINCT)."""
        Membership = self.model.genres.through
        return self.filter(
            Exists(Membership.objects.filter(movie=OuterRef("pk"), genre__in=genres))
        )

    def popular(self):
        return self.order_by("-popularity", "title", "id")

    def top_rated(self, min_votes: int = 3):
        """Best first among films rated often enough, by a damped (Bayesian) average.

        Each film's votes are counted together with TOP_RATED_DAMPING votes at the
        catalog's mean, as IMDb's chart does: three perfect votes do not outrank a
        thousand nearly perfect ones, yet a film with many votes keeps its own average.
        One query reads the catalog's mean. Needs `with_rating_stats()` first.
        """
        Stats = apps.get_model("catalog", "MovieRatingStats")
        totals = Stats.objects.aggregate(score=Sum("score"), votes=Sum("votes"))
        mean = totals["score"] / totals["votes"] if totals["votes"] else 0.5
        return self.filter(rating_count__gte=min_votes).order_by(
            alike_when_equal(damped_rating(mean)).desc(nulls_last=True),
            "-rating_count",
            "title",
            "id",
        )

    def search(self, query: str):
        """Movies matching `query`, best match first: full-text on PostgreSQL, a simpler
        word match on SQLite (see catalog/search.py). On PostgreSQL this runs one count
        at once, to choose between full text and the partial-title fallback."""
        return search_movies(self, query)


# The public "What people search for most" list shows a query only once this many
# signed-in people have each searched for it (and found a film). One person, or one bot
# repeating a request, cannot put words on a page every visitor sees; and a query only one
# or two people typed may be private (a name, a health worry), so it stays in the log.
# Three is small enough for a household or club install to have a list at all.
MOST_SEARCHED_MIN_PEOPLE = 3
# ...and counts the searches of this many days: the list follows what people look for
# now, and reads a season of the log, through its date index, however old the site is.
MOST_SEARCHED_DAYS = 90


# The searches the public list may count: a member's, that found films, one of which
# its words name (UserSearch.names_a_film). The list's index holds these rows only.
LISTABLE = Q(user__isnull=False, names_a_film=True, results_count__gt=0) & ~Q(query_key="")


class UserSearchQuerySet(models.QuerySet):
    def most_searched(self, limit: int = 10) -> list[dict]:
        """The queries that most people searched for and found films with in the last
        MOST_SEARCHED_DAYS days, each with how many `people`: signed-in users counted once
        each, anonymous searches and searches that found nothing not at all, and only
        queries that name a film they found (`names_a_film`) and that at least
        MOST_SEARCHED_MIN_PEOPLE people made. Spellings that search alike are one query
        (`query_key`), a person who typed two counting once; each is shown as most of its
        people typed it (ties: A to Z), in lower case.

        Two queries, one when nothing is listed: the keys, then their spellings."""
        since = timezone.now() - dt.timedelta(days=MOST_SEARCHED_DAYS)
        listable = self.filter(LISTABLE, created_at__gte=since)
        counted = list(
            listable.values("query_key")
            .annotate(people=Count("user", distinct=True))
            .filter(people__gte=MOST_SEARCHED_MIN_PEOPLE)
            .order_by("-people", "query_key")[:limit]
        )
        if not counted:
            return []
        spellings = (
            listable.filter(query_key__in=[row["query_key"] for row in counted])
            .values("query_key", spelling=Lower("query"))
            .annotate(people=Count("user", distinct=True))
            .order_by("query_key", "-people", "spelling")
        )
        shown = {}
        for row in spellings:  # each key's most typed spelling comes first
            shown.setdefault(row["query_key"], " ".join(row["spelling"].split()))
        return [{"query": shown[row["query_key"]], "people": row["people"]} for row in counted]

    # The key is folded in Python: the writes that skip save() fold it here, so that no
    # way of writing a query leaves its key behind.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for search in objs:
            search.query_key = query_key(search.query)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        if "query" in kwargs:
            if not isinstance(kwargs["query"], str):
                raise TypeError("A query is updated as text, which its key is folded from.")
            kwargs["query_key"] = query_key(kwargs["query"])
        return super().update(**kwargs)


def marquee_stars(user, *, film) -> Subquery:
    """The person's Marquee rating of `film` (an OuterRef to a film's id): 1 to 5, the
    stars of their latest rated feedback, or None. Through the raters' unique (user,
    film, source) index."""
    Rating = apps.get_model("catalog", "Rating")
    stars = Rating.objects.filter(user=user, movie=film, source="marquee", rater_kind="user")
    return Subquery(stars.values("value")[:1])


def films_seen_by(user, film: str = "pk") -> Q:
    """The films `user` has seen, as their watchlist counts it (feedback.watched has the
    rule): a viewing watched to the end, feedback that does not say "did not finish", or a
    review they wrote. Three lists of film ids, each read through the person's own rows.

    `film` is the field the condition tests, for a query of rows that point at films
    (the recommendation log's "media__movie"); `user` may then be an `OuterRef`. The
    recommendation engine counts these and the films rated (films_seen_or_rated_by)."""
    # Films only (watchings): "films not seen" would otherwise be empty for anyone who
    # watched an episode, as NOT IN over a list holding NULL is never true.
    seen = Q()
    for kind in watchings(user):
        seen |= Q(**{f"{film}__in": kind.rows.values(kind.film)})
    return seen


def films_rated_by(user, film: str = "pk") -> Q:
    """The films `user` rated: their own ratings (rater_kind user), from any source, an
    IMDb or Letterboxd one they imported say, unless their feedback on the film says they
    did not finish it; then the stars only say how much they liked what they saw of it
    (recommendations/engine/profile.py, Profile.add_rating). One subquery.

    `film` and `user` as for films_seen_by. With an `OuterRef`, the feedback's
    `OuterRef` below reaches the rating's own row: the same person all the same."""
    Rating = apps.get_model("catalog", "Rating")
    UserFeedback = apps.get_model("feedback", "UserFeedback")
    # Feedback on an episode (no film) gives NULL, and NOT IN over a list holding NULL is
    # never true: one episode given up on would have hidden every rating.
    given_up = UserFeedback.objects.filter(
        FEEDBACK_SAYS_NOT_FINISHED, user=user, media__movie__isnull=False
    ).values("media__movie_id")
    rated = (
        Rating.objects.filter(user=user, rater_kind="user")
        .exclude(movie_id__in=given_up)
        .values("movie_id")
    )
    return Q(**{f"{film}__in": rated})


def films_seen_or_rated_by(user, film: str = "pk") -> Q:
    """The films `user` has seen as the recommendation engine counts them, never offering
    them (Profile.seen): those of films_seen_by, and those they rated (films_rated_by).
    The film lists' Seen filter and mark follow it: a film rated 8/10 on IMDb is never
    recommended, so "Only films you have not seen" does not show it either.

    films_seen_by itself leaves ratings out for its other readers: the watchlist keeps a
    film someone rated elsewhere (an import says nothing of wanting to see it again), and
    the stats count what was watched, when."""
    return films_seen_by(user, film) | films_rated_by(user, film)
