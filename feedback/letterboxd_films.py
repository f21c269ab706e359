"""The catalog's film for each film a Letterboxd export names, by title and year.

A boxd.it link cannot be followed offline, so the title and year are all there is. They
are matched as the catalog's importers match them (catalog/importers/matching.py), on
the title or the original title, with accents and case folded as search folds them
(catalog/folding.py), so that "Amelie" finds Amélie; and with MovieLens's trailing
article turned round on both sides (catalog/importers/movielens.py), so that "The
Matrix" finds a film stored as "Matrix, The". A name with no film, or with several of
that year, is not guessed: the import reports it.
"""

from django.db.models import Q, QuerySet

from catalog.folding import fold
from catalog.importers.movielens import article_first
from catalog.models import Movie

NOT_FOUND = "not found"
AMBIGUOUS = "more than one film"


def title_key(title: str) -> str:
    return " ".join(fold(article_first(" ".join(title.split()))).split())


def films_named(
    names: set[tuple[str, int | None]], *, among: QuerySet[Movie] | None = None
) -> dict[tuple[str, int | None], Movie | str]:
    """For each (name, year), its film among `among` (the whole catalog by default), or
    NOT_FOUND or AMBIGUOUS; one query.

    Only the films of the years named are read: their titles are compared here, folded,
    which neither database's own lower() does alike."""
    if not names:
        return {}
    years = {year for _, year in names}
    of_years = Q(year__in=years - {None})
    if None in years:
        of_years |= Q(year__isnull=True)
    films = (Movie.objects.all() if among is None else among).filter(of_years)
    # The id with the rest: which film it is is then known without a query per film.
    films = films.only("pk", "title", "original_title", "year", "runtime_minutes", "imdb_id")
    by_key: dict[tuple[str, int | None], dict[int, Movie]] = {}
    for movie in films.order_by():
        for title in {movie.title, movie.original_title} - {""}:
            by_key.setdefault((title_key(title), movie.year), {})[movie.pk] = movie
    found = {}
    for name, year in names:
        candidates = by_key.get((title_key(name), year), {})
        if len(candidates) == 1:
            found[name, year] = next(iter(candidates.values()))
        else:
            found[name, year] = AMBIGUOUS if candidates else NOT_FOUND
    return found
