"""The catalog's film for each film an IMDb export names: by its IMDb id, and failing
that by title and year as the Letterboxd import finds them (feedback/letterboxd_films.py).

The catalog keeps IMDb's ids as IMDb writes them ("tt0078748"), but not every film has
one (a MovieLens or TMDB import may lack it). The id is tried first because IMDb names a
film in the person's own language and may date it a year from the catalog's; without
it, the row's title, then its original title, with its year; but only among the films
the catalog holds without an IMDb id. A film known by another id is another film, however
alike the titles (catalog/importers/matching.py): a short that shares a feature's title
and year, most often, which the feature's id tells apart.
"""

from itertools import batched

from catalog.models import Movie
from feedback.imdb import ImdbLine
from feedback.letterboxd_films import AMBIGUOUS, NOT_FOUND, films_named

# Ids asked for in one query: far below either database's limit on parameters, and more
# than most people have rated.
IDS_PER_QUERY = 2000


def films_of_lines(lines: list[ImdbLine]) -> dict[tuple, Movie | str]:
    """For each line's film, its Movie, or NOT_FOUND or AMBIGUOUS; two queries."""
    by_id = films_by_imdb_id({line.imdb_id for line in lines})
    rest = [line for line in lines if line.imdb_id not in by_id]
    named = films_named(
        {(title, line.year) for line in rest for title in titles_of(line)},
        among=Movie.objects.filter(imdb_id__isnull=True),
    )
    found = {}
    for line in lines:
        if line.imdb_id in by_id:
            found[line.film] = by_id[line.imdb_id]
            continue
        answers = [named[title, line.year] for title in titles_of(line)]
        movies = [answer for answer in answers if isinstance(answer, Movie)]
        if movies:
            found[line.film] = movies[0]  # the title as IMDb shows it first
        else:
            found[line.film] = AMBIGUOUS if AMBIGUOUS in answers else NOT_FOUND
    return found


def titles_of(line: ImdbLine) -> list[str]:
    return [line.name, *([line.original_title] if line.original_title else [])]


def films_by_imdb_id(imdb_ids: set[str]) -> dict[str, Movie]:
    return films_by_id("imdb_id", imdb_ids)


def films_by_id(id_field: str, ids: set) -> dict:
    """The films whose `id_field` (imdb_id, or tmdb_id for Trakt's) is one of `ids`, by it."""
    films = {}
    for batch in batched(sorted(ids), IDS_PER_QUERY):
        movies = Movie.objects.filter(**{f"{id_field}__in": batch}).only(
            "pk", "title", "original_title", "year", "runtime_minutes", id_field
        )
        films |= {getattr(movie, id_field): movie for movie in movies.order_by()}
    return films
