"""Site-wide views that belong to no app."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static

FAVICON = "favicon.svg"


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
