"""Tonight's slate, another slate, choosing a pick, and the slates already shown.

The page shows the person's current slate, chosen pick included, until they ask for
another or it goes stale (`services.current_slate_id`): reloading it writes nothing, and
a slate is logged once, when it is made. A HEAD request shows nothing, so it never makes
one.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from catalog.importers.uploads import may_import_films
from catalog.models import Movie
from config.actions import post_action
from config.pagination import NearestPagePaginator
from feedback.models import NotInterested
from recommendations.models import MoviePrior, RecommendationLog, RecommendationType
from recommendations.services import (
    PickTurnedDown,
    another_slate_for,
    current_slate_id,
    recommendation_select,
)

SLATES_PER_PAGE = 10
SLOT_ORDER = {slot: index for index, slot in enumerate(RecommendationType.values)}
# What each slot offers, for the line above the slate.
SLOT_PROMISES = {
    RecommendationType.PRIMARY: "the best match",
    RecommendationType.BACKUP: "a real alternative",
    RecommendationType.WILDCARD: "something different",
}
PICK_COUNTS = {1: "One pick", 2: "Two picks", 3: "Three picks"}


@dataclass
class ShownSlate:
    slate_id: object
    shown_at: object
    picks: list[RecommendationLog]

    @property
    def chosen(self) -> RecommendationLog | None:
        return next((pick for pick in self.picks if pick.selected), None)


def slates(user, slate_ids) -> dict:
    """The picks of these slates, in slot order, in one query."""
    found: dict = {}
    for row in RecommendationLog.objects.for_user(user).in_slates(slate_ids):
        found.setdefault(row.slate_id, []).append(row)
    for picks in found.values():
        picks.sort(key=lambda row: SLOT_ORDER.get(row.recommendation_type, 99))
    return found


def slate_promise(picks: list[RecommendationLog]) -> str:
    """The line above the slate, naming the picks it shows: a small catalog may fill only
    the primary, or two slots ("Two picks for you: the best match and something
    different.")."""
    promises = [SLOT_PROMISES[pick.recommendation_type] for pick in picks]
    if len(promises) > 2:
        listed = ", ".join(promises[:-1]) + ", and " + promises[-1]
    else:
        listed = " and ".join(promises)
    return f"{PICK_COUNTS[len(picks)]} for you: {listed}."


def why_nothing(user) -> str:
    """Why there is no slate: "no films" in the catalog, the person has "seen all" of
    them, some they have not seen are "not learnt" (no prior, yet older than the newest
    learnt: the popularity pools skip them until build_similarities runs again), or the
    films left are all "turned away" (films the person gave up on, disliked or turned
    down, or of a series they gave up on or disliked, which the engine never offers).
    Films added since the last build are no excuse: they compete on their popularity
    (engine/sources.py). Three queries at most, only when there is no slate."""
    films = Movie.objects.order_by()
    if not films.exists():
        return "no films"
    # Seen as the engine counts it, as the film lists do (?seen=unseen): a rating of the
    # person's included (catalog.querysets.films_seen_or_rated_by).
    unseen = films.seen_by(user, seen=False)
    if not unseen.exists():
        return "seen all"
    newest_learnt = MoviePrior.objects.order_by("-movie_id").values("movie_id")[:1]
    unlearnt = unseen.exclude(Exists(MoviePrior.objects.filter(movie_id=OuterRef("pk"))))
    if unlearnt.filter(pk__lt=Subquery(newest_learnt)).exists():
        return "not learnt"
    return "turned away"


def just_turned_down(user, movie_id: str | None) -> NotInterested | None:
    """The person's row for the film they just turned down on this page ("Not interested"
    comes back with ?turned_down=), whose undo the page offers; None when there is none:
    no such film, not theirs, taken back since, or no number at all. One query, only when
    asked."""
    if not movie_id or not (movie_id.isascii() and movie_id.isdigit()) or len(movie_id) > 18:
        return None
    return NotInterested.objects.for_user(user).filter(movie_id=int(movie_id)).first()


def tonight_url(**kwargs) -> str:
    return reverse("recommendations:tonight")


class TonightView(LoginRequiredMixin, TemplateView):
    template_name = "recommendations/tonight.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        current = current_slate_id(user, create=self.request.method != "HEAD")
        history = NearestPagePaginator(
            RecommendationLog.objects.for_user(user).exclude(slate_id=current).slate_summaries(),
            SLATES_PER_PAGE,
        ).get_page(self.request.GET.get("page"))
        shown = [row["slate_id"] for row in history]
        picks = slates(user, [current, *shown] if current else shown)
        tonight = ShownSlate(current, None, picks.get(current, []))
        nothing = None if tonight.picks else why_nothing(user)
        context.update(
            turned_down=just_turned_down(user, self.request.GET.get("turned_down")),
            tonight=tonight.picks,
            promise=slate_promise(tonight.picks) if tonight.picks else "",
            chosen=tonight.chosen,
            nothing=nothing,
            # The permissions are read only when the page offers the import.
            may_import_films=bool(nothing) and user.is_staff and may_import_films(user),
            page_obj=history,
            past_slates=[
                ShownSlate(row["slate_id"], row["shown_at"], picks.get(row["slate_id"], []))
                for row in history
            ],
        )
        return context


@post_action(tonight_url)
def select_pick(request, log_id: int):
    try:
        row = recommendation_select(user=request.user, log_id=log_id)
    except PermissionDenied:
        raise Http404("No such recommendation.") from None
    except PickTurnedDown as refused:
        # "Watch this" from a tab opened before "Not interested": back to Tonight, which
        # offers to undo it (?turned_down=), rather than a choice that does not count.
        movie = refused.row.media.movie
        messages.warning(
            request,
            f"“{movie.title}” was not picked: you turned it down. "
            "To have it suggested again, undo that below.",
        )
        return redirect(f"{tonight_url()}?turned_down={movie.pk}")
    messages.success(
        request, f"Enjoy {row.media.title}! Tell us how it was once you have watched it."
    )
    # The film's page: it has "I watched this" and "Rate / give feedback", where the item's
    # page shows ids. An item whose film was deleted since has only its own page.
    film = row.media.movie if row.media.movie_id else row.media
    return redirect(film.get_absolute_url())


@post_action(tonight_url)
def another_slate(request):
    slate = another_slate_for(request.user)
    if slate.repeats:
        messages.info(
            request,
            "Here is another slate. You have been offered everything else we would suggest, "
            "so films come back, those shown longest ago first.",
        )
    elif slate.picks:
        messages.info(request, "Here is another slate, with none of the films you were just shown.")
    else:
        messages.warning(request, "There is nothing new to suggest right now.")
    return redirect("recommendations:tonight")
