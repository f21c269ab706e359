"""The catalog's film for each film Trakt names: by its TMDB id, then its IMDb id, and
failing both by title and year as the Letterboxd import finds them
(feedback/letterboxd_films.py).

Trakt gives most films both ids, and the catalog holds most of its films with one or the
other (a TMDB import has the TMDB id; MovieLens may lack both). The ids are tried first
because Trakt may date a film a year from the catalog's; the title and year only among
the films the catalog holds without the ids the item gives, as the IMDb import does
(feedback/imdb_films.py): a film known by another id is another film.
"""

from catalog.models import Movie
from feedback.imdb_films import films_by_id
from feedback.letterboxd_films import films_named
from feedback.trakt import TraktLine

ID_FIELDS = ("tmdb_id", "imdb_id")


def films_of_lines(lines: list[TraktLine]) -> dict[tuple, Movie | str]:
    """For each line's film, its Movie, or NOT_FOUND or AMBIGUOUS. Two queries for the
    ids, and one by title and year for each set of ids the rest give (at most four
    whatever the number of lines: Trakt's items most often give both)."""
    found = {}
    rest = lines
    for id_field in ID_FIELDS:
        by_id = films_by_id(id_field, {getattr(line, id_field) for line in rest} - {None, ""})
        for line in rest:
            if getattr(line, id_field) in by_id:
                found[line.film] = by_id[getattr(line, id_field)]
        rest = [line for line in rest if line.film not in found]
    for ids_given, named in names_by_ids_given(rest).items():
        without_them = Movie.objects.filter(**{f"{field}__isnull": True for field in ids_given})
        films = films_named(named, among=without_them)
        for line in rest:
            if line.film not in found and ids_of(line) == ids_given:
                found[line.film] = films[line.name, line.year]
    return found


def ids_of(line: TraktLine) -> tuple[str, ...]:
    """The kinds of id the line gives."""
    return tuple(field for field in ID_FIELDS if getattr(line, field))


def names_by_ids_given(lines: list[TraktLine]) -> dict[tuple, set]:
    names: dict[tuple, set] = {}
    for line in lines:
        names.setdefault(ids_of(line), set()).add((line.name, line.year))
    return names
