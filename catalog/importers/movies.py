"""Creating and completing catalog movies, and their genres, for every import format.

Two policies: a *filling* source (MovieLens) only fills in what the catalog lacks, never
overwriting a title or a year someone may have corrected; an *authoritative* source
(TMDB) replaces the fields it knows. An empty value in a file means "unknown" and never
clears a field; only a row's `cleared` fields are emptied, those the source says are
empty (TMDB's `"belongs_to_collection": null`). Genres are only ever added. Both
policies are idempotent: a file imported again changes nothing.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.importers.matching import GenreIndex, Identity, MatchConflict, MovieIndex
from catalog.importers.report import ImportReport
from catalog.models import Movie

EMPTY = (None, "")


@dataclass
class MovieRow:
    """One film of a file: who it is, the fields the file gives, its genres."""

    line: int
    identity: Identity
    values: dict[str, Any]
    genres: list[str] = field(default_factory=list)
    ref: Any = None  # the file's own key for the film (MovieLens' movieId)
    # Fields of `values` the file says are empty, not unknown: emptied in the catalog.
    cleared: frozenset[str] = frozenset()


class FirstLines:
    """The line each film of a file was first given on, with a hash of what it said there.

    A line given again as it was is skipped; the same film given again with other values
    is rejected, naming the line that stands. A few bytes a film.
    """

    def __init__(self):
        self.seen: dict[Any, tuple[int, int]] = {}

    def earlier(self, ref, line: int, content) -> tuple[int, bool] | None:
        """None if `ref` is new (and now remembered), else (its first line, the same?)."""
        digest = hash(content)
        first_line, first_digest = self.seen.setdefault(ref, (line, digest))
        if first_line == line:
            return None
        return first_line, first_digest == digest


def first_error(exc: ValidationError) -> str:
    name, messages = next(iter(exc.message_dict.items()))
    return f"{name}: {messages[0]}"


class MovieWriter:
    """Writes batches of MovieRow; keeps what it learnt (ids, genres) for the next batch."""

    def __init__(self, *, report: ImportReport, file: str, authoritative: bool):
        self.report, self.file, self.authoritative = report, file, authoritative
        self.index = MovieIndex.load()
        self.genres = GenreIndex()
        self.first_line: dict[int, int] = {}  # movie pk -> the line that first named it
        self.placeholders = 0
        self.start_batch()

    def start_batch(self) -> None:
        self.found: list[tuple[MovieRow, int]] = []
        self.new: dict[int, tuple[MovieRow, Movie]] = {}  # stand-in pk -> row, unsaved movie
        self.refs: dict[Any, int] = {}

    def add(self, row: MovieRow) -> bool:
        """Check a row and queue it for the batch; False (and rejected) if it cannot be.

        Everything that can refuse a row happens here, as the file is read, so rows are
        rejected in the file's order (and --strict stops at the first bad line).
        """
        try:
            pk = self.index.match(row.identity)
        except MatchConflict as exc:
            self.report.reject("movies", self.file, row.line, str(exc))
            return False
        if pk is not None and pk in self.first_line:
            # The same film again, by a repeated line or a second id in the file.
            self.refs[row.ref] = pk
            self.report["movies"].skipped += 1
            return True
        movie = self.checked_movie(row)
        if movie is None:
            return False
        if pk is None:
            # Until it is saved the film has a negative stand-in pk, so that a second
            # line for it in the same batch finds it rather than creating it twice.
            self.placeholders -= 1
            pk = self.placeholders
            self.new[pk] = (row, movie)
            self.index.add(pk, row.identity)
        else:
            self.found.append((row, pk))
            # Ids the file gives a film of the catalog are its own from now on, not once
            # the batch is written: a later line giving one of them to another film is a
            # conflict to reject, not a unique constraint to fail the batch on.
            self.index.add(pk, row.identity)
        self.first_line[pk] = row.line
        self.refs[row.ref] = pk
        return True

    def flush(self) -> dict[Any, int]:
        """Write the batch (the caller holds the transaction); {ref: movie pk}."""
        counts = self.report["movies"]
        new, found = self.new, self.found
        created = self.create(new)
        updated = self.update(found)
        refs = {ref: created.get(pk, pk) for ref, pk in self.refs.items()}
        links = [(created[pk], row.genres) for pk, (row, _) in new.items()]
        links += [(pk, row.genres) for row, pk in found]
        touched = self.add_genres(links) - updated - set(created.values())
        if touched:
            Movie.objects.filter(pk__in=touched).update(updated_at=timezone.now())
        counts.created += len(created)
        counts.updated += len(updated) + len(touched)
        counts.skipped += len(found) - len(updated) - len(touched)
        self.start_batch()
        return refs

    def checked_movie(self, row: MovieRow) -> Movie | None:
        """The row as an unsaved movie, if its values pass the model's field rules."""
        values = {name: value for name, value in row.values.items() if value not in EMPTY}
        if values.get("release_date"):
            values["year"] = values["release_date"].year
        movie = Movie(**values)
        try:
            movie.clean_fields()
        except ValidationError as exc:
            self.report.reject("movies", self.file, row.line, first_error(exc))
            return None
        return movie

    def create(self, new: dict[int, tuple[MovieRow, Movie]]) -> dict[int, int]:
        """Insert the new movies; {placeholder pk: real pk}."""
        if not new:
            return {}
        movies = [movie for _, movie in new.values()]
        Movie.objects.bulk_create(movies)
        created = {}
        for (placeholder, (row, _)), movie in zip(new.items(), movies, strict=True):
            if movie.pk is None:  # pragma: no cover - every supported backend returns ids
                raise RuntimeError("the database did not return the new movies' ids")
            created[placeholder] = movie.pk
            self.first_line[movie.pk] = self.first_line.pop(placeholder)
            self.index.add(movie.pk, row.identity)
            self.index.forget(placeholder, row.identity)
        return created

    def update(self, found: list[tuple[MovieRow, int]]) -> set[int]:
        """Apply the source's policy to the movies it matched; the pks that changed.

        The values passed the field rules in add(), so the changed movies are valid.
        """
        if not found:
            return set()
        movies = Movie.objects.in_bulk([pk for _, pk in found])
        changed, fields = [], set()
        now = timezone.now()
        for row, pk in found:
            movie = movies[pk]
            names = self.changes(movie, row)
            if not names:
                continue
            for name in names:
                setattr(movie, name, row.values[name])
            # Movie.clean() keeps the year that of the release date; bulk writes skip it.
            if movie.release_date and movie.year != movie.release_date.year:
                movie.year = movie.release_date.year
                names.append("year")
            movie.updated_at = now
            changed.append(movie)
            fields.update(names)
        if changed:
            Movie.objects.bulk_update(changed, [*sorted(fields), "updated_at"])
        return {movie.pk for movie in changed}

    def changes(self, movie: Movie, row: MovieRow) -> list[str]:
        names = []
        for name, value in row.values.items():
            if value in EMPTY:
                if name in row.cleared and getattr(movie, name) not in EMPTY:
                    names.append(name)
                continue
            current = getattr(movie, name)
            if self.authoritative and name not in ("tmdb_id", "imdb_id"):
                if current != value:
                    names.append(name)
            elif current in EMPTY:
                names.append(name)
        return names

    def add_genres(self, links: list[tuple[int, list[str]]]) -> set[int]:
        """Add the genres each movie lacks; the movies that gained one."""
        names = {name for _, genres in links for name in genres}
        self.report["genres"].created += self.genres.ensure(names)
        Link = Movie.genres.through
        wanted = {
            (pk, genre_pk)
            for pk, genres in links
            for name in genres
            if (genre_pk := self.genres.lookup(name)) is not None
        }
        if not wanted:
            return set()
        current = set(
            Link.objects.filter(movie_id__in={pk for pk, _ in links}).values_list(
                "movie_id", "genre_id"
            )
        )
        missing = sorted(wanted - current)
        Link.objects.bulk_create([Link(movie_id=pk, genre_id=genre) for pk, genre in missing])
        return {pk for pk, _ in missing}
