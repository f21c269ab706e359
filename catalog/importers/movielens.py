"""MovieLens: a directory of movies.csv, links.csv, ratings.csv and tags.csv.

movies.csv names a film as "Matrix, The (1999)" or "City of Lost Children, The (Cité des
enfants perdus, La) (1995)": the catalog gets "The Matrix" and "The City of Lost
Children", with the parenthesised foreign title as the original title and an "(a.k.a.
Se7en)" kept for matching only. A film with no year (a series, "Babylon 5") keeps none.
links.csv gives the IMDb id without its "tt" (and sometimes without leading zeros) and,
mostly, the TMDB id.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from catalog.bounds import INTEGER_MAX
from catalog.importers import movielens_ratings, movielens_tags
from catalog.importers.matching import Identity, genre_problem, imdb_id_from
from catalog.importers.movies import FirstLines, MovieRow, MovieWriter
from catalog.importers.reading import CsvFile, bar_for, move_to
from catalog.importers.report import ImportFormatError, ImportReport, quoted

MOVIES_HEADER = ["movieId", "title", "genres"]
LINKS_HEADER = ["movieId", "imdbId", "tmdbId"]
RATINGS_HEADER = ["userId", "movieId", "rating", "timestamp"]
TAGS_HEADER = ["userId", "movieId", "tag", "timestamp"]
NO_GENRES = "(no genres listed)"
# MovieLens' names for genres TMDB (and so the rest of the catalog) calls otherwise.
GENRE_NAMES = {"Sci-Fi": "Science Fiction", "Children": "Family", "Musical": "Music"}
DEFAULT_BATCH_SIZE = 20_000

YEAR_AT_END = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})(?:\s*[-–]\s*\d{0,4})?\s*\)$")
PARENS_AT_END = re.compile(r"^(?P<rest>.+?)\s+\((?P<inner>[^()]+)\)$")
ARTICLE_AT_END = re.compile(
    r"^(?P<body>.+), (?P<article>The|A|An|Les|La|Le|L'|Il|El|Los|Las|Der|Die|Das|Den|Det"
    r"|Lo|Gli|Un|Une|Una|Ein|Eine)$"
)


@dataclass
class MovieLensTitle:
    title: str
    year: int | None = None
    original_title: str = ""
    aliases: list[str] = field(default_factory=list)


def article_first(text: str) -> str:
    """ "Matrix, The" -> "The Matrix"; "Avventura, L'" -> "L'Avventura"."""
    found = ARTICLE_AT_END.match(text)
    if not found:
        return text
    article = found.group("article")
    return f"{article}{'' if article.endswith("'") else ' '}{found.group('body')}"


def parse_title(raw: str) -> MovieLensTitle:
    text = " ".join(raw.split())
    year = None
    found = YEAR_AT_END.match(text)
    if found and found.group("title"):
        text, year = found.group("title"), int(found.group("year"))
    # At most two trailing groups: "(Cité des enfants perdus, La)", "(a.k.a. Se7en)".
    extras = []
    while len(extras) < 2 and (found := PARENS_AT_END.match(text)):
        text = found.group("rest")
        extras.insert(0, found.group("inner").strip())
    parsed = MovieLensTitle(title=article_first(text), year=year)
    for extra in extras:
        if extra.casefold().startswith("a.k.a. "):
            parsed.aliases.append(article_first(extra[len("a.k.a. ") :].strip()))
        elif not parsed.original_title:
            parsed.original_title = article_first(extra)
        else:
            parsed.aliases.append(article_first(extra))
    return parsed


def import_movielens(
    directory,
    *,
    report: ImportReport,
    batch_size=DEFAULT_BATCH_SIZE,
    progress=None,
    shown_as: str | None = None,
) -> ImportReport:
    """`shown_as` is what the summary calls the directory: an upload's .zip, where the
    directory is a scratch folder of the server's, which means nothing to the user."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportFormatError(f"{directory} is not a directory (MovieLens is a directory)")
    if not (directory / "movies.csv").is_file():
        raise ImportFormatError(f"{directory} has no movies.csv: not a MovieLens directory")
    # Every header is checked before anything is written.
    files = {}
    try:
        for name, header in (
            ("movies.csv", MOVIES_HEADER),
            ("links.csv", LINKS_HEADER),
            ("ratings.csv", RATINGS_HEADER),
            ("tags.csv", TAGS_HEADER),
        ):
            if (directory / name).is_file():
                files[name] = CsvFile(directory / name, header)
            else:
                report.notes.append(f"{name}: not in {shown_as or directory}, nothing read")
        # Every kind the files hold, in the summary from the start: links.csv counts with
        # the movies, and a file not there has its note instead.
        report.reading("movies", "genres")
        for name in ("ratings.csv", "tags.csv"):
            if name in files:
                report.reading(name.removesuffix(".csv"))
        links = read_links(files.get("links.csv"), report)
        movies = import_movies(files["movies.csv"], links.ids, report, batch_size, progress)
        if "links.csv" in files:
            reject_links_without_a_film(files["links.csv"].name, links, movies, report)
        if "ratings.csv" in files:
            movielens_ratings.import_ratings(
                files["ratings.csv"], movies, report, batch_size, progress
            )
        if "tags.csv" in files:
            movielens_tags.import_tags(files["tags.csv"], movies, report, batch_size, progress)
    finally:
        for csv_file in files.values():
            csv_file.close()
    return report


@dataclass
class MovieLensLinks:
    """links.csv read whole before movies (a few bytes per film): {movieId: (imdb id,
    tmdb id)}, the line of each, and how many rows were read and rejected. Its rejected
    rows count with the movies, whose ids they are."""

    ids: dict[int, tuple] = field(default_factory=dict)
    lines: dict[int, int] = field(default_factory=dict)
    rows: int = 0
    rejected: int = 0


def read_links(csv_file: CsvFile | None, report: ImportReport) -> MovieLensLinks:
    links = MovieLensLinks()
    if csv_file is None:
        return links
    # The reader rejects malformed records itself: the movies' count says how many.
    rejected_before = report["movies"].rejected
    accepted = 0
    for line, (movie_id, imdb_raw, tmdb_raw) in csv_file.rows(report, "movies"):
        try:
            key, *ids = parse_link(movie_id, imdb_raw, tmdb_raw)
        except ValueError as exc:
            report.reject("movies", csv_file.name, line, str(exc))
            continue
        if key in links.ids and links.ids[key] != tuple(ids):
            report.reject(
                "movies",
                csv_file.name,
                line,
                f"movieId {key} is already on line {links.lines[key]} with other ids",
            )
            continue
        accepted += 1
        links.ids.setdefault(key, tuple(ids))
        links.lines.setdefault(key, line)
    links.rejected = report["movies"].rejected - rejected_before
    links.rows = accepted + links.rejected
    return links


def reject_links_without_a_film(
    name: str, links: MovieLensLinks, movies: "MovieLensMovies", report: ImportReport
) -> None:
    """A link for a movieId movies.csv has no film of gave its ids to nothing: rejected,
    once movies.csv is read. (One for a film movies.csv rejected is not: that rejection,
    listed already, is the link's too.)"""
    for key, line in sorted(links.lines.items(), key=lambda item: item[1]):
        if str(key) not in movies.pks and str(key) not in movies.refused:
            report.reject("movies", name, line, f"no film of {movies.file} has movieId {key}")
            links.rejected += 1
    rows = f"{links.rows} row{'' if links.rows == 1 else 's'}"
    report.notes.append(f"{name}: {rows} read, {links.rejected} rejected (counted with movies)")


def parse_link(movie_id: str, imdb_raw: str, tmdb_raw: str) -> tuple[int, str | None, int | None]:
    key = number_of(movie_id)
    if key is None:
        raise ValueError(f"movieId {quoted(movie_id)} is not a number")
    tmdb_id = number_of(tmdb_raw)
    if tmdb_raw.strip() and not (tmdb_id and tmdb_id <= INTEGER_MAX):
        raise ValueError(
            f"tmdbId {quoted(tmdb_raw.strip())} is not a number from 1 to {INTEGER_MAX}"
        )
    return key, imdb_id_from(imdb_raw), tmdb_id


def number_of(text: str) -> int | None:
    """A whole number written in ASCII digits, as MovieLens writes its ids; None if the
    text is not one. Past 18 digits no id is meant (and int() would refuse thousands)."""
    text = text.strip()
    return int(text) if text.isdigit() and text.isascii() and len(text) <= 18 else None


@dataclass
class MovieLensMovies:
    """What ratings and tags need to know of movies.csv: {movieId: pk}, and the refused."""

    pks: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # movieId -> its line
    file: str = "movies.csv"

    def find(self, movie_id: str) -> tuple[int | None, str]:
        """The movie's pk, or None and why not."""
        pk = self.pks.get(movie_id)
        if pk is not None:
            return pk, ""
        key = movie_id.strip().lstrip("0") or movie_id
        pk = self.pks.get(key)
        if pk is not None:
            return pk, ""
        if key in self.refused:
            return None, f"movieId {movie_id} was rejected ({self.file}:{self.refused[key]})"
        if number_of(movie_id) is None:
            return None, f"movieId {quoted(movie_id)} is not a number"
        return None, f"unknown movieId {movie_id}"


def import_movies(csv_file, links, report, batch_size, progress) -> MovieLensMovies:
    writer = MovieWriter(report=report, file=csv_file.name, authoritative=False)
    movies = MovieLensMovies(file=csv_file.name)
    first_lines = FirstLines()

    def flush() -> None:
        with report.batch_transaction():
            refs = writer.flush()
        movies.pks.update((str(ref), pk) for ref, pk in refs.items())
        move_to(bar, csv_file.lines_read)

    with bar_for(csv_file, progress, "movies") as bar:
        lines = 0
        for line, (movie_id, raw_title, genres) in csv_file.rows(report, "movies"):
            lines += 1
            row = movie_row(csv_file.name, line, movie_id, raw_title, genres, links, report)
            earlier = first_lines.earlier(row.ref, line, (raw_title, genres)) if row else None
            if row is None:
                if number_of(movie_id) is not None:
                    movies.refused[str(number_of(movie_id))] = line
            elif earlier and earlier[1]:
                report["movies"].skipped += 1  # the same line twice
            elif earlier:
                report.reject(
                    "movies",
                    csv_file.name,
                    line,
                    f"movieId {row.ref} is already on line {earlier[0]} as another film",
                )
            else:
                if not writer.add(row):
                    movies.refused[str(row.ref)] = line
            if lines == batch_size:
                flush()
                lines = 0
        flush()
    return movies


def movie_row(name, line, movie_id, raw_title, genres, links, report) -> MovieRow | None:
    key = number_of(movie_id)
    if key is None:
        report.reject("movies", name, line, f"movieId {quoted(movie_id)} is not a number")
        return None
    parsed = parse_title(raw_title)
    if not parsed.title:
        report.reject("movies", name, line, "the title is empty")
        return None
    imdb_id, tmdb_id = links.get(key, (None, None))
    names = [] if genres.strip() == NO_GENRES else [g.strip() for g in genres.split("|")]
    names = [GENRE_NAMES.get(genre, genre) for genre in names if genre]
    problem = genre_problem(names)
    if problem:
        report.reject("movies", name, line, problem)
        return None
    return MovieRow(
        line=line,
        identity=Identity(
            tmdb_id=tmdb_id,
            imdb_id=imdb_id,
            titles=(parsed.title, parsed.original_title, *parsed.aliases),
            year=parsed.year,
        ),
        values={
            "title": parsed.title,
            "original_title": parsed.original_title,
            "year": parsed.year,
            "tmdb_id": tmdb_id,
            "imdb_id": imdb_id,
        },
        genres=names,
        ref=key,
    )
