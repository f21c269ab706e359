"""Staff upload an import file from the admin: the same importers as the commands.

A MovieLens upload is a .zip of its directory (as GroupLens distributes it); only the
four known CSV files are taken out of it, under their own names in a private temporary
directory, so a crafted archive cannot write anywhere else. TMDB and tweet files are
uploaded as they are. The import runs in the request: fine for a few hundred thousand
rows; a bigger file is for the command, which shows progress.

Each kind asks for the add and change permissions of every model it writes (WRITES):
the form offers only the kinds the user may run, and refuses another by name.
"""

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django import forms
from django.contrib.auth import get_permission_codename
from django.utils.text import get_text_list

from catalog.importers.exclusive import only_import_running
from catalog.importers.movielens import import_movielens
from catalog.importers.report import ImportFormatError, ImportReport
from catalog.importers.tmdb import import_tmdb
from catalog.importers.tweets import import_tweets
from catalog.importers.zips import UNREADABLE_MEMBER, why_unreadable
from catalog.models import Genre, Movie, MovieRelationship, MovieTag, Rating, Review

MOVIELENS_FILES = {"movies.csv", "links.csv", "ratings.csv", "tags.csv"}
MAX_UNZIPPED = 2 * 1024**3

IMPORTERS = {"movielens": import_movielens, "tmdb": import_tmdb, "tweets": import_tweets}
KIND_NAMES = {"movielens": "MovieLens", "tmdb": "TMDB", "tweets": "tweets"}
# The models each import creates rows of or updates (read from its importer): running it
# needs permission to add and to change every one. A film's rating stats follow its
# ratings, as they do when a rating is added by hand, so they ask for nothing more.
WRITES = {
    "movielens": [Movie, Genre, Rating, MovieTag],
    "tmdb": [Movie, Genre, Rating, MovieRelationship],
    "tweets": [Review],
}
ACTIONS = ("add", "change")


def permissions_missing(user, kind: str) -> list[str]:
    """What `user` lacks to run an import of `kind`, as "add rating"; empty if nothing."""
    return [
        f"{action} {model._meta.verbose_name}"
        for model in WRITES[kind]
        for action in ACTIONS
        if not user.has_perm(
            f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"
        )
    ]


def kinds_user_may_import(user) -> list[str]:
    return [kind for kind in IMPORTERS if not permissions_missing(user, kind)]


def may_import_films(user) -> bool:
    """Whether `user` may run an import that brings films (not only tweets about them)."""
    return any(Movie in WRITES[kind] for kind in kinds_user_may_import(user))


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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only the kinds the user may run are offered; the field still knows the others,
        # so that one posted anyway is refused by name (clean_kind), not as "not a choice".
        kind = self.fields["kind"]
        allowed = kinds_user_may_import(user)
        kind.widget.choices = [choice for choice in kind.choices if choice[0] in allowed]

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        missing = permissions_missing(self.user, kind)
        if missing:
            raise forms.ValidationError(
                f"You may not run a {KIND_NAMES[kind]} import: it needs permission to "
                f"{get_text_list(missing, 'and')}. Nothing was imported."
            )
        return kind


def import_upload(*, kind: str, uploaded, report: ImportReport) -> ImportReport:
    """Run the importer for `kind` on an uploaded file; ImportFormatError if it is not
    one, AnotherImportRunning if an import is under way."""
    with (
        only_import_running(),
        tempfile.TemporaryDirectory(prefix="marquee-import-") as scratch,
    ):
        scratch, name = Path(scratch), Path(uploaded.name).name
        options = {}
        if kind == "movielens":
            path = unzip_movielens(uploaded, scratch)
            options["shown_as"] = name or "the upload"  # not the server's scratch folder
        else:
            path = scratch / (name or "upload")
            with open(path, "wb") as handle:
                for chunk in uploaded.chunks():
                    handle.write(chunk)
        IMPORTERS[kind](path, report=report, **options)
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
            try:
                with (
                    archive.open(info) as source,
                    open(target / PurePosixPath(info.filename).name, "wb") as destination,
                ):
                    shutil.copyfileobj(source, destination)
            except UNREADABLE_MEMBER as exc:
                raise ImportFormatError(
                    f"{uploaded.name}: {info.filename} cannot be read: {why_unreadable(exc)}"
                ) from None
    return target
