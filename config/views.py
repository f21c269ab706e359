"""Site-wide views that belong to no app."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, TooManyFilesSent
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.templatetags.static import static

FAVICON = "favicon.svg"
FORM = "application/x-www-form-urlencoded"


def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's): the
    site's icon. Not a permanent redirect: the icon's URL changes with its content in
    production (hashed static names), and browsers would keep the old one for good."""
    return HttpResponseRedirect(static(FAVICON))


def csrf_failure(request, reason=""):
    """A form sent with a token that no longer matches the session (the person logged in
    or out in another tab, or the page was open for days): said in the site's own look,
    with the way back to the form. A GET of any form's address shows the form again, or
    the page it belongs to, and changes nothing."""
    return render(request, "403_csrf.html", {"form_path": request.path}, status=403)


def bad_request(request, exception):
    """handler400: a request Django could not take, said in the site's own look, with why
    when the person can do something about it.

    Not Django's own view, which checks the CSRF token first, so reads the form again:
    a form sent as another charset than UTF-8 (which Django refuses) raised again there,
    then in the 500 view, and reached the browser as the web server's bare error page.
    This one reads nothing of the request's body."""
    reason = bad_request_reason(request, exception)
    try:
        request.GET  # noqa: B018 - read by the page's search box (base.html)
    except SuspiciousOperation:
        # The query string is what was refused (too many fields): the box shows none of it.
        request.GET = QueryDict()
    return render(request, "400.html", {"reason": reason}, status=400)


def bad_request_reason(request, exception) -> str:
    if isinstance(exception, TooManyFilesSent):
        most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return (
            f"Marquee takes at most {most} files at once. Choose fewer, or the ZIP they "
            "came in, and send them again."
        )
    # Django's own test for a form it refuses to read (HttpRequest._load_post_and_files).
    charset = request.encoding
    if request.content_type == FORM and charset and charset.lower() != "utf-8":
        return (
            "The form was sent in another encoding than UTF-8. Reload its page and send it again."
        )
    return ""
