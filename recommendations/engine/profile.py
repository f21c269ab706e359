"""A person's taste as the engine sees it: how much they liked each film they know, what
they have seen, and what must never come back. Built from plain rows, so that the live
engine (rows from the database) and the evaluation (rows from a training split) agree."""

import datetime as dt
from dataclasses import dataclass, field

from feedback.watched import says_watched
from recommendations import engine

WOULD_WATCH_AGAIN = 0.9
# Finishing a film says a little: you did not give up on it. Watching one twice says more.
# Either counts only where the person said nothing of the film (Opinion).
FINISHED_ONLY = 0.4
VIEWED_TO_THE_END = 0.3
REWATCHED = 0.8
# Low ratings and "not again" are kept apart: they steer genre taste, never similarity.
DISLIKED_BELOW = 0.5


def said_when(moment, *, feedback: bool) -> tuple:
    """The order of what a person said of a film: by date, an undated rating before any
    dated one; on the same date feedback last, as the Marquee rating is dated by the
    feedback whose stars it holds, and that feedback may say more ("would not watch
    again"). Of two said at once, the one read later.

    A rating from elsewhere may be dated up to a day ahead (catalog.bounds.CLOCK_SKEW),
    and then outweighs feedback given after it was imported. Its date is kept as it is,
    not taken as min(moment, now): the feedback given since is itself dated before any
    later "now", so the rating would still be later, and the order of the same rows would
    change with the time they are read (the profile, the learning and the evaluation each
    read them at another time). Only the time the rating was recorded would settle it,
    and ratings do not record it."""
    return (0,) if moment is None else (1, moment, feedback)


@dataclass
class Opinion:
    """What one person thinks of one film, from every row that says something.

    Whether they liked it is what they said of it last: their latest explicit statement,
    one feedback (its stars and "would (not) watch again" read together) or one rating
    from any source, the two merged by date (said_when), as their Marquee rating is the
    stars of their latest rated feedback on any of the film's items. Rated 5, then 1,
    they no longer love it; "would watch again", then 1 star, they do not like it; "would
    not watch again", then 5 stars, they love it. What they only did (finished it,
    watched it twice) counts where they said nothing: watched twice and rated 1, a film
    is not liked."""

    # Their latest statement, all of it: what it does not say, they no longer say.
    said_at: tuple | None = None  # its place in time (said_when); None: nothing said
    rating: float | None = None  # its rating, normalised to 0-1, if any
    stars: float | None = None  # that rating on 1-5
    rated: str = ""  # that rating as they gave it, for reasons: "4", "4.5/5", "9/10"
    again: bool = False  # "would watch again"
    not_again: bool = False  # would not watch it again, finished or not
    never_again: bool = False  # finished it and would not watch it again
    # How much what they did says they liked it: finished it, watched it twice.
    implicit: float = 0.0
    rewatched: bool = False  # watched to the end more than once
    finished: bool | None = None

    @property
    def strength(self) -> float:
        """0 = no liking; POSITIVE and above = liked: what their latest statement says
        (its rating where that says they liked it, "would watch again"), or, where they
        said nothing, what they did. Stars that say they disliked it outweigh a "would
        watch again" of the same feedback: the film page keeps an earlier "Yes" there
        when only the stars are changed to 1."""
        if self.said_at is None:
            return self.implicit
        if self.rating is not None and self.rating < DISLIKED_BELOW:
            return 0.0
        rating = self.rating if self.rating is not None and self.rating >= engine.POSITIVE else 0.0
        return max(rating, WOULD_WATCH_AGAIN if self.again else 0.0)

    @property
    def disliked(self) -> bool:
        low = self.rating is not None and self.rating < DISLIKED_BELOW
        return low or self.never_again

    @property
    def liked(self) -> bool:
        return self.strength >= engine.POSITIVE and not self.never_again

    @property
    def said_liked(self) -> bool:
        """Liked by what they said last, not by what they only did: what everyone's
        learning learns from (data.positive_pairs) and the evaluation counts as a positive
        (data.Events.positive). A film only watched twice steers the person's own picks,
        but says too little to teach what goes with what for everyone."""
        return self.said_at is not None and self.liked

    def say(
        self, at: tuple, *, rating=None, stars=None, rated="", again=None, finished=None
    ) -> bool:
        """One statement, said `at` (said_when): it replaces an earlier one whole, and an
        earlier-dated one read later changes nothing. `again`: would they watch it again
        (None: not said); `finished`: whether the same statement says they finished it.
        Whether it stands, as their latest."""
        if self.said_at is not None and at < self.said_at:
            return False
        self.said_at, self.rating, self.stars, self.rated = at, rating, stars, rated
        self.again = again is True
        self.not_again = again is False
        self.never_again = again is False and finished is True
        return True

    def say_rating(self, normalized: float, *, rated: str = "", rated_at=None) -> bool:
        """A rating on any scale, normalised to 0-1, given at `rated_at` (None: undated):
        a statement. Whether it stands (say)."""
        return self.say(
            said_when(rated_at, feedback=False),
            rating=normalized,
            stars=round(1 + 4 * normalized, 1),
            rated=rated,
        )

    def say_feedback(self, *, rating, would_watch_again, watched_completion, given_at=None) -> bool:
        """One feedback's statement, if it makes one: stars (1-5) or a "would (not) watch
        again". Whether it stands (say): False, too, when it says neither."""
        if rating is None and would_watch_again is None:
            return False
        return self.say(
            said_when(given_at, feedback=True),
            rating=None if rating is None else (rating - 1) / 4,
            stars=None if rating is None else float(rating),
            rated="" if rating is None else f"{rating:g}",
            again=would_watch_again,
            finished=watched_completion,
        )


@dataclass
class Profile:
    opinions: dict[int, Opinion] = field(default_factory=dict)
    # What the person has seen, never offered: as the film lists and the watchlist count
    # it (catalog.querysets.films_seen_by), and a rating without feedback besides.
    seen: set[int] = field(default_factory=set)
    # Films the person started and never finished, with nothing said of them that counts
    # as seeing them (feedback that says "did not finish" does not): not seen, so offered
    # again, as the watchlist keeps them on.
    started: set[int] = field(default_factory=set)
    # The films of each of the person's recent slates, newest slate first.
    recent: list[set[int]] = field(default_factory=list)
    # Films the person turned down ("Not interested"): never offered, whatever else.
    not_interested: set[int] = field(default_factory=set)
    # The films on their watchlist, and when each was added.
    watchlist: dict[int, dt.datetime] = field(default_factory=dict)
    # Their own time zone (UserTimeZone), which dates the watchlist in reasons whatever
    # zone is active where the slate is made; None for the site's.
    time_zone: dt.tzinfo | None = None

    def opinion(self, movie_id: int) -> Opinion:
        found = self.opinions.get(movie_id)
        if found is None:
            found = self.opinions[movie_id] = Opinion()
        return found

    @property
    def strengths(self) -> dict[int, float]:
        """How much each liked (or weakly liked) film should pull its neighbours, rounded
        so that a handful of distinct values remain (one SQL CASE branch each). A film
        watched to the end pulls a little, unless the person said anything of it (then
        that decides) or gave up on it: finished and rated 1, or watched twice and rated
        1, it is no reason for anything."""
        turned_away = self.turned_away
        return {
            movie: round(opinion.strength, 2)
            for movie, opinion in self.opinions.items()
            if opinion.strength > 0 and not opinion.never_again and movie not in turned_away
        }

    @property
    def loved(self) -> dict[int, Opinion]:
        """Films finished (or rated) and liked: their sequels and remakes are candidates."""
        return {
            movie: opinion
            for movie, opinion in self.opinions.items()
            if opinion.liked and opinion.finished is not False
        }

    @property
    def turned_away(self) -> set[int]:
        """Films the person gave up on or disliked, and did not like: nothing of their
        franchises is offered (engine/ranking.py), as someone who walked out of the first
        film does not want the second."""
        return {
            movie
            for movie, opinion in self.opinions.items()
            if not opinion.liked and (opinion.finished is False or opinion.disliked)
        }

    @property
    def refused(self) -> set[int]:
        """Films turned away from with something said against them (rated below 0.5, or
        not to be watched again), not only left unfinished: never offered again, in a
        series or not, even from the watchlist, which feedback saying "did not finish"
        leaves them on. A film only given up on is offered again, as one started."""
        return {
            movie
            for movie in self.turned_away
            if self.opinions[movie].disliked or self.opinions[movie].not_again
        }

    @property
    def never_offered(self) -> set[int]:
        """What the engine never offers: the films seen, those refused, and those the
        person turned down."""
        return self.seen | self.refused | self.not_interested

    @property
    def shown_lately(self) -> set[int]:
        return set().union(*self.recent)

    @property
    def is_new(self) -> bool:
        return not self.strengths

    def saw(self, movie_id: int) -> None:
        self.seen.add(movie_id)
        self.started.discard(movie_id)

    def add_rating(
        self, movie_id: int, normalized: float, *, rated: str = "", rated_at=None
    ) -> None:
        """A rating on any scale, normalised to 0-1; `rated` is how it was given, and
        `rated_at` when (None: undated, older than anything dated). It is a statement
        (Opinion.say): the latest one stands, whatever the earlier said. Someone who
        rated a film saw it, unless their feedback on it says they did not finish it (read
        first): their stars, and the Marquee rating that follows them, then only say how
        much they liked what they saw of it."""
        opinion = self.opinion(movie_id)
        if opinion.finished is not False:
            self.saw(movie_id)
        opinion.say_rating(normalized, rated=rated, rated_at=rated_at)

    def add_feedback(
        self, movie_id: int, *, rating, would_watch_again, watched_completion, given_at=None
    ):
        """One feedback, given at `given_at` (None: undated). With stars or a "would (not)
        watch again" it is a statement (Opinion.say), which replaces an earlier one; only
        finished, it is something they did, which counts where they said nothing."""
        opinion = self.opinion(movie_id)
        # Feedback that says they did not finish is a film started, not seen, as the film
        # lists and the watchlist count it: offered again, saying so. Its stars still say
        # how much they liked what they saw of it.
        if watched_completion is not None:
            opinion.finished = watched_completion
        if not says_watched(watched_completion):
            self.add_viewings(movie_id, completed=0)
        else:
            self.saw(movie_id)
        if rating is not None or would_watch_again is not None:
            opinion.say_feedback(
                rating=rating,
                would_watch_again=would_watch_again,
                watched_completion=watched_completion,
                given_at=given_at,
            )
        elif watched_completion:
            opinion.implicit = max(opinion.implicit, FINISHED_ONLY)

    def add_review(self, movie_id: int) -> None:
        """A review the person wrote: they saw the film, as on Letterboxd and Trakt, so it
        is seen (never offered) and its genres are tried. Nothing more: a review is text,
        and "Awful, never again" reads like "A masterpiece" to a count. Unlike a rating it
        says nothing of liking the film, so it gives no strength (its neighbours and
        genres pull nothing) and no dislike (its franchise is not held back)."""
        self.saw(movie_id)

    def add_viewings(self, movie_id: int, *, completed: int) -> None:
        """`completed` viewings to the end of this film (0 when only started)."""
        if not completed:
            if movie_id not in self.seen:
                self.started.add(movie_id)
            return
        self.saw(movie_id)
        opinion = self.opinion(movie_id)
        opinion.rewatched = completed > 1
        opinion.implicit = max(opinion.implicit, REWATCHED if completed > 1 else VIEWED_TO_THE_END)
        if opinion.finished is None:
            opinion.finished = True


def genre_affinity(profile: Profile, genres: dict[int, list[str]]) -> dict[str, float]:
    """Each genre's share of what the person liked, less a half share for what they
    disliked, on 0-1 relative to their favourite genre."""
    totals: dict[str, float] = {}
    for movie, opinion in profile.opinions.items():
        if opinion.strength > 0 and not opinion.never_again:
            delta = opinion.strength
        elif opinion.disliked:
            delta = -0.5
        else:
            continue
        for genre in genres.get(movie, ()):
            totals[genre] = totals.get(genre, 0.0) + delta
    best = max(totals.values(), default=0.0)
    if best <= 0:
        return {}
    return {genre: value / best for genre, value in totals.items() if value > 0}


def usual_genres(affinity: dict[str, float]) -> list[str]:
    return [
        genre
        for genre, _ in sorted(affinity.items(), key=lambda item: (-item[1], item[0]))[
            : engine.USUAL_GENRES
        ]
    ]
