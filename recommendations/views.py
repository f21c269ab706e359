"""Tonight's slate, another slate, choosing a pick, and the slates already shown.

Opening the page never logs a slate twice: it shows the latest slate of today that
nothing was chosen from, and only when there is none does it ask the engine for one.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from recommendations.models import RecommendationLog, RecommendationType
from recommendations.services import recommendation_select, slate_for_user

SLATES_PER_PAGE = 10
SLOT_ORDER = {slot: index for index, slot in enumerate(RecommendationType.values)}


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


def tonight_slate_id(user):
    """Today's latest slate that nothing was chosen from, or a new one (logged)."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    latest = (
        RecommendationLog.objects.for_user(user)
        .filter(timestamp__gte=midnight)
        .slate_summaries()
        .filter(picks_selected=0)
        .first()
    )
    if latest is not None:
        return latest["slate_id"]
    return slate_for_user(user).slate_id


class TonightView(LoginRequiredMixin, TemplateView):
    template_name = "recommendations/tonight.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        current = tonight_slate_id(user)
        history = Paginator(
            RecommendationLog.objects.for_user(user).exclude(slate_id=current).slate_summaries(),
            SLATES_PER_PAGE,
        ).get_page(self.request.GET.get("page"))
        shown = [row["slate_id"] for row in history]
        picks = slates(user, [current, *shown] if current else shown)
        context.update(
            tonight=picks.get(current, []),
            page_obj=history,
            past_slates=[
                ShownSlate(row["slate_id"], row["shown_at"], picks.get(row["slate_id"], []))
                for row in history
            ],
        )
        return context


@login_required
@require_POST
def select_pick(request, log_id: int):
    try:
        row = recommendation_select(user=request.user, log_id=log_id)
    except PermissionDenied:
        raise Http404("No such recommendation.") from None
    messages.success(
        request, f"Enjoy {row.media.title}! Tell us how it was once you have watched it."
    )
    return redirect(row.media.get_absolute_url())


@login_required
@require_POST
def another_slate(request):
    slate = slate_for_user(request.user)
    if slate.picks:
        messages.info(request, "Here is another slate, with none of the films you were just shown.")
    else:
        messages.warning(request, "There is nothing new to suggest right now.")
    return redirect("recommendations:tonight")
