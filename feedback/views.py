"""My library, feedback, "I watched this" and viewing history.

Everything here needs an account, and a person only ever reads or changes their own
feedback and history: every lookup of those rows is filtered by request.user, so someone
else's id is answered exactly as an id of nothing is (the same status, the same page),
never found and then refused: the answer must not tell that the id exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView
from django_filters.views import FilterView

from catalog.models import Movie
from config.actions import SAFE_METHODS, post_action
from config.pagination import NearestPageMixin
from config.redirects import next_path
from feedback import services
from feedback.filters import LibraryFilter
from feedback.forms import (
    FeedbackForm,
    NewFeedbackForm,
    StarsForm,
    ViewingForm,
    WatchedForm,
    add_service_errors,
)
from feedback.models import Media, UserFeedback, ViewingHistory, WatchlistEntry
from feedback.stats import period_filter, year_asked

PAGE_SIZE = 25
# A media page shows the latest viewings of it; the history page has them all.
MEDIA_PAGE_VIEWINGS = 25

require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


def back_to(request, default_url: str) -> HttpResponseRedirect:
    """After a write: to the form's `next` if safe, else to `default_url`. Never through
    redirect(), which would try reverse() on a `next` and answer 500 after the write."""
    return HttpResponseRedirect(next_path(request) or default_url)


def checked_media_id(media_id: str) -> str:
    # PostgreSQL refuses a NUL in a string parameter (a 500); no real id contains one.
    if "\x00" in media_id:
        raise Http404("No media item has this id.")
    return media_id


def confirm_delete_page(request, *, question: str, button: str, cancel_url: str):
    """The step before a delete, which cannot be undone: a question, the button that
    deletes and a way back (the page's `next`, else `cancel_url`)."""
    return render(
        request,
        "feedback/confirm_delete.html",
        {
            "question": question,
            "button": button,
            "cancel_url": next_path(request) or cancel_url,
            "next": next_path(request),
        },
    )


def as_said(moment) -> str:
    """A viewing's start as the messages and questions say it: 1 May 2024, 21:30."""
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def media_or_404(media_id: str) -> Media:
    return get_object_or_404(Media.objects.select_related("movie"), pk=checked_media_id(media_id))


def media_page_url(*, media_id: str) -> str:
    return reverse("feedback:media_detail", kwargs={"media_id": media_id})


def movie_page_url(*, pk: int) -> str:
    return reverse("catalog:movie_detail", kwargs={"pk": pk})


def history_page_url(**kwargs) -> str:
    return reverse("feedback:history")


def on_watchlist(user, media: Media) -> bool:
    """Whether the item's film is on the person's watchlist: read before feedback or a
    viewing is saved, which may take it off (watchlist_note)."""
    if media.movie_id is None:
        return False
    return WatchlistEntry.objects.filter(user=user, movie_id=media.movie_id).exists()


def watchlist_note(saved: UserFeedback | ViewingHistory, *, listed: bool) -> str:
    """After feedback or a viewing is saved: a sentence to add to the message, for a film
    that was on the watchlist (`listed`) before, saying whether it still is. A viewing
    not finished leaves it there (feedback.watchlist), which people may not expect.
    The service that saved it says whether it took the film off (left_watchlist): the
    list is not read again."""
    if not listed:
        return ""
    if saved.left_watchlist:
        return " It is off your watchlist now."
    return " It stays on your watchlist."


# My library


class LibraryView(LoginRequiredMixin, NearestPageMixin, FilterView):
    filterset_class = LibraryFilter
    paginate_by = PAGE_SIZE
    template_name = "feedback/library.html"

    def get_queryset(self):
        return Media.objects.library_for(self.request.user)


# The actions' addresses before they had their own (feedback/urls.py): the item's page
# address plus a suffix. Bookmarks of them reach media_detail, as ids ending so.
OLD_ACTION_SUFFIXES = {
    "/feedback/delete": "feedback:feedback_delete",
    "/feedback": "feedback:feedback_edit",
    "/watched": "feedback:media_watched",
}


def moved_action_url(request, media_id: str) -> str | None:
    """The address an old action address (library/media/<id>/feedback/) has now, with
    its query (a `next`), if <id> is an item's; else None. Any item, as the action's
    own address takes any item: the answer tells nothing the new address would not."""
    for suffix, url_name in OLD_ACTION_SUFFIXES.items():
        if media_id.endswith(suffix):
            item_id = media_id.removesuffix(suffix)
            if not Media.objects.filter(pk=checked_media_id(item_id)).exists():
                return None
            query = request.GET.urlencode(safe="/")
            url = reverse(url_name, kwargs={"media_id": item_id})
            return f"{url}?{query}" if query else url
    return None


@login_required
@require_form_methods
def media_detail(request, media_id):
    try:
        media = media_or_404(media_id)
    except Http404:
        # An item whose id ends so has its page all the same: it is found first. Never a
        # permanent redirect, which browsers keep: such an item made later would be lost.
        if request.method in SAFE_METHODS and (moved := moved_action_url(request, media_id)):
            return HttpResponseRedirect(moved)
        raise
    viewings = ViewingHistory.objects.for_user(request.user).filter(media=media)
    return render(
        request,
        "feedback/media_detail.html",
        {
            "media": media,
            "feedback": UserFeedback.objects.filter(user=request.user, media=media).first(),
            "viewings": viewings[:MEDIA_PAGE_VIEWINGS],
            "viewing_count": viewings.count(),
            "watched_url": reverse("feedback:media_watched", kwargs={"media_id": media_id}),
        },
    )


# Feedback


def record_feedback(request, form: FeedbackForm, media: Media) -> bool:
    listed = on_watchlist(request.user, media)
    try:
        feedback = services.feedback_record(user=request.user, media=media, **form.answers())
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    note = watchlist_note(feedback, listed=listed)
    messages.success(request, f"Your feedback on “{media.title}” is saved.{note}")
    return True


def feedback_page(request, *, media: Media, done_url: str):
    """The feedback form for one media item: prefilled with the person's feedback if any,
    saved through feedback_record, then back to where they came from (PRG)."""
    form = FeedbackForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid() and record_feedback(request, form, media):
        return back_to(request, done_url)
    # Read for the page alone, once any save is over: feedback_record reads it itself,
    # under the person's lock, so a save that succeeds does not read it twice.
    feedback = None
    if media.stored:
        feedback = UserFeedback.objects.filter(user=request.user, media=media).first()
    if form is None:
        form = FeedbackForm(initial=FeedbackForm.initial_for(feedback))
    return render(
        request,
        "feedback/feedback_form.html",
        {
            "form": form,
            "media": media,
            "feedback": feedback,
            "next": next_path(request),
            # Where the delete leads, as the form does: the film's page from the film's
            # form, not the item's that the delete would go to by itself.
            "delete_next": next_path(request) or done_url,
        },
    )


@login_required
@require_form_methods
def feedback_edit(request, media_id):
    media = media_or_404(media_id)
    return feedback_page(request, media=media, done_url=media.get_absolute_url())


@login_required
@require_form_methods
def movie_feedback(request, pk):
    movie = get_object_or_404(Movie, pk=pk)
    media = services.film_feedback_media(user=request.user, movie=movie)
    return feedback_page(request, media=media, done_url=movie.get_absolute_url())


@login_required
@require_form_methods
def feedback_new(request):
    if request.method == "POST":
        form = NewFeedbackForm(request.POST)
        if form.is_valid() and record_feedback(request, form, form.media):
            return back_to(request, form.media.get_absolute_url())
    else:
        form = NewFeedbackForm(initial={"media_id": request.GET.get("media_id", "")})
    return render(
        request,
        "feedback/feedback_form.html",
        {"form": form, "media": None, "next": next_path(request)},
    )


@post_action(media_page_url, own_page=True)
def feedback_delete(request, media_id):
    """A GET asks to confirm, the POST deletes. The URL names the person's own feedback
    on an item, never anyone else's: with none (a stale page, the button pressed twice)
    the answer is that it is already deleted, whoever else has feedback on the item."""
    media = media_or_404(media_id)
    feedback = UserFeedback.objects.filter(user=request.user, media=media).first()
    if feedback is None:
        messages.info(request, f"Your feedback on “{media.title}” is already deleted.")
        return back_to(request, reverse("feedback:library"))
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=f"Delete your feedback on “{media.title}”?",
            button="Delete my feedback",
            cancel_url=media.get_absolute_url(),
        )
    services.feedback_delete(feedback=feedback)
    messages.success(request, f"Your feedback on “{media.title}” is deleted.")
    return back_to(request, media.get_absolute_url())


# "I watched this"


def say_viewing_recorded(
    request, *, media: Media, viewing: ViewingHistory, outcome: services.QuickViewing, note: str
) -> None:
    """The message after "I watched this", naming the viewing by its day and time
    unless it is the click just made ("a moment ago")."""
    title = media.title
    just_now = timezone.now() - viewing.started_at <= services.QUICK_VIEWING_REPEAT_WINDOW
    when = "a moment ago" if just_now else f"on {as_said(viewing.started_at)}"
    if outcome == services.QuickViewing.ADDED:
        dated = "" if just_now else f", watched {when},"
        messages.success(request, f"“{title}”{dated} is added to your history.{note}")
    elif outcome == services.QuickViewing.CORRECTED:
        messages.success(request, f"Your viewing of “{title}” {when} is updated with this.{note}")
    elif just_now:
        # The same click sent twice: say so, or the person wonders where the second went.
        messages.info(request, f"“{title}” was already added to your history a moment ago.")
    else:
        messages.info(request, f"Your viewing of “{title}” {when} was already in your history.")


def record_viewing(request, *, media: Media, done_url: str):
    """A GET shows the form (when, how long, finished), for a link such as the
    watchlist's; its POST, or a bare "I watched this" button's, records the viewing."""
    if request.method == "POST":
        form = WatchedForm(request.POST)
        if form.is_valid():
            listed = on_watchlist(request.user, media)
            try:
                viewing, outcome = services.viewing_record_once(
                    user=request.user, media=media, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                note = watchlist_note(viewing, listed=listed)
                say_viewing_recorded(
                    request, media=media, viewing=viewing, outcome=outcome, note=note
                )
                return back_to(request, done_url)
    else:
        form = WatchedForm()
    return render(
        request,
        "feedback/watched_form.html",
        {
            "form": form,
            "media": media,
            "next": next_path(request),
            "cancel_url": next_path(request) or done_url,
        },
    )


@post_action(media_page_url, own_page=True)
def media_watched(request, media_id):
    media = media_or_404(media_id)
    return record_viewing(request, media=media, done_url=media.get_absolute_url())


@post_action(movie_page_url)
def movie_rate(request, pk):
    """One click on the film page's stars: the person's rating of the film, as the
    feedback form would save it, with their other answers (finished, would watch again)
    left as they are: feedback_record keeps what it is not given. Letterboxd and Trakt
    rate a film in one click; the form took a page and three choices."""
    movie = get_object_or_404(Movie, pk=pk)
    form = StarsForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["rating"][0])
        return back_to(request, movie.get_absolute_url())
    media = services.film_feedback_media(user=request.user, movie=movie)
    listed = on_watchlist(request.user, media)
    stars = form.cleaned_data["rating"]
    try:
        feedback = services.feedback_record(user=request.user, media=media, rating=stars)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back_to(request, movie.get_absolute_url())
    note = watchlist_note(feedback, listed=listed)
    messages.success(request, f"You rated “{movie.title}” {stars}/5.{note}")
    return back_to(request, movie.get_absolute_url())


@post_action(movie_page_url, own_page=True)
def movie_watched(request, pk):
    movie = get_object_or_404(Movie, pk=pk)
    media = services.movie_media(movie=movie)
    return record_viewing(request, media=media, done_url=movie.get_absolute_url())


# Viewing history


class HistoryView(LoginRequiredMixin, NearestPageMixin, ListView):
    """The person's viewings, newest first; `?year=` keeps a year's (the stats page links
    there), and a value that is no year is all time, as on the stats page."""

    paginate_by = PAGE_SIZE
    template_name = "feedback/history.html"
    context_object_name = "viewings"

    def get_queryset(self):
        self.year = year_asked(self.request.GET.get("year"))
        viewings = ViewingHistory.objects.for_history(self.request.user)
        return viewings.filter(period_filter("started_at", self.year))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"year": self.year}


def viewing_already_deleted(request) -> HttpResponseRedirect:
    messages.info(request, "That viewing is already deleted.")
    return back_to(request, reverse("feedback:history"))


@login_required
@require_form_methods
def history_edit(request, pk):
    viewing = get_object_or_404(ViewingHistory.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        form = ViewingForm(request.POST, viewing=viewing)
        if form.is_valid():
            listed = on_watchlist(request.user, viewing.media)
            try:
                services.viewing_update(viewing=viewing, **form.changes())
            except ViewingHistory.DoesNotExist:
                # Deleted in another tab since this read it: as a delete sent twice is.
                return viewing_already_deleted(request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                note = watchlist_note(viewing, listed=listed)
                title = viewing.media.title
                messages.success(request, f"Your viewing of “{title}” is saved.{note}")
                return back_to(request, reverse("feedback:history"))
    else:
        form = ViewingForm(viewing=viewing)
    return render(
        request,
        "feedback/history_form.html",
        {"form": form, "viewing": viewing, "next": next_path(request)},
    )


@post_action(history_page_url, own_page=True)
def history_delete(request, pk):
    """A GET asks to confirm, the POST deletes. A viewing not in the person's history (a
    stale page, the button pressed twice) is said to be already deleted; someone else's
    is answered the same, and left alone: a 404 for it alone would tell its id exists."""
    viewing = ViewingHistory.objects.for_user(request.user).filter(pk=pk).first()
    if viewing is None:
        return viewing_already_deleted(request)
    title = viewing.media.title
    if request.method != "POST":
        when = as_said(viewing.started_at)
        return confirm_delete_page(
            request,
            question=f"Delete this viewing of “{title}” on {when}?",
            button="Delete this viewing",
            cancel_url=reverse("feedback:history"),
        )
    services.viewing_delete(viewing=viewing)
    messages.success(request, f"Your viewing of “{title}” is deleted.")
    return back_to(request, reverse("feedback:history"))
