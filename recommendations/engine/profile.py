"""A person's taste as the engine sees it: how much they liked each film they know, what
they have seen, and what must never come back. Built from plain rows, so that the live
engine (rows from the database) and the evaluation (rows from a training split) agree."""

import datetime as dt
from dataclasses import dataclass, field

from recommendations import engine

LOVED = 1.0
WOULD_WATCH_AGAIN = 0.9
# Finishing a film says a little: you did not give up on it. Watching one twice says more.
FINISHED_ONLY = 0.4
VIEWED_TO_THE_END = 0.3
REWATCHED = 0.8
# Low ratings and "not again" are kept apart: they steer genre taste, never similarity.
DISLIKED_BELOW = 0.5


@dataclass
class Opinion:
    """What one person thinks of one film, from every row that says something. Their
    rating is the latest they gave, as their Marquee rating is the stars of their latest
    rated feedback on any of the film's items: rated 5, then 1, they no longer love it."""

    rating: float | None = None  # their latest rating, normalised to 0-1, if any
    stars: float | None = None  # that rating on 1-5
    rated: str = ""  # that rating as they gave it, for reasons: "4", "4.5/5", "9/10"
    # How much they liked it by all else: "would watch again", finished, watched twice.
    without_stars: float = 0.0
    again: bool = False  # "would watch again"
    rewatched: bool = False  # watched to the end more than once
    never_again: bool = False  # finished it and would not watch it again
    not_again: bool = False  # would not watch it again, finished or not
    finished: bool | None = None

    @property
    def strength(self) -> float:
        """0 = no liking; POSITIVE and above = liked: their rating where it says they
        liked it, else what all else says."""
        rating = self.rating if self.rating is not None and self.rating >= engine.POSITIVE else 0.0
        return max(rating, self.without_stars)

    @property
    def disliked(self) -> bool:
        low = self.rating is not None and self.rating < DISLIKED_BELOW
        return low or self.never_again

    @property
    def liked(self) -> bool:
        return self.strength >= engine.POSITIVE and not self.never_again


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
        watched to the end pulls a little, unless the person also said they disliked it
        or gave up on it: rated 1 and then finished, it is no reason for anything."""
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
        """What the engine never offers: the films seen, and those refused."""
        return self.seen | self.refused

    @property
    def shown_lately(self) -> set[int]:
        return set().union(*self.recent)

    @property
    def is_new(self) -> bool:
        return not self.strengths

    def saw(self, movie_id: int) -> None:
        self.seen.add(movie_id)
        self.started.discard(movie_id)

    def add_rating(self, movie_id: int, normalized: float, *, rated: str = "") -> None:
        """A rating on any scale, normalised to 0-1; `rated` is how it was given. Given in
        the order they were (engine/sources.py), the last one stands, whatever the earlier
        said. Someone who rated a film saw it, unless their feedback on it says they did
        not finish it (read first): their stars, and the Marquee rating that follows
        them, then only say how much they liked what they saw of it."""
        opinion = self.opinion(movie_id)
        if opinion.finished is not False:
            self.saw(movie_id)
        opinion.rating = normalized
        opinion.stars, opinion.rated = round(1 + 4 * normalized, 1), rated

    def add_feedback(self, movie_id: int, *, rating, would_watch_again, watched_completion):
        opinion = self.opinion(movie_id)
        # Feedback that says they did not finish is a film started, not seen, as the film
        # lists and the watchlist count it: offered again, saying so. Its stars still say
        # how much they liked what they saw of it.
        if watched_completion is not None:
            opinion.finished = watched_completion
        if watched_completion is False:
            self.add_viewings(movie_id, completed=0)
        else:
            self.saw(movie_id)
        if rating is not None:
            self.add_rating(movie_id, (rating - 1) / 4)
            opinion.stars, opinion.rated = float(rating), f"{rating:g}"
        if would_watch_again is False:
            opinion.not_again = True
        if would_watch_again:
            opinion.again = True
            opinion.without_stars = max(opinion.without_stars, WOULD_WATCH_AGAIN)
        if watched_completion and would_watch_again is False:
            opinion.never_again = True
        elif watched_completion and rating is None and would_watch_again is None:
            opinion.without_stars = max(opinion.without_stars, FINISHED_ONLY)

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
        opinion.without_stars = max(
            opinion.without_stars, REWATCHED if completed > 1 else VIEWED_TO_THE_END
        )
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
