"""/accounts/import/imdb/: the signed-in person brings their IMDb ratings and watchlist.

Always into their own account, as the Letterboxd page (feedback/letterboxd_views.py):
no user id anywhere, staff included. The import runs in the request (IMDb's exports
are CSV files of a few hundred kilobytes, read in a fixed number of queries) and its
summary is shown on the same page, with the Letterboxd page's template parts.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from feedback.imdb import ImdbFormatError
from feedback.imdb_import import imdb_import
from feedback.letterboxd_views import (
    MAX_UPLOAD_SIZE,
    import_page_context,
    upload_within_limit,
)

NO_FILE_MESSAGE = "Upload your ratings export, your watchlist export or both."


def export_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        allow_empty_file=True,  # refused by the reader, which names the file and says why
        help_text=f"The CSV file as IMDb gives it, at most {MAX_UPLOAD_SIZE // 1024**2} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ImdbUploadForm(forms.Form):
    ratings = export_field("Your IMDb ratings (.csv)")
    watchlist = export_field("Your IMDb watchlist (.csv)")

    def clean(self):
        cleaned = super().clean()
        uploads = [cleaned.get(name) for name in ("ratings", "watchlist")]
        if not self.errors and not any(uploads):
            raise forms.ValidationError(NO_FILE_MESSAGE)
        return cleaned

    def clean_ratings(self):
        # A ratings export of ten thousand films is about two megabytes.
        return upload_within_limit(self.cleaned_data["ratings"], "an IMDb export")

    def clean_watchlist(self):
        return upload_within_limit(self.cleaned_data["watchlist"], "an IMDb export")

    def files_read(self) -> list[tuple[str, bytes]]:
        uploads = (self.cleaned_data[name] for name in ("ratings", "watchlist"))
        return [(upload.name, upload.read()) for upload in uploads if upload]


@never_cache  # personal data: no shared cache may keep a copy
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def imdb_import_page(request):
    summary = None
    if request.method == "POST":
        form = ImdbUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                summary = imdb_import(user=request.user, files=form.files_read())
            except ImdbFormatError as error:
                form.add_error(None, str(error))
    else:
        form = ImdbUploadForm()
    return render(
        request, "accounts/imdb_import.html", import_page_context(form, summary, service="IMDb")
    )
