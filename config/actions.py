"""Actions: views that change something on a POST from a button on some page.

Their URLs still get opened with a GET (a reload after the POST, a bookmark, a link
copied from the address bar), and a bare 405 is a blank page. A GET goes instead to the
page the action belongs to, where its button is, and changes nothing; or, for an action
that cannot be undone, to the view's own page asking to confirm it, and for one that can
say more than its button, to the view's own form.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed, HttpResponseRedirect

from config.redirects import next_path

SAFE_METHODS = ("GET", "HEAD")


def post_action(page_url, *, own_page=False):
    """For a view that acts on POST only, for someone logged in. `page_url(**url kwargs)`
    is the page the action belongs to: a GET is sent there, and someone logged out is
    sent to log in and then back to the form's page (its `next`) or to that page.

    With `own_page`, the view answers the GET itself (a page that asks before it acts, or
    the action's whole form; no JavaScript needed), for someone logged in; someone logged
    out comes back to it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, **kwargs):
            if request.method in SAFE_METHODS and not own_page:
                return HttpResponseRedirect(page_url(**kwargs))
            if request.method not in (*SAFE_METHODS, "POST"):
                return HttpResponseNotAllowed([*SAFE_METHODS, "POST"])
            if not request.user.is_authenticated:
                if request.method in SAFE_METHODS:
                    return redirect_to_login(request.get_full_path())
                return redirect_to_login(next_path(request) or page_url(**kwargs))
            return view(request, **kwargs)

        return wrapped

    return decorator
