"""Members' reviews: a film's, a person's own, and writing, editing or deleting one.

Anyone may read them; writing needs an account. A person only changes their own review:
the delete looks it up among theirs, so someone else's review (or an imported one) is
answered as an id of nothing is, "already deleted", which never tells that it exists. The
forms are plain HTML posts (no JavaScript): a valid one redirects to the film's page,
an invalid one is shown again with its errors and the text as typed.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.generic import ListView

from catalog.models import (
    MEMBER_REVIEW_BLANK_MESSAGE,
    MEMBER_REVIEW_MAX_LENGTH,
    MEMBER_REVIEW_TOO_LONG_MESSAGE,
    Movie,
    Review,
)
from catalog.reviews import review_delete, review_save
from config.actions import post_action
from config.form_fields import TextareaField
from config.pagination import NearestPageMixin
from feedback.forms import add_service_errors
from feedback.views import back_to, confirm_delete_page, movie_page_url

# The film's page shows the newest few; the film's reviews page has them all.
REVIEWS_ON_FILM_PAGE = 5
MEMBER_REVIEWS_PER_PAGE = 25


class ReviewForm(forms.Form):
    # The model's own words, so that the form and the database say the same thing.
    text = TextareaField(
        label="Your review",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MEMBER_REVIEW_MAX_LENGTH,
        error_messages={
            "required": MEMBER_REVIEW_BLANK_MESSAGE,
            "max_length": MEMBER_REVIEW_TOO_LONG_MESSAGE,
        },
    )
    contains_spoilers = forms.BooleanField(
        label="Contains spoilers",
        required=False,
        help_text="Readers then see it only if they open it.",
    )

    @staticmethod
    def initial_for(review: Review | None) -> dict:
        if review is None:
            return {}
        return {"text": review.text, "contains_spoilers": review.contains_spoilers}


def my_reviews_url(**kwargs) -> str:
    return reverse("catalog:my_reviews")


@post_action(movie_page_url, own_page=True)
def movie_review(request, pk):
    """The person's review of the film: a GET shows the form (their review in it, if they
    wrote one), a POST writes or edits it."""
    movie = get_object_or_404(Movie, pk=pk)
    review = Review.objects.filter(user=request.user, movie=movie).first()
    form = ReviewForm(initial=ReviewForm.initial_for(review))
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                review, created = review_save(user=request.user, movie=movie, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                said = "posted" if created else "saved"
                # Reviewing a film says you saw it (catalog.reviews): said, as feedback's
                # message says it, since nothing on the review's form warned of it.
                off = " It is off your watchlist now." if review.left_watchlist else ""
                messages.success(request, f"Your review of “{movie.title}” is {said}.{off}")
                return back_to(request, movie.get_absolute_url() + "#members-reviews")
    return render(
        request,
        "catalog/review_form.html",
        {"movie": movie, "review": review, "form": form},
        status=400 if form.errors else 200,
    )


@post_action(my_reviews_url, own_page=True)
def review_delete_view(request, pk):
    """A GET asks to confirm, the POST deletes. A review not among the person's (a stale
    page, the button pressed twice) is said to be already deleted; someone else's is
    answered the same, and left alone: a 404 for it alone would tell its id exists."""
    review = Review.objects.select_related("movie").filter(pk=pk, user=request.user).first()
    if review is None:
        messages.info(request, "That review is already deleted.")
        return back_to(request, my_reviews_url())
    movie = review.movie
    if request.method != "POST":
        return confirm_delete_page(
            request,
            question=f"Delete your review of “{movie.title}”?",
            button="Delete my review",
            cancel_url=movie.get_absolute_url(),
        )
    review_delete(user=request.user, review=review)
    messages.success(request, f"Your review of “{movie.title}” is deleted.")
    return back_to(request, movie.get_absolute_url())


class MovieReviewsView(NearestPageMixin, ListView):
    """Every member's review of a film, newest first."""

    paginate_by = MEMBER_REVIEWS_PER_PAGE
    template_name = "catalog/movie_reviews.html"

    def get(self, request, *args, **kwargs):
        self.movie = get_object_or_404(Movie, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Review.objects.by_members().filter(movie=self.movie)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"movie": self.movie}


class MyReviewsView(LoginRequiredMixin, NearestPageMixin, ListView):
    """The person's own reviews, newest first."""

    paginate_by = MEMBER_REVIEWS_PER_PAGE
    template_name = "catalog/my_reviews.html"

    def get_queryset(self):
        return Review.objects.of_user(self.request.user)
