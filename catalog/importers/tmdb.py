"""TMDB movie details, as TMDB's API returns them (GET /3/movie/{id}).

One JSON object, or JSON lines of them. TMDB is the authority for the fields it gives
(title, dates, runtime, overview, popularity): they replace the catalog's. Its vote
average becomes an aggregate Rating on 0-10 with its vote count, and a
`belongs_to_collection` is kept on the film: the collection's films, this file's and
earlier ones', become the same franchise, each a sequel of the films released before it
and a prequel of those after (write_franchises). `"belongs_to_collection": null` takes
the film out of the collection it was in.
"""

import re
from dataclasses import dataclass
from datetime import date
from itertools import batched, pairwise
from pathlib import Path

from django.db.models import Q

from catalog.importers import records
from catalog.importers.matching import Identity, genre_problem
from catalog.importers.movies import FirstLines, MovieRow, MovieWriter
from catalog.importers.records import BadRecord
from catalog.importers.report import ImportReport
from catalog.importers.writing import IN_LIST_SIZE, Synced, sync_rows
from catalog.models import (
    IMDB_ID_PATTERN,
    Movie,
    MovieRelationship,
    RaterKind,
    Rating,
    RatingSource,
    RelationshipType,
)
from catalog.rating_stats import refresh_rating_stats

DEFAULT_BATCH_SIZE = 2_000
VOTE_SCALE = (0.0, 10.0)
FRANCHISE_TYPES = [
    RelationshipType.SAME_FRANCHISE,
    RelationshipType.SEQUEL,
    RelationshipType.PREQUEL,
]


@dataclass
class TmdbMovie:
    row: MovieRow
    vote_average: float | None
    vote_count: int | None

    def content(self) -> tuple:
        """What the import takes of the line (not fields it ignores, such as a poster)."""
        values = tuple(sorted(self.row.values.items()))
        cleared = tuple(sorted(self.row.cleared))
        return values, cleared, tuple(self.row.genres), self.vote_average, self.vote_count


def looks_like_tmdb(record: dict) -> bool:
    return "id" in record and ("title" in record or "original_title" in record)


def import_tmdb(
    path, *, report: ImportReport, batch_size=DEFAULT_BATCH_SIZE, progress=None
) -> ImportReport:
    path = Path(path)
    report.reading("movies", "genres", "ratings", "relationships")
    writer = MovieWriter(report=report, file=path.name, authoritative=True)
    # Every film of the file: the collections they are in, or have left, are derived
    # again. A line need not name the collection for that: a release date it corrects
    # moves the film in its collection's order.
    films: set[int] = set()
    first_lines = FirstLines()
    batch: list[TmdbMovie] = []

    def flush() -> None:
        with report.batch_transaction():
            refs = writer.flush()
            write_aggregates(batch, refs, report)
        films.update(refs.values())
        batch.clear()

    for line, record in records.json_objects(
        path,
        report=report,
        kind="movies",
        progress=progress,
        looks_right=looks_like_tmdb,
        expected="TMDB movie details (objects with 'id' and 'title')",
    ):
        try:
            movie = parse_movie(line, record)
        except BadRecord as exc:
            report.reject("movies", path.name, line, str(exc))
            continue
        earlier = first_lines.earlier(movie.row.ref, line, movie.content())
        if earlier and earlier[1]:
            report["movies"].skipped += 1  # the same film again, as it was
        elif earlier:
            report.reject(
                "movies",
                path.name,
                line,
                f"TMDB id {movie.row.ref} is already on line {earlier[0]} with other values",
            )
        elif writer.add(movie.row):
            batch.append(movie)
        if len(batch) == batch_size:
            flush()
    flush()
    write_franchises(films, report, batch_size)
    return report


def parse_movie(line: int, record: dict) -> TmdbMovie:
    tmdb_id = records.integer(record, "id", required=True)
    title = records.text(record, "title") or records.text(record, "original_title")
    if not title:
        raise BadRecord("'title' is missing, and so is 'original_title'")
    original_title = records.text(record, "original_title")
    imdb_id = records.text(record, "imdb_id") or None
    if imdb_id and not re.fullmatch(IMDB_ID_PATTERN, imdb_id):
        raise BadRecord(f"'imdb_id' {imdb_id!r} is not 'tt' followed by 7 to 10 digits")
    release_date = records.day(record, "release_date")
    runtime = records.integer(record, "runtime", minimum=0) or None  # TMDB's 0 is "unknown"
    genres = record.get("genres") or []
    if not isinstance(genres, list):
        raise BadRecord("'genres' should be a list")
    names = [genre.get("name") if isinstance(genre, dict) else genre for genre in genres]
    if not all(isinstance(name, str) and name.strip() for name in names):
        raise BadRecord('\'genres\' should be a list of {"id", "name"} objects')
    names = [name.strip() for name in names]
    problem = genre_problem(names)
    if problem:
        raise BadRecord(problem)
    collection = record.get("belongs_to_collection")
    if collection is not None and not isinstance(collection, dict):
        raise BadRecord("'belongs_to_collection' should be an object or null")
    collection_id = records.integer(collection, "id", required=True) if collection else None
    # null says the film is in no collection (any more); a record without the key, as
    # other sources write them, says nothing of it.
    in_none = "belongs_to_collection" in record and collection is None
    return TmdbMovie(
        row=MovieRow(
            line=line,
            identity=Identity(
                tmdb_id=tmdb_id,
                imdb_id=imdb_id,
                titles=(title, original_title),
                year=release_date.year if release_date else None,
            ),
            values={
                "tmdb_id": tmdb_id,
                "imdb_id": imdb_id,
                "title": title,
                "original_title": original_title,
                "release_date": release_date,
                "runtime_minutes": runtime,
                "overview": records.text(record, "overview"),
                "popularity": records.number(record, "popularity", low=0),
                "tmdb_collection_id": collection_id,
            },
            genres=names,
            ref=tmdb_id,
            cleared=frozenset({"tmdb_collection_id"}) if in_none else frozenset(),
        ),
        vote_average=records.number(record, "vote_average", low=VOTE_SCALE[0], high=VOTE_SCALE[1]),
        vote_count=records.integer(record, "vote_count", minimum=0),
    )


def write_aggregates(movies: list[TmdbMovie], refs: dict[int, int], report: ImportReport):
    """TMDB's vote average, one aggregate Rating per film; none for a film without votes
    (a vote count of 0 removes the one an earlier import gave it)."""
    wanted, unrated = {}, set()
    for movie in movies:
        pk = refs.get(movie.row.ref)
        if pk is not None and movie.vote_count == 0:
            unrated.add(pk)
        if pk is None or not movie.vote_count or movie.vote_average is None:
            continue
        wanted.setdefault(
            pk,
            Rating(
                movie_id=pk,
                source=RatingSource.TMDB,
                rater_kind=RaterKind.AGGREGATE,
                value=movie.vote_average,
                scale_min=VOTE_SCALE[0],
                scale_max=VOTE_SCALE[1],
                vote_count=movie.vote_count,
            ),
        )
    aggregates = Rating.objects.filter(source=RatingSource.TMDB, rater_kind=RaterKind.AGGREGATE)
    synced = sync_rows(
        model=Rating,
        wanted=wanted,
        existing=aggregates.filter(movie_id__in=wanted),
        key=lambda rating: rating.movie_id,
        fields=["value", "scale_min", "scale_max", "vote_count"],
    )
    removed, _ = aggregates.filter(movie_id__in=unrated - wanted.keys()).delete()
    if synced.created or synced.updated or removed:
        # Bulk writes: the films' stats are not kept by save().
        refresh_rating_stats([*wanted, *unrated])
    counts = report["ratings"]
    counts.created += synced.created
    counts.updated += synced.updated
    counts.skipped += synced.unchanged
    counts.removed += removed


def franchise_links(members: dict[int, date | None]):
    """(from, to, type) for one collection: every pair the same franchise, and by release
    date each film a sequel of every film of the date before and a prequel of every film
    of the date after. Films released the same day, or without a date, have no order."""
    for first in members:
        for second in members:
            if first != second:
                yield first, second, RelationshipType.SAME_FRANCHISE
    dates = sorted({released for released in members.values() if released})
    on = {day: [pk for pk, released in members.items() if released == day] for day in dates}
    for before, after in pairwise(dates):
        for earlier in on[before]:
            for later in on[after]:
                yield earlier, later, RelationshipType.SEQUEL  # "later is a sequel of earlier"
                yield later, earlier, RelationshipType.PREQUEL


def write_franchises(films: set[int], report: ImportReport, batch_size: int) -> None:
    """Derive again the links of every collection the file's films are in, or were in.

    A collection is its films as the catalog knows them now (this file's and earlier
    ones'), in the order of the release dates the catalog holds. The links an earlier
    import derived and the order no longer gives are deleted; links staff entered
    (derived_from_collection empty) are never changed, nor duplicated.
    """
    collections = set()
    for chunk in batched(sorted(films), IN_LIST_SIZE):
        collections.update(
            Movie.objects.filter(pk__in=chunk, tmdb_collection_id__isnull=False).values_list(
                "tmdb_collection_id", flat=True
            )
        )
        # The collections a film has left: their links to it go.
        collections.update(
            MovieRelationship.objects.filter(
                Q(from_movie__in=chunk) | Q(to_movie__in=chunk),
                derived_from_collection__isnull=False,
            ).values_list("derived_from_collection", flat=True)
        )
    counts = report["relationships"]
    for chunk in batched(sorted(collections), max(1, batch_size // 50)):
        with report.batch_transaction():
            synced = derive_links(chunk)
            counts.created += synced.created
            counts.updated += synced.updated
            counts.skipped += synced.unchanged
            counts.removed += synced.deleted


def derive_links(collections: tuple[int, ...]) -> Synced:
    members: dict[int, dict[int, date | None]] = {}
    for pk, collection, released in Movie.objects.filter(
        tmdb_collection_id__in=collections
    ).values_list("pk", "tmdb_collection_id", "release_date"):
        members.setdefault(collection, {})[pk] = released
    wanted = {
        link: collection for collection, films in members.items() for link in franchise_links(films)
    }
    films = {pk for films in members.values() for pk in films}
    existing = MovieRelationship.objects.filter(
        Q(derived_from_collection__in=collections)
        | Q(from_movie__in=films, to_movie__in=films, relationship_type__in=FRANCHISE_TYPES)
    )
    synced, stale, moved = Synced(), [], []
    for link in existing:
        key = (link.from_movie_id, link.to_movie_id, link.relationship_type)
        collection = wanted.pop(key, None)
        if link.derived_from_collection is None:
            # Entered by hand: kept as it is, and not derived a second time.
            synced.unchanged += collection is not None
        elif collection is None:
            if link.derived_from_collection in collections:
                stale.append(link.pk)
        elif link.derived_from_collection != collection:
            link.derived_from_collection = collection
            moved.append(link)
        else:
            synced.unchanged += 1
    MovieRelationship.objects.bulk_create(
        MovieRelationship(
            from_movie_id=from_pk,
            to_movie_id=to_pk,
            relationship_type=kind,
            derived_from_collection=collection,
        )
        for (from_pk, to_pk, kind), collection in sorted(wanted.items())
    )
    MovieRelationship.objects.bulk_update(moved, ["derived_from_collection"])
    if stale:
        MovieRelationship.objects.filter(pk__in=stale).delete()
    synced.created, synced.updated, synced.deleted = len(wanted), len(moved), len(stale)
    return synced
