"""A person's lists of films: "Your lists", each list's page, its films found and added,
moved, removed and noted, and "Add to a list" from a film's page.

As for the watchlist, a person reads and changes only their own lists: every lookup goes
through FilmList.objects.for_user(request.user), so another person's list id is
answered as an id of nothing is, and nothing of theirs is read or changed. That is a
404, but for a list deleted or a film removed (a stale page, the button pressed twice):
those say it is done already, as a viewing's delete does. So does a write that finds
the list deleted, or the film taken off, after this page read it (another tab at the same
moment): the writes, feedback/film_lists.py, raise DoesNotExist then.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import ListView

from catalog.bounds import BIGINT_MAX
from catalog.models import Movie
from config.actions import post_action
from config.pagination import NearestPageMixin, NearestPagePaginator
from feedback.film_list_forms import AddToListForm, FilmListForm, FindFilmForm, MoveForm, NoteForm
from feedback.film_lists import (
    film_list_create,
    film_list_delete,
    film_list_entry_add,
    film_list_entry_move,
    film_list_entry_note_save,
    film_list_entry_remove,
    film_list_update,
)
from feedback.forms import add_service_errors
from feedback.models import FilmList, FilmListEntry
from feedback.views import (
    PAGE_SIZE,
    back_to,
    confirm_delete_page,
    movie_page_url,
    require_form_methods,
)

# "Your lists" names a list's first few films, as Letterboxd's list cards show posters.
FIRST_FILMS = 3
# A list's page shows its films a hundred at a time, as Letterboxd's do: a ranking reads
# in long runs, and an imported list of thousands of films still answers quickly.
FILMS_PER_LIST_PAGE = 100
# The films a list page's "Add a film" offers: the best matches, as the search ranks them.
FILMS_FOUND = 10

LIST_ALREADY_DELETED = "That list is already deleted."
NOT_MOVED = "That film is no longer on your list “{name}”: nothing was moved."
NOTE_NOT_SAVED = "That film is no longer on your list “{name}”: the note is not saved."


def film_lists_page_url(**kwargs) -> str:
    return reverse("feedback:film_lists")


def film_list_page_url(*, pk: int, **kwargs) -> str:
    return reverse("feedback:film_list", kwargs={"pk": pk})


def own_list_or_404(request, pk: int) -> FilmList:
    return get_object_or_404(FilmList.objects.for_user(request.user), pk=pk)


def own_list(request, pk: int) -> FilmList | None:
    return FilmList.objects.for_user(request.user).filter(pk=pk).first()


def own_entry(request, pk: int, movie_pk: int) -> FilmListEntry | None:
    # A foreign key's lookup takes no number past the database's integers (an
    # OverflowError, a 500) where a primary key's finds nothing: no row has such an id.
    if max(pk, movie_pk) > BIGINT_MAX:
        return None
    lists = FilmList.objects.for_user(request.user)
    entries = FilmListEntry.objects.select_related("film_list", "movie")
    return entries.filter(film_list__in=lists, film_list_id=pk, movie_id=movie_pk).first()


def list_already_deleted(request):
    messages.info(request, LIST_ALREADY_DELETED)
    return redirect("feedback:film_lists")


def entry_gone(request, pk: int, *, said: str):
    """The answer to a change to a film no longer on one of the person's lists (a stale
    page, another tab): the list deleted, or the film taken off it. `said` is the message,
    with the list's name as {name}."""
    film_list = own_list(request, pk)
    if film_list is None:
        return list_already_deleted(request)
    messages.info(request, said.format(name=film_list.name))
    return back_to(request, film_list.get_absolute_url())


def film_to_start_with(value) -> Movie | None:
    """The film an id sent names: the one a new list is made with, from a film's page
    (?film=ID), or the one "Add a film" found. None for no film, or for anything that
    names none (a word, a number no id reaches)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return Movie.objects.filter(pk=pk).first() if 0 < pk <= BIGINT_MAX else None


class FilmListsView(LoginRequiredMixin, NearestPageMixin, ListView):
    """The person's lists, the latest changed first, and the form that makes a new one.
    Its POST makes the list; a name refused shows the page again with the error.

    Reached from a film's page ("Make a list with this film", ?film=ID), the form makes
    the list with that film on it and goes back to the film, as Letterboxd's "New list"
    from a film does."""

    paginate_by = PAGE_SIZE
    template_name = "feedback/film_lists.html"

    def get_queryset(self):
        return FilmList.objects.for_page(self.request.user, first_films=FIRST_FILMS)

    def get_context_data(self, **kwargs):
        if "film" not in kwargs:  # a GET: the address's film; a POST passes the one sent
            kwargs["film"] = film_to_start_with(self.request.GET.get("film"))
        return super().get_context_data(**kwargs) | {"form": kwargs.get("form", FilmListForm())}

    def post(self, request, *args, **kwargs):
        form = FilmListForm(request.POST)
        film = film_to_start_with(request.POST.get("film"))
        if form.is_valid():
            try:
                film_list = self.list_made(form.cleaned_data, film)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if film is None:
                    messages.success(request, f"Your list “{film_list.name}” is made.")
                    return redirect(film_list)
                messages.success(
                    request, f"Your list “{film_list.name}” is made, with “{film.title}” on it."
                )
                return redirect(film)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form, film=film))

    def list_made(self, answers: dict, film: Movie | None) -> FilmList:
        if film is None:
            return film_list_create(user=self.request.user, **answers)
        with transaction.atomic():  # the list with its first film, or neither
            film_list = film_list_create(user=self.request.user, **answers)
            film_list_entry_add(film_list=film_list, movie=film)
        return film_list


@login_required
@require_form_methods
def film_list_detail(request, pk):
    """A list's films in order, with their controls; its POST edits name and description."""
    film_list = own_list_or_404(request, pk)
    if request.method == "POST":
        form = FilmListForm(request.POST)
        if form.is_valid():
            try:
                film_list_update(film_list=film_list, **form.cleaned_data)
            except FilmList.DoesNotExist:
                return list_already_deleted(request)
            except ValidationError as error:
                add_service_errors(form, error)
                film_list.refresh_from_db()  # the heading keeps the name it has
            else:
                messages.success(request, f"Your list “{film_list.name}” is saved.")
                return redirect(film_list)
    else:
        form = FilmListForm(initial=FilmListForm.initial_for(film_list))
    paginator = NearestPagePaginator(FilmListEntry.objects.in_order(film_list), FILMS_PER_LIST_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    find_form = FindFilmForm(request.GET)
    return render(
        request,
        "feedback/film_list.html",
        {
            "film_list": film_list,
            "page_obj": page_obj,
            "entries": page_obj.object_list,
            "form": form,
            "find_form": find_form,
            "films_found": films_found(film_list, find_form),
        },
    )


def films_found(film_list: FilmList, find_form: FindFilmForm) -> list[Movie] | None:
    """The films "Add a film" found, best match first, each marked `on_list`; None when
    nothing (or nothing valid: the form says why) was asked."""
    if not find_form.is_valid() or not find_form.cleaned_data["find"]:
        return None
    on_list = FilmListEntry.objects.filter(film_list=film_list, movie=OuterRef("pk"))
    found = Movie.objects.search(find_form.cleaned_data["find"])
    return list(found.annotate(on_list=Exists(on_list))[:FILMS_FOUND])


@post_action(film_lists_page_url, own_page=True)
def film_list_delete_view(request, pk):
    """A GET asks to confirm, the POST deletes the list and its entries, not the films.
    A list not among the person's (the button pressed twice, the back button) is said to
    be already deleted; someone else's is answered the same, and left alone."""
    film_list = own_list(request, pk)
    if film_list is None:
        return list_already_deleted(request)
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=f"Delete your list “{film_list.name}”?",
            button="Delete this list",
            cancel_url=film_list.get_absolute_url(),
        )
    try:
        film_list_delete(film_list=film_list)
    except FilmList.DoesNotExist:  # the same button in another tab, at the same moment
        return list_already_deleted(request)
    messages.success(request, f"Your list “{film_list.name}” is deleted.")
    return redirect("feedback:film_lists")


@post_action(film_list_page_url)
def film_list_move(request, pk, movie_pk):
    entry = own_entry(request, pk, movie_pk)
    if entry is None:
        return entry_gone(request, pk, said=NOT_MOVED)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            place = film_list_entry_move(entry=entry, to_position=form.cleaned_data["position"])
        except (FilmList.DoesNotExist, FilmListEntry.DoesNotExist):
            return entry_gone(request, pk, said=NOT_MOVED)
        messages.success(
            request,
            f"“{entry.movie.title}” is number {place} on your list “{entry.film_list.name}”.",
        )
    else:
        messages.error(request, "That is not a place on the list; nothing was moved.")
    return back_to(request, entry.film_list.get_absolute_url())


@post_action(film_list_page_url)
def film_list_remove(request, pk, movie_pk):
    """A film not on the list any more (the button pressed twice, a stale page) is said to
    be off it already; a list not among the person's, to be deleted already. Moving it and
    saving its note answer the same way."""
    entry = own_entry(request, pk, movie_pk)
    if entry is None or not entry_removed(entry):
        return entry_gone(request, pk, said="That film is already off your list “{name}”.")
    messages.success(request, f"“{entry.movie.title}” is off your list “{entry.film_list.name}”.")
    return back_to(request, entry.film_list.get_absolute_url())


def entry_removed(entry: FilmListEntry) -> bool:
    """Whether this took the film off: not if it was gone, or its list, once the remove
    had its turn (another tab at the same moment)."""
    try:
        return film_list_entry_remove(entry=entry)
    except FilmList.DoesNotExist:
        return False


@post_action(film_list_page_url)
def film_list_note(request, pk, movie_pk):
    entry = own_entry(request, pk, movie_pk)
    if entry is None:
        return entry_gone(request, pk, said=NOTE_NOT_SAVED)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            film_list_entry_note_save(entry=entry, note=form.cleaned_data["note"])
        except (FilmList.DoesNotExist, FilmListEntry.DoesNotExist):
            return entry_gone(request, pk, said=NOTE_NOT_SAVED)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        # The note typed is lost with the redirect; the message says why, and the note
        # saved before stays.
        problem = next(iter(form.errors.values()))[0]
        messages.error(request, f"The note on “{entry.movie.title}” is not saved: {problem}")
    else:
        messages.success(request, f"The note on “{entry.movie.title}” is saved.")
    return back_to(request, entry.film_list.get_absolute_url())


@post_action(film_list_page_url)
def film_list_add(request, pk):
    """A list page's "Add a film": the film its search found, put at the list's end. A
    film that is none (a stale page, an id typed) adds nothing, and says so."""
    film_list = own_list(request, pk)
    if film_list is None:
        return list_already_deleted(request)
    movie = film_to_start_with(request.POST.get("film"))
    if movie is None:
        messages.error(request, "That film is not in the catalog: nothing was added.")
    else:
        try:
            _, added = film_list_entry_add(film_list=film_list, movie=movie)
        except FilmList.DoesNotExist:  # deleted in another tab since this page was read
            return list_already_deleted(request)
        say_film_added(request, movie=movie, film_list=film_list, added=added)
    return back_to(request, film_list.get_absolute_url())


@post_action(movie_page_url)
def movie_film_list_add(request, pk):
    movie = get_object_or_404(Movie, pk=pk)
    form = AddToListForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["film_list"][0])
        return back_to(request, movie.get_absolute_url())
    film_list = form.cleaned_data["film_list"]
    try:
        _, added = film_list_entry_add(film_list=film_list, movie=movie)
    except FilmList.DoesNotExist:  # deleted in another tab since the form chose it
        messages.info(request, LIST_ALREADY_DELETED)
        return back_to(request, movie.get_absolute_url())
    say_film_added(request, movie=movie, film_list=film_list, added=added)
    return back_to(request, movie.get_absolute_url())


def say_film_added(request, *, movie: Movie, film_list: FilmList, added: bool) -> None:
    if added:
        messages.success(request, f"“{movie.title}” is on your list “{film_list.name}”.")
    else:
        messages.info(request, f"“{movie.title}” was already on your list “{film_list.name}”.")
