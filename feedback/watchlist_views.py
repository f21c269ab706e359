"""My watchlist, and putting a film on it or taking it off from the film's page.

As for feedback and history, a person only reads or changes their own entries: every
lookup is filtered by request.user. "I watched this" on the watchlist is the film's own
action (feedback:movie_watched), as on the film's page: its button records a finished
viewing, which takes the film off the list, and its form (a GET of the same URL) says
when, and whether to the end.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django_filters.views import FilterView

from catalog.models import Movie
from config.actions import post_action
from config.pagination import NearestPageMixin
from feedback.filters import WatchlistFilter
from feedback.models import WatchlistEntry
from feedback.views import PAGE_SIZE, back_to, movie_page_url
from feedback.watchlist import watchlist_add, watchlist_remove


class WatchlistView(LoginRequiredMixin, NearestPageMixin, FilterView):
    """Newest first, or as ?ordering= asks. With an ordering it does not know, FilterView
    (strict) shows no entries; the template then says why, beside the choices."""

    filterset_class = WatchlistFilter
    paginate_by = PAGE_SIZE
    template_name = "feedback/watchlist.html"

    def get_queryset(self):
        return WatchlistEntry.objects.for_page(self.request.user)


@post_action(movie_page_url)
def movie_watchlist_add(request, pk):
    movie = get_object_or_404(Movie, pk=pk)
    entry, added = watchlist_add(user=request.user, movie=movie)
    # Turned down before: wanting it now takes that back, and the message says so.
    again = " It may be suggested again." if entry.lifted_not_interested else ""
    if added:
        messages.success(request, f"“{movie.title}” is on your watchlist.{again}")
    else:
        # Sent twice, or from a page opened before: say so, and that nothing is lost.
        messages.info(request, f"“{movie.title}” was already on your watchlist.")
    return back_to(request, movie.get_absolute_url())


@post_action(movie_page_url)
def movie_watchlist_remove(request, pk):
    movie = get_object_or_404(Movie, pk=pk)
    if watchlist_remove(user=request.user, movie=movie):
        messages.success(request, f"“{movie.title}” is off your watchlist.")
    else:
        messages.info(request, f"“{movie.title}” was not on your watchlist.")
    return back_to(request, movie.get_absolute_url())
