"""TMDB movie details, as TMDB's API returns them (GET /3/movie/{id}).

One JSON object, or JSON lines of them. TMDB is the authority for the fields it gives
(title, dates, runtime, overview, popularity): they replace the catalog's. Its vote
average becomes an aggregate Rating on 0-10 with its vote count, and a
`belongs_to_collection` makes the collection's films (those of the same file) the same
franchise, each a sequel of the one released before it and a prequel of the one after.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import batched, pairwise
from pathlib import Path

from django.db import transaction

from catalog.importers import records
from catalog.importers.matching import Identity, genre_problem
from catalog.importers.movies import MovieRow, MovieWriter
from catalog.importers.records import BadRecord
from catalog.importers.report import ImportReport
from catalog.importers.writing import sync_rows
from catalog.models import (
    IMDB_ID_PATTERN,
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
    collection: int | None


@dataclass
class Collections:
    """{collection id: {movie pk: release date}}: a few bytes per film in a collection."""

    members: dict[int, dict[int, date | None]] = field(default_factory=dict)

    def add(self, collection: int, pk: int, released: date | None) -> None:
        self.members.setdefault(collection, {}).setdefault(pk, released)


def looks_like_tmdb(record: dict) -> bool:
    return "id" in record and ("title" in record or "original_title" in record)


def import_tmdb(
    path, *, report: ImportReport, batch_size=DEFAULT_BATCH_SIZE, progress=None
) -> ImportReport:
    path = Path(path)
    writer = MovieWriter(report=report, file=path.name, authoritative=True)
    collections = Collections()
    batch: list[TmdbMovie] = []

    def flush() -> None:
        with report.counting_if_written(), transaction.atomic():
            refs = writer.flush()
            write_aggregates(batch, refs, report)
        for movie in batch:
            if movie.collection and movie.row.ref in refs:
                released = movie.row.values["release_date"]
                collections.add(movie.collection, refs[movie.row.ref], released)
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
        if writer.add(movie.row):
            batch.append(movie)
        if len(batch) == batch_size:
            flush()
    flush()
    write_franchises(collections, report, batch_size)
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
            },
            genres=names,
            ref=tmdb_id,
        ),
        vote_average=records.number(record, "vote_average", low=VOTE_SCALE[0], high=VOTE_SCALE[1]),
        vote_count=records.integer(record, "vote_count", minimum=0),
        collection=records.integer(collection, "id", required=True) if collection else None,
    )


def write_aggregates(movies: list[TmdbMovie], refs: dict[int, int], report: ImportReport):
    """TMDB's vote average, one aggregate Rating per film; none for a film without votes."""
    wanted = {}
    for movie in movies:
        pk = refs.get(movie.row.ref)
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
    synced = sync_rows(
        model=Rating,
        wanted=wanted,
        existing=Rating.objects.filter(
            source=RatingSource.TMDB, rater_kind=RaterKind.AGGREGATE, movie_id__in=wanted
        ),
        key=lambda rating: rating.movie_id,
        fields=["value", "scale_min", "scale_max", "vote_count"],
    )
    if synced.created or synced.updated:
        refresh_rating_stats(wanted)  # bulk writes: the films' stats are not kept by save()
    counts = report["ratings"]
    counts.created += synced.created
    counts.updated += synced.updated
    counts.skipped += synced.unchanged


def franchise_links(members: dict[int, date | None]):
    """(from, to, type) for one collection: every pair the same franchise, and the
    release order (films without a date have no place in it) sequels and prequels."""
    for first in members:
        for second in members:
            if first != second:
                yield first, second, RelationshipType.SAME_FRANCHISE
    dated = sorted((released, pk) for pk, released in members.items() if released)
    for (_, earlier), (_, later) in pairwise(dated):
        yield earlier, later, RelationshipType.SEQUEL  # "later is a sequel of earlier"
        yield later, earlier, RelationshipType.PREQUEL


def write_franchises(collections: Collections, report: ImportReport, batch_size: int) -> None:
    counts = report["relationships"]
    groups = [members for members in collections.members.values() if len(members) > 1]
    for chunk in batched(groups, max(1, batch_size // 50)):
        wanted = {
            link: MovieRelationship(
                from_movie_id=link[0], to_movie_id=link[1], relationship_type=link[2]
            )
            for members in chunk
            for link in franchise_links(members)
        }
        with transaction.atomic():
            synced = sync_rows(
                model=MovieRelationship,
                wanted=wanted,
                existing=MovieRelationship.objects.filter(
                    from_movie_id__in={pk for members in chunk for pk in members},
                    relationship_type__in=FRANCHISE_TYPES,
                ),
                key=lambda rel: (rel.from_movie_id, rel.to_movie_id, rel.relationship_type),
                fields=[],  # a weight staff have set is theirs to keep
            )
        counts.created += synced.created
        counts.updated += synced.updated
        counts.skipped += synced.unchanged
