"""Your stats: the person's own figures, never anyone else's (no user id in the URL)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from feedback.stats import stats_for, year_asked


@login_required
@require_safe
def stats(request):
    """All time, or the ?year= asked for. A value that is no year a viewing can have
    ("abc", "0", "99999") shows all time and says so, rather than a 404 or a 500: the
    value comes from links people keep and edit, as ?page= does (config.pagination)."""
    asked = request.GET.get("year", "")
    year = year_asked(asked)
    if asked and year is None:
        messages.info(request, "That is not a year with viewings to count: here is all time.")
    return render(
        request, "feedback/stats.html", {"stats": stats_for(user=request.user, year=year)}
    )
