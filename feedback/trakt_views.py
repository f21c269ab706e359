"""/accounts/import/trakt/: the signed-in person brings their Trakt history, ratings and
watchlist.

Always into their own account, as the Letterboxd and IMDb pages: no user id anywhere,
staff included. One field takes every file at once, as Trakt's data comes in several
JSON files whose kinds the reader tells apart (feedback/trakt.py), or the ZIP they came
in, alone: a whole export may be given, the files of no kind skipped. The import runs in
the request, in a fixed number of queries, and its summary is shown on the same page,
with the Letterboxd page's template parts and its upload limit, each file.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from feedback.letterboxd_views import MAX_UPLOAD_SIZE, import_page_context, upload_within_limit
from feedback.trakt import TraktFormatError
from feedback.trakt_import import trakt_import

NO_FILE_MESSAGE = "Upload your Trakt history, ratings or watchlist: one JSON file or more."


class FilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one field: Django's FileField takes one (its documentation's
    way to take more)."""

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(FilesField, self).clean(upload, initial) for upload in uploads if upload]


class TraktUploadForm(forms.Form):
    files = FilesField(
        label="Your Trakt files (.json or .zip)",
        required=False,  # said by NO_FILE_MESSAGE, which says what to give
        allow_empty_file=True,  # refused by the reader, which names the file and says why
        help_text=(
            "Your export's JSON files as Trakt or an export tool gives them (those not "
            "history, ratings or watchlist are skipped), or its ZIP alone; at most "
            f"{MAX_UPLOAD_SIZE // 1024**2} MB each."
        ),
        widget=FilesInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if not uploads:
            raise forms.ValidationError(NO_FILE_MESSAGE)
        return [upload_within_limit(upload, "a Trakt export file") for upload in uploads]

    def files_read(self) -> list[tuple[str, bytes]]:
        return [(upload.name, upload.read()) for upload in self.cleaned_data["files"]]


@never_cache  # personal data: no shared cache may keep a copy
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def trakt_import_page(request):
    summary = None
    if request.method == "POST":
        form = TraktUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                summary = trakt_import(user=request.user, files=form.files_read())
            except TraktFormatError as error:
                form.add_error("files", str(error))
    else:
        form = TraktUploadForm()
    return render(
        request, "accounts/trakt_import.html", import_page_context(form, summary, service="Trakt")
    )
