"""Finding the catalog's rows for an imported one: movies and genres.

Movies are matched by TMDB id, then IMDb id, then title and year (case-insensitively,
on the title and the original title). The catalog's identifiers are read once into
memory: one query, then dictionary lookups, and the same case folding on every database
(SQLite's own LOWER() knows only ASCII, "Cité" would not match "CITÉ" there).
Memory grows with the catalog, not with the file being imported.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from catalog.importers.reading import text_problem
from catalog.models import Genre, Movie

IMDB_DIGITS = re.compile(r"^(?:tt)?([0-9]{1,10})$")
GENRE_NAME_MAX = Genre._meta.get_field("name").max_length
GENRE_SLUG_MAX = Genre._meta.get_field("slug").max_length


def imdb_id_from(raw: str) -> str | None:
    """ "0114369", "114369" or "tt0114369" -> "tt0114369"; "" -> None; junk -> ValueError.

    MovieLens' links.csv drops the "tt" and, now and then, the leading zeros.
    """
    raw = raw.strip()
    if not raw:
        return None
    found = IMDB_DIGITS.match(raw)
    if not found or int(found.group(1)) == 0:
        raise ValueError(f"IMDb id {raw!r} is not a number")
    return f"tt{found.group(1).zfill(7)}"


def title_key(title: str) -> str:
    return " ".join(title.casefold().split())


@dataclass
class Identity:
    """What an imported row says about which film it is."""

    tmdb_id: int | None = None
    imdb_id: str | None = None
    titles: tuple[str, ...] = ()
    year: int | None = None

    def describe(self) -> str:
        if self.tmdb_id:
            return f"TMDB id {self.tmdb_id}"
        if self.imdb_id:
            return f"IMDb id {self.imdb_id}"
        title = self.titles[0] if self.titles else "?"
        return f"“{title}” ({self.year})" if self.year else f"“{title}”"


class MatchConflict(Exception):
    """The row's identifiers point at different films, or at an ambiguous title."""


def ambiguous_title(described: str) -> str:
    """The reason for a title and year several films share: only an id tells them apart."""
    return f"several films in the catalog are {described}: give a TMDB or IMDb id to choose"


@dataclass
class MovieIndex:
    by_tmdb: dict[int, int] = field(default_factory=dict)
    by_imdb: dict[str, int] = field(default_factory=dict)
    by_title: dict[tuple[str, int | None], set[int]] = field(default_factory=dict)
    ids: dict[int, tuple[int | None, str | None]] = field(default_factory=dict)
    # Each film's year, the latest known: what holds a viewing of it to its time
    # (feedback.viewing_start) in an import that names films by pk alone.
    years: dict[int, int | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "MovieIndex":
        index = cls()
        rows = Movie.objects.order_by().values_list(
            "pk", "tmdb_id", "imdb_id", "title", "original_title", "year"
        )
        for pk, tmdb_id, imdb_id, title, original_title, year in rows.iterator(chunk_size=5000):
            index.add(pk, Identity(tmdb_id, imdb_id, (title, original_title), year))
        return index

    def add(self, pk: int, identity: Identity) -> None:
        tmdb_id, imdb_id = self.ids.get(pk, (None, None))
        tmdb_id, imdb_id = tmdb_id or identity.tmdb_id, imdb_id or identity.imdb_id
        self.ids[pk] = (tmdb_id, imdb_id)
        self.years[pk] = identity.year if identity.year is not None else self.years.get(pk)
        if tmdb_id:
            self.by_tmdb[tmdb_id] = pk
        if imdb_id:
            self.by_imdb[imdb_id] = pk
        for title in identity.titles:
            if title:
                self.by_title.setdefault((title_key(title), identity.year), set()).add(pk)

    def forget(self, pk: int, identity: Identity) -> None:
        """Drop a stand-in pk (see MovieWriter) once the film has its real one."""
        self.ids.pop(pk, None)
        self.years.pop(pk, None)
        if self.by_tmdb.get(identity.tmdb_id) == pk:
            del self.by_tmdb[identity.tmdb_id]
        if self.by_imdb.get(identity.imdb_id) == pk:
            del self.by_imdb[identity.imdb_id]
        for title in identity.titles:
            self.by_title.get((title_key(title), identity.year), set()).discard(pk)

    def match(self, identity: Identity) -> int | None:
        """The movie's primary key, None for a film the catalog lacks, or MatchConflict."""
        by_tmdb = self.by_tmdb.get(identity.tmdb_id) if identity.tmdb_id else None
        by_imdb = self.by_imdb.get(identity.imdb_id) if identity.imdb_id else None
        if by_tmdb and by_imdb and by_tmdb != by_imdb:
            raise MatchConflict(
                f"TMDB id {identity.tmdb_id} and IMDb id {identity.imdb_id} "
                "are two different films in the catalog"
            )
        found = by_tmdb or by_imdb
        if found:
            self.check_compatible(found, identity)
            return found
        candidates = set()
        for title in identity.titles:
            if title:
                candidates |= self.by_title.get((title_key(title), identity.year), set())
        # A film known by another id is another film, however alike the titles.
        candidates = {pk for pk in candidates if self.compatible(pk, identity)}
        if len(candidates) > 1:
            raise MatchConflict(ambiguous_title(identity.describe()))
        return candidates.pop() if candidates else None

    def compatible(self, pk: int, identity: Identity) -> bool:
        tmdb_id, imdb_id = self.ids[pk]
        return not (
            (identity.tmdb_id and tmdb_id and identity.tmdb_id != tmdb_id)
            or (identity.imdb_id and imdb_id and identity.imdb_id != imdb_id)
        )

    def check_compatible(self, pk: int, identity: Identity) -> None:
        tmdb_id, imdb_id = self.ids[pk]
        if identity.tmdb_id and tmdb_id and identity.tmdb_id != tmdb_id:
            raise MatchConflict(
                f"IMDb id {identity.imdb_id} is already the film with TMDB id {tmdb_id}, "
                f"not {identity.tmdb_id}"
            )
        if identity.imdb_id and imdb_id and identity.imdb_id != imdb_id:
            raise MatchConflict(
                f"TMDB id {identity.tmdb_id} is already the film with IMDb id {imdb_id}, "
                f"not {identity.imdb_id}"
            )


def genre_slug(name: str) -> str:
    """ "Science Fiction" -> "science-fiction"; a name with no Latin letters keeps its
    own ("アクション"): TMDB answers in the language asked for."""
    return slugify(name) or slugify(name, allow_unicode=True)


def genre_problem(names: list[str]) -> str | None:
    """Why a row's genres cannot all be genres of the catalog, or None."""
    for name in names:
        if problem := text_problem(name):  # an escape in JSON: "Dr\u0000ama"
            return f"the genre {name[:30]!r} {problem}"
        if len(name) > GENRE_NAME_MAX:
            return f"the genre {name[:30]!r}... is longer than {GENRE_NAME_MAX} characters"
        slug = genre_slug(name)
        if not slug:
            return f"the genre {name!r} has no letter or digit to name it by"
        if len(slug) > GENRE_SLUG_MAX:
            return f"the genre {name[:30]!r} is too long to name in a link"
    return None


class GenreIndex:
    """Genres by slug and by folded name; missing ones are created in bulk."""

    def __init__(self):
        self.pks: dict[str, int] = {}
        for pk, name, slug in Genre.objects.values_list("pk", "name", "slug"):
            self.pks[slug] = self.pks[title_key(name)] = pk

    def lookup(self, name: str) -> int | None:
        return self.pks.get(genre_slug(name)) or self.pks.get(title_key(name))

    def ensure(self, names) -> int:
        """Create the genres not there yet (the rows passed genre_problem); the number."""
        missing = {}
        for name in names:
            if self.lookup(name) is None:
                missing.setdefault(genre_slug(name), name)
        if not missing:
            return 0
        Genre.objects.bulk_create(
            [Genre(name=name, slug=slug) for slug, name in missing.items()],
            ignore_conflicts=True,
        )
        for pk, name, slug in Genre.objects.filter(slug__in=missing).values_list(
            "pk", "name", "slug"
        ):
            self.pks[slug] = self.pks[title_key(name)] = pk
        return len(missing)
