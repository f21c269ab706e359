"""Marquee's own media items for films, one film or many at a time, by one rule.

A film someone rates in Marquee may not be on any media server, so it gets an item of
Marquee's own; feedback/services.py (film_item, media_saved) makes one at a time, the
recommendation log many at once (media_for_movies). Both choose the id here.
"""

from collections.abc import Iterable
from itertools import batched, count

from django.db.models import Q

from catalog.models import Movie
from feedback.media_ids import MARQUEE_MEDIA_ID
from feedback.models import Media, MediaType


def own_media_id(movie_pk: int) -> str:
    return f"{MARQUEE_MEDIA_ID}{movie_pk}"


def ids_of_film(movie_pk: int) -> Q:
    """The items that hold the film's own id or one of its numbered ones."""
    own_id = own_media_id(movie_pk)
    return Q(media_id=own_id) | Q(media_id__startswith=f"{own_id}:")


def film_item_chosen(movie: Movie, items: Iterable[tuple[Media, bool]]) -> Media:
    """Of `items` (as MediaQuerySet.with_standing gives them, holding every item of the
    film that counts and every one under its ids), the one that stands for the film, or
    an unsaved one of Marquee's own under the film's id.

    That id is marquee:movie:<pk>, unless an item of another film, or of none, holds it
    already: one an export from another Marquee brought (where that pk is another film),
    or one whose film was deleted. Its feedback is not this film's, so the film takes
    marquee:movie:<pk>:<n>, the lowest n free. The id depends only on what is stored, so
    two requests at once choose the same one, and saving makes them one item.
    """
    own_id = own_media_id(movie.pk)
    taken = set()
    for item, stands_for_film in items:
        if stands_for_film and item.movie_id == movie.pk:
            item.movie = movie  # read already: validating a viewing of it needs its year
            return item
        taken.add(item.media_id)
    media_id = own_id
    for number in count(2):
        if media_id not in taken:
            break
        media_id = f"{own_id}:{number}"
    return Media(
        media_id=media_id,
        title=movie.title,
        media_type=MediaType.MOVIE,
        duration=movie.runtime_minutes,
        movie=movie,
    )


# Each film's own ids are asked for by a condition of its own, ORed: SQLite refuses an
# expression more than 1,000 deep, some 450 films.
FILMS_PER_ITEM_QUERY = 250


def media_for_movies(*, movies: Iterable[Movie]) -> dict[int, Media]:
    """The item that stands for each film (by movie pk), the missing ones created, in four
    queries for each 250 films: the logged slate made them one at a time, about six
    queries each, and logging a slate whose picks all needed one cost twice an unlogged
    slate. Call it inside a transaction."""
    chosen = {}
    for some in batched(movies, FILMS_PER_ITEM_QUERY):
        chosen |= media_for_some_movies(some)
    return chosen


def media_for_some_movies(movies: Iterable[Movie]) -> dict[int, Media]:
    """media_for_movies for at most FILMS_PER_ITEM_QUERY films.

    The ids are chosen as film_item_chosen does for one film. Two requests at once choose
    the same ids and the insert skips those already there, so the read back finds one
    item per film. An id an item of another film took meanwhile (an import at that
    moment) is read back under that film: those films choose again, as things are now.
    """
    movies = {movie.pk: movie for movie in movies}
    if not movies:
        return {}
    wanted = Q(movie_id__in=movies)
    for pk in movies:
        wanted |= ids_of_film(pk)
    items = list(Media.objects.filter(wanted).with_standing())
    chosen = {}
    for pk, movie in movies.items():
        relevant = (
            (item, stands)
            for item, stands in items
            if item.movie_id == pk
            or item.media_id == own_media_id(pk)
            or item.media_id.startswith(f"{own_media_id(pk)}:")
        )
        chosen[pk] = film_item_chosen(movie, relevant)
    new = [item for item in chosen.values() if not item.stored]
    if not new:
        return chosen
    for item in new:
        # The film's title and runtime satisfy the item's rules unless the catalog breaks
        # its own; checked here, with no query, so a bad one is refused before any write.
        item.full_clean(exclude=["movie"], validate_unique=False, validate_constraints=False)
    Media.objects.bulk_create(new, ignore_conflicts=True)
    stored = Media.objects.in_bulk([item.media_id for item in new])
    clashed = []
    for item in new:
        saved = stored[item.media_id]
        if saved.movie_id == item.movie_id:
            saved.movie = movies[item.movie_id]
            chosen[item.movie_id] = saved
        else:
            clashed.append(movies[item.movie_id])
    # Each round stores a film's id the previous round found free, so this ends.
    return chosen | media_for_movies(movies=clashed)
