"""Members' own reviews: the rules of the model (validation and the database alike) and
the writes in catalog/reviews.py."""

import datetime as dt
import sys

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from catalog.models import (
    EDITED_BEFORE_POSTED_MESSAGE,
    MEMBER_REVIEW_BLANK_MESSAGE,
    MEMBER_REVIEW_MAX_LENGTH,
    MEMBER_REVIEW_TOO_LONG_MESSAGE,
    ONE_REVIEW_PER_FILM_MESSAGE,
    STRIPPED_WHITESPACE,
    Review,
    ReviewSource,
)
from catalog.reviews import review_delete, review_save
from tests.catalog.test_constraints import messages_of, review_row
from tests.conftest import assert_refused_by_database, raw_insert
from tests.factories import MovieFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def member_row(movie, user, **overrides):
    return review_row(movie, **({"source": "user", "user_id": user.pk} | overrides))


def test_one_review_per_member_per_film(user):
    review = ReviewFactory(member=True, user=user)
    with pytest.raises(ValidationError) as excinfo:
        ReviewFactory.build(member=True, user=user, movie=review.movie).full_clean()
    assert ONE_REVIEW_PER_FILM_MESSAGE in messages_of(excinfo)
    assert_refused_by_database("catalog_review", **member_row(review.movie, user))


def test_imported_reviews_of_a_film_are_many():
    movie = MovieFactory()
    raw_insert("catalog_review", **review_row(movie))
    raw_insert("catalog_review", **review_row(movie))
    assert Review.objects.filter(movie=movie).count() == 2


# Whitespace the form strips: ASCII's, a no-break space, the ideographic space, a line
# separator.
@pytest.mark.parametrize("text", ["", "   ", "\n\r\n\t ", "\x0b\x0c", "\xa0\u3000\u2028"])
def test_a_members_review_is_not_blank(user, text):
    movie = MovieFactory()
    with pytest.raises(ValidationError) as excinfo:
        ReviewFactory.build(member=True, user=user, movie=movie, text=text).full_clean()
    assert excinfo.value.message_dict["text"] == [
        "This field cannot be blank." if not text else MEMBER_REVIEW_BLANK_MESSAGE
    ]
    assert_refused_by_database("catalog_review", **member_row(movie, user, text=text))


def test_the_database_calls_blank_what_the_form_strips():
    """The CHECK takes out the characters str.strip() takes out (the form's and
    review_save's), and no others: every one of them, and only them."""
    assert set(STRIPPED_WHITESPACE) == {
        c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()
    }


def test_a_members_review_may_hold_whitespace_within(user):
    movie = MovieFactory()
    raw_insert("catalog_review", **member_row(movie, user, text="\tTwo\r\nlines\u3000."))
    assert Review.objects.get(user=user).text == "\tTwo\r\nlines\u3000."


def test_the_database_refuses_a_blank_review_in_the_form_s_words(user):
    blank = ReviewFactory.build(member=True, user=user, movie=MovieFactory(), text="\n\t")
    with pytest.raises(ValidationError) as excinfo:
        blank.validate_constraints()
    assert excinfo.value.messages == [MEMBER_REVIEW_BLANK_MESSAGE]


def test_a_members_review_has_a_length_limit(user):
    movie = MovieFactory()
    longest = "a" * MEMBER_REVIEW_MAX_LENGTH
    ReviewFactory.build(member=True, user=user, movie=movie, text=longest).full_clean()
    with pytest.raises(ValidationError) as excinfo:
        ReviewFactory.build(member=True, user=user, movie=movie, text=longest + "a").full_clean()
    assert excinfo.value.message_dict["text"] == [MEMBER_REVIEW_TOO_LONG_MESSAGE]
    assert_refused_by_database("catalog_review", **member_row(movie, user, text=longest + "a"))


def test_an_imported_review_may_be_long():
    ReviewFactory(text="a" * (MEMBER_REVIEW_MAX_LENGTH + 1)).full_clean()


def test_a_members_review_has_the_source_marquee_user(user):
    with pytest.raises(ValidationError):
        ReviewFactory.build(member=True, user=user, source=ReviewSource.CRITIC).full_clean()
    movie = MovieFactory()
    assert_refused_by_database("catalog_review", **member_row(movie, user, source="critic"))


def test_a_review_is_not_edited_before_it_was_posted(user):
    movie = MovieFactory()
    posted_at = timezone.now() - dt.timedelta(days=3)
    early = posted_at - dt.timedelta(seconds=1)
    review = ReviewFactory.build(member=True, user=user, movie=movie, posted_at=posted_at)
    for edited_at in (None, posted_at, posted_at + dt.timedelta(days=1)):
        review.edited_at = edited_at
        review.full_clean()
    review.edited_at = early
    with pytest.raises(ValidationError) as excinfo:
        review.full_clean()
    assert excinfo.value.message_dict == {"edited_at": [EDITED_BEFORE_POSTED_MESSAGE]}
    # The database says the same; clean() states its rule, and Django need not ask it.
    check = next(c for c in Review._meta.constraints if c.name.endswith("edited_after_posted"))
    assert check.violation_error_message == EDITED_BEFORE_POSTED_MESSAGE
    row = member_row(movie, user, posted_at=posted_at, edited_at=early)
    assert_refused_by_database("catalog_review", **row)


def test_review_save_refuses_a_restore_edited_before_it_was_posted(user):
    movie = MovieFactory()
    posted_at = timezone.now() - dt.timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        review_save(
            user=user,
            movie=movie,
            text="Restored.",
            contains_spoilers=False,
            posted_at=posted_at,
            edited_at=posted_at - dt.timedelta(days=1),
        )
    assert excinfo.value.message_dict == {"edited_at": [EDITED_BEFORE_POSTED_MESSAGE]}
    assert not Review.objects.exists()


def test_an_edit_is_never_dated_before_a_posting_in_the_clock_s_leeway(user):
    """A restored review may be posted up to a day ahead (a clock or time zone off): an
    edit on the site then is dated at its posting, not refused."""
    movie = MovieFactory()
    ahead = timezone.now() + dt.timedelta(hours=12)
    review_save(user=user, movie=movie, text="First.", contains_spoilers=False, posted_at=ahead)
    review, _ = review_save(user=user, movie=movie, text="Second.", contains_spoilers=False)
    review.refresh_from_db()
    assert review.edited_at == review.posted_at == ahead


def test_review_save_writes_then_edits(user):
    movie = MovieFactory()
    review, created = review_save(
        user=user, movie=movie, text="  A wonderful, moving film.\n", contains_spoilers=False
    )
    assert created
    assert review.text == "A wonderful, moving film."
    assert review.source == ReviewSource.USER
    assert review.posted_at is not None
    assert review.edited_at is None
    # Scored as imported tweets are.
    assert review.sentiment_label == "positive"
    assert review.sentiment_score > 0

    posted_at = review.posted_at
    edited, created = review_save(
        user=user, movie=movie, text="Awful. The ending is terrible.", contains_spoilers=True
    )
    assert not created
    assert edited.pk == review.pk
    edited.refresh_from_db()
    assert edited.posted_at == posted_at
    assert edited.edited_at is not None
    assert edited.contains_spoilers
    assert edited.sentiment_label == "negative"
    assert Review.objects.filter(user=user).count() == 1


def test_review_save_unchanged_is_no_edit(user):
    movie = MovieFactory()
    review_save(user=user, movie=movie, text="Fine.", contains_spoilers=False)
    review, created = review_save(user=user, movie=movie, text="Fine.", contains_spoilers=False)
    review.refresh_from_db()
    assert not created
    assert review.edited_at is None


def test_review_save_reads_line_breaks_alike(user):
    """CRLF (a browser's form), CR and LF are one line break: a review sent again with
    other line breaks than it was written with is no edit, and keeps its text as it was."""
    movie = MovieFactory()
    review_save(user=user, movie=movie, text="One.\nTwo.\nThree.", contains_spoilers=False)
    review, created = review_save(
        user=user, movie=movie, text="One.\r\nTwo.\rThree.", contains_spoilers=False
    )
    review.refresh_from_db()
    assert not created
    assert (review.text, review.edited_at) == ("One.\nTwo.\nThree.", None)


def test_review_save_refuses_blank_text_and_keeps_the_review(user):
    movie = MovieFactory()
    review_save(user=user, movie=movie, text="Kept.", contains_spoilers=False)
    with pytest.raises(ValidationError) as excinfo:
        review_save(user=user, movie=movie, text=" \n\t ", contains_spoilers=True)
    assert MEMBER_REVIEW_BLANK_MESSAGE in messages_of(excinfo) or "blank" in messages_of(excinfo)
    review = Review.objects.get(user=user, movie=movie)
    assert (review.text, review.contains_spoilers, review.edited_at) == ("Kept.", False, None)


def test_review_save_keeps_a_restored_date(user):
    posted_at = timezone.now() - dt.timedelta(days=400)
    review, _ = review_save(
        user=user, movie=MovieFactory(), text="Old.", contains_spoilers=False, posted_at=posted_at
    )
    review.refresh_from_db()
    assert review.posted_at == posted_at


def test_review_save_restores_an_edited_review_with_the_given_dates(user):
    """A restore (an export's import) puts the review back as it was, dates included:
    the edit made since is undone, not dated now; restored again, nothing changes."""
    movie = MovieFactory()
    posted_at = timezone.now() - dt.timedelta(days=40)
    edited_at = posted_at + dt.timedelta(days=1)
    review_save(user=user, movie=movie, text="Changed my mind.", contains_spoilers=True)
    restored = {"text": "Loved it.", "contains_spoilers": False, "posted_at": posted_at}

    review, created = review_save(user=user, movie=movie, edited_at=edited_at, **restored)
    again, _ = review_save(user=user, movie=movie, edited_at=edited_at, **restored)

    review.refresh_from_db()
    assert not created
    assert (review.text, review.contains_spoilers) == ("Loved it.", False)
    assert (review.posted_at, review.edited_at) == (posted_at, edited_at)
    assert review.sentiment_label == "positive"
    assert again.pk == review.pk
    assert Review.objects.filter(user=user).count() == 1


def test_review_delete_deletes_only_ones_own(user, other_user):
    mine = ReviewFactory(member=True, user=user)
    theirs = ReviewFactory(member=True, user=other_user)
    imported = ReviewFactory()
    for review in (theirs, imported):
        with pytest.raises(Http404):
            review_delete(user=user, review=review)
    review_delete(user=user, review=mine)
    assert set(Review.objects.values_list("pk", flat=True)) == {theirs.pk, imported.pk}


def test_deleting_the_user_deletes_their_reviews(user):
    ReviewFactory(member=True, user=user)
    imported = ReviewFactory()
    user.delete()
    assert list(Review.objects.all()) == [imported]
