"""Going back where a form came from: the `next` a page passes along, when it is safe."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(target: str) -> str:
    """`target` if it is a path on this site ("/library/?page=2"), else "".

    Only a path from the root is taken. A relative one ("library", "?page=2") lands
    somewhere that depends on the page it was posted from, and redirect() would take a
    bare word for a URL name and answer 500 once reverse() found none; a URL with a
    host ("//evil.example/", "/\\evil.example/") goes to another site.
    """
    if not target.startswith("/") or target.startswith("//"):
        return ""
    # A control character (a newline most of all) has no business in a Location header.
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return ""
    return target


def next_path(request) -> str:
    """The request's `next` (form field first, then query string) if it is a local path,
    else "". Redirect to it with HttpResponseRedirect, never redirect(): see local_path."""
    return local_path(request.POST.get("next") or request.GET.get("next") or "")
