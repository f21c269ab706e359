"""Site-wide views that belong to no app."""

from django.http import HttpResponseRedirect
from django.templatetags.static import static

FAVICON = "favicon.svg"


def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's): the
    site's icon. Not a permanent redirect: the icon's URL changes with its content in
    production (hashed static names), and browsers would keep the old one for good."""
    return HttpResponseRedirect(static(FAVICON))
