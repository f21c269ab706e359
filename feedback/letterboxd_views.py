"""/accounts/import/letterboxd/: the signed-in person brings their Letterboxd history.

Always into their own account: no user id anywhere, staff included. The import runs in
the request (a Letterboxd export is a few megabytes: thousands of lines, a fixed number
of queries) and its summary is shown on the same page.
"""

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from feedback.letterboxd import LetterboxdFormatError
from feedback.letterboxd_import import letterboxd_import

# Letterboxd's exports are a few megabytes after years of diary: ten leaves room for the
# keenest, and keeps a mistaken upload (a video, a disk image) from being read.
MAX_UPLOAD_SIZE = 10 * 1024**2
# The films not found and the lines rejected shown on the page; the rest are counted.
PROBLEMS_SHOWN = 100
# Where a problem is: "ratings.csv:3: …" (Letterboxd, IMDb), "history.json, item 3: …" (Trakt).
PROBLEM_PLACE = re.compile(r"(?P<file>[^:,]+)(?::|, item )(?P<number>\d+):")


class LetterboxdUploadForm(forms.Form):
    file = forms.FileField(
        label="Your Letterboxd export (.zip)",
        help_text=f"The ZIP as Letterboxd gives it, at most {MAX_UPLOAD_SIZE // 1024**2} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        return upload_within_limit(self.cleaned_data["file"], "a Letterboxd export")


def upload_within_limit(upload, export_name: str):
    """The upload, refused past MAX_UPLOAD_SIZE (this page's and the IMDb page's limit):
    so large a file is a mistake (a video, a disk image), not read."""
    if upload and upload.size > MAX_UPLOAD_SIZE:
        raise forms.ValidationError(
            f"This file is {upload.size / 1024**2:.0f} MB; {export_name} is at most "
            f"{MAX_UPLOAD_SIZE // 1024**2} MB: is it the right file?"
        )
    return upload


@never_cache  # personal data: no shared cache may keep a copy
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def letterboxd_import_page(request):
    summary = None
    if request.method == "POST":
        form = LetterboxdUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                summary = letterboxd_import(
                    user=request.user, data=form.cleaned_data["file"].read()
                )
            except LetterboxdFormatError as error:
                form.add_error("file", str(error))
    else:
        form = LetterboxdUploadForm()
    return render(
        request,
        "accounts/letterboxd_import.html",
        import_page_context(form, summary, service="Letterboxd", upload="file"),
    )


def import_page_context(form, summary, *, service: str, upload: str = "files") -> dict:
    """An import page's context (this one's, IMDb's and Trakt's): the service imported
    from, what was uploaded ("file", "files"), the form, and the summary with the first
    PROBLEMS_SHOWN films not placed and lines refused."""
    problems = [*summary.not_found, *summary.ambiguous, *summary.rejected] if summary else []
    problems.sort(key=problem_place)
    return {
        "service": service,
        "upload": upload,
        "form": form,
        "summary": summary,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_left": max(len(problems) - PROBLEMS_SHOWN, 0),
    }


def problem_place(problem: str) -> tuple:
    """The order the problems are listed in: by file, then line, whatever went wrong
    (a film not found, a line refused), so that they read beside the file in the order
    the person wrote it. One naming no line (none do now) goes last."""
    place = PROBLEM_PLACE.match(problem)
    return (0, place["file"], int(place["number"])) if place else (1, "", 0)
