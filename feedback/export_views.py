"""Download your own data: /library/export/json/ or /library/export/csv/ (a .zip).

No user id anywhere in the URL: the export is always the signed-in person's own.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from feedback.exports import export_csv_zip, export_json

FORMATS = {
    "json": (export_json, "application/json", "json"),
    "csv": (export_csv_zip, "application/zip", "zip"),
}


@never_cache  # personal data: no shared cache may keep a copy
@login_required
@require_GET
def download(request, data_format: str):
    if data_format not in FORMATS:
        raise Http404("Exports are in JSON or CSV.")
    build, content_type, extension = FORMATS[data_format]
    response = HttpResponse(build(request.user), content_type=content_type)
    filename = f"marquee-export-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
