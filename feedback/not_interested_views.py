"""Turning a film down ("Not interested", from Tonight or the film's page), taking it
back, and the page of the films turned down.

Keyed by the film, for the person asking: a person only reads or changes their own rows,
every lookup being filtered by request.user. Tonight's button sends `next` back to
Tonight with the film (?turned_down=), where the page offers to undo it; the undo is a
POST too, and works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from catalog.models import Movie
from config.actions import post_action
from config.pagination import NearestPageMixin
from feedback.models import NotInterested
from feedback.not_interested import not_interested_add, not_interested_remove
from feedback.views import PAGE_SIZE, back_to, movie_page_url


class NotInterestedListView(LoginRequiredMixin, NearestPageMixin, ListView):
    """The films the person turned down, newest first, each with "Suggest again"."""

    paginate_by = PAGE_SIZE
    template_name = "feedback/not_interested.html"

    def get_queryset(self):
        return NotInterested.objects.for_user(self.request.user)


@post_action(movie_page_url)
def movie_not_interested(request, pk):
    movie = get_object_or_404(Movie, pk=pk)
    turned_down = not_interested_add(user=request.user, movie=movie)
    off = " It is off your watchlist now." if turned_down.left_watchlist else ""
    messages.success(request, f"“{movie.title}” won’t be suggested again.{off}")
    return back_to(request, movie.get_absolute_url())


@post_action(movie_page_url)
def movie_not_interested_undo(request, pk):
    movie = get_object_or_404(Movie, pk=pk)
    if not_interested_remove(user=request.user, movie=movie):
        messages.success(request, f"“{movie.title}” may be suggested again.")
    else:
        # Sent twice, or from a page opened before: nothing was turned down.
        messages.info(request, f"“{movie.title}” was not turned down.")
    return back_to(request, movie.get_absolute_url())
