"""Staff upload an import file from the admin: the same importers as the commands.

A MovieLens upload is a .zip of its directory (as GroupLens distributes it); only the
four known CSV files are taken out of it, under their own names in a private temporary
directory, so a crafted archive cannot write anywhere else. TMDB and tweet files are
uploaded as they are. The import runs in the request: fine for a few hundred thousand
rows; a bigger file is for the command, which shows progress.
"""

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django import forms

from catalog.importers.exclusive import only_import_running
from catalog.importers.movielens import import_movielens
from catalog.importers.report import ImportFormatError, ImportReport
from catalog.importers.tmdb import import_tmdb
from catalog.importers.tweets import import_tweets

MOVIELENS_FILES = {"movies.csv", "links.csv", "ratings.csv", "tags.csv"}
MAX_UNZIPPED = 2 * 1024**3

IMPORTERS = {"movielens": import_movielens, "tmdb": import_tmdb, "tweets": import_tweets}


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[
            ("movielens", "MovieLens: a .zip of the directory (movies.csv, ratings.csv…)"),
            ("tmdb", "TMDB movie details: one JSON object, or JSON lines"),
            ("tweets", "Tweets about films: JSON lines"),
        ],
    )
    file = forms.FileField(label="File")
    strict = forms.BooleanField(
        label="Stop at the first rejected row",
        required=False,
        help_text="What was written before it stays imported.",
    )


def import_upload(*, kind: str, uploaded, report: ImportReport) -> ImportReport:
    """Run the importer for `kind` on an uploaded file; ImportFormatError if it is not
    one, AnotherImportRunning if an import is under way."""
    with (
        only_import_running(),
        tempfile.TemporaryDirectory(prefix="marquee-import-") as scratch,
    ):
        scratch = Path(scratch)
        if kind == "movielens":
            path = unzip_movielens(uploaded, scratch)
        else:
            path = scratch / (Path(uploaded.name).name or "upload")
            with open(path, "wb") as handle:
                for chunk in uploaded.chunks():
                    handle.write(chunk)
        IMPORTERS[kind](path, report=report)
    report.finished = True
    return report


def unzip_movielens(uploaded, scratch: Path) -> Path:
    if not zipfile.is_zipfile(uploaded):
        raise ImportFormatError(
            f"{uploaded.name} is not a .zip: upload the MovieLens directory zipped"
        )
    uploaded.seek(0)
    try:
        return extract(uploaded, scratch)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ImportFormatError(f"{uploaded.name} is a damaged .zip ({exc})") from None


def extract(uploaded, scratch: Path) -> Path:
    with zipfile.ZipFile(uploaded) as archive:
        members = {}
        for info in archive.infolist():
            name = PurePosixPath(info.filename)
            if not info.is_dir() and name.name in MOVIELENS_FILES:
                members.setdefault(name.parent, []).append(info)
        folder = next(
            (
                parent
                for parent, infos in members.items()
                if any(PurePosixPath(info.filename).name == "movies.csv" for info in infos)
            ),
            None,
        )
        if folder is None:
            raise ImportFormatError(f"{uploaded.name} holds no movies.csv: not MovieLens")
        chosen = members[folder]
        if sum(info.file_size for info in chosen) > MAX_UNZIPPED:
            raise ImportFormatError(f"{uploaded.name} unzips to more than 2 GB: use the command")
        target = scratch / "movielens"
        target.mkdir()
        for info in chosen:
            with (
                archive.open(info) as source,
                open(target / PurePosixPath(info.filename).name, "wb") as destination,
            ):
                shutil.copyfileobj(source, destination)
    return target
