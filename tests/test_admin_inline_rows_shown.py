"""A parent with more inline rows than an admin page shows stays editable there.

A film rated by 1,000 members, a media item with 1,000 feedback rows or a list of 1,200
films drew every row: pages of 5 MB in 5 to 12 s, whose save posted more fields than
DATA_UPLOAD_MAX_NUMBER_FIELDS (a 400, even with nothing changed). The page now shows the
first INLINE_ROWS_SHOWN rows, says how many there are, links to the list of them all,
and a save leaves the rows it did not show as they were."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Movie, RaterKind, Rating
from config.admin_inlines import INLINE_ROWS_SHOWN
from feedback.models import FilmListEntry, UserFeedback
from tests import factories
from tests.admin_forms import post_form, posted_back

pytestmark = pytest.mark.django_db

MORE = INLINE_ROWS_SHOWN + 1


def members(count: int):
    User = get_user_model()  # noqa: N806 - a class
    start = User.objects.count()
    names = [f"member{start + n}" for n in range(count)]
    User.objects.bulk_create(User(username=name, email=f"{name}@example.com") for name in names)
    return list(User.objects.filter(username__in=names).order_by("pk"))


def film_rated(count: int):
    """A film with an aggregate, an external rating and `count` members' ratings, the
    oldest first; and the member rating the page leaves out (the oldest)."""
    movie = factories.MovieFactory()
    factories.RatingFactory(movie=movie, aggregate=True)
    factories.RatingFactory(movie=movie, external=True)  # never in the inline
    Rating.objects.bulk_create(
        factories.RatingFactory.build(movie=movie, user=user) for user in members(count)
    )
    oldest = movie.ratings.filter(rater_kind=RaterKind.USER).order_by("pk").first()
    return movie, oldest


def media_with_feedback(count: int):
    """A media item with `count` feedback rows, one a minute; and the oldest."""
    media = factories.MediaFactory()
    now = timezone.now()
    UserFeedback.objects.bulk_create(
        factories.UserFeedbackFactory.build(
            media=media, user=user, timestamp=now - dt.timedelta(minutes=n)
        )
        for n, user in enumerate(members(count))
    )
    return media, media.feedback.order_by("timestamp").first()


def film_list_of(count: int):
    """A list of `count` films; and its last entry."""
    film_list = factories.FilmListFactory()
    movies = Movie.objects.bulk_create(factories.MovieFactory.build_batch(count))
    FilmListEntry.objects.bulk_create(
        factories.FilmListEntryFactory.build(
            film_list=film_list, movie=movie, position=n, note="Seen twice"
        )
        for n, movie in enumerate(movies, start=1)
    )
    return film_list, film_list.entries.order_by("position").last()


PAGES = [
    # How to make the parent, its admin page, its form, the inline's prefix, the field
    # edited on a row, and the rows' admin list.
    (film_rated, "catalog_movie", "movie_form", "ratings", ("value", "3"), "catalog_rating"),
    (
        media_with_feedback,
        "feedback_media",
        "media_form",
        "feedback",
        ("rating", "2"),
        "feedback_userfeedback",
    ),
    (
        film_list_of,
        "feedback_filmlist",
        "filmlist_form",
        "entries",
        ("note", "Edited"),
        "feedback_filmlistentry",
    ),
]
IDS = ["film: ratings", "media item: feedback", "list: films"]


def rows_of(parent, prefix):
    return getattr(parent, prefix).order_by("pk")


def as_stored(parent, prefix):
    return list(rows_of(parent, prefix).values())


def key_fields(pairs, prefix, model) -> dict[str, str]:
    """The rows' primary keys posted: row prefix to key."""
    suffix = f"-{model._meta.pk.name}"
    return {
        name.removesuffix(suffix): value
        for name, value in pairs
        if name.startswith(f"{prefix}-") and name.endswith(suffix) and value
    }


def ids_posted(pairs, prefix, model) -> list[int]:
    return [int(value) for value in key_fields(pairs, prefix, model).values()]


def row_posted(pairs, prefix, row) -> str:
    [name] = [n for n, v in key_fields(pairs, prefix, type(row)).items() if v == str(row.pk)]
    return name


def change_url(page, parent):
    return reverse(f"admin:{page}_change", args=[parent.pk])


@pytest.mark.parametrize(("make", "page", "form", "prefix", "edit", "rows_list"), PAGES, ids=IDS)
def test_the_page_shows_the_first_rows_and_links_to_all(
    staff_client, make, page, form, prefix, edit, rows_list
):
    parent, left_out = make(MORE)
    in_all = (
        parent.ratings.exclude(rater_kind=RaterKind.EXTERNAL)
        if prefix == "ratings"
        else rows_of(parent, prefix)
    ).count()

    response = staff_client.get(change_url(page, parent))

    assert response.status_code == HTTPStatus.OK
    pairs = dict(posted_back(response, form))
    assert pairs[f"{prefix}-INITIAL_FORMS"] == str(INLINE_ROWS_SHOWN)
    assert left_out.pk not in ids_posted(pairs.items(), prefix, type(left_out))
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    assert formset.rows_in_all == in_all
    assert f"{INLINE_ROWS_SHOWN} of the {in_all} " in response.content.decode()
    if prefix == "ratings":  # the external raters' are not among them, and it says so
        assert (
            f"of the {in_all} member and aggregate ratings are shown" in response.content.decode()
        )
    assert formset.all_rows_url.startswith(reverse(f"admin:{rows_list}_changelist"))
    assert f'href="{formset.all_rows_url.replace("&", "&amp;")}"' in response.content.decode()

    listed = staff_client.get(formset.all_rows_url)

    assert listed.status_code == HTTPStatus.OK
    assert listed.context["cl"].result_count == in_all
    assert left_out.pk in {row.pk for row in listed.context["cl"].queryset}


@pytest.mark.parametrize(("make", "page", "form", "prefix", "edit", "rows_list"), PAGES, ids=IDS)
def test_the_page_posted_back_unchanged_is_saved_and_changes_nothing(
    staff_client, make, page, form, prefix, edit, rows_list
):
    parent, _ = make(MORE)
    before = as_stored(parent, prefix)
    url = change_url(page, parent)

    response = post_form(staff_client, url, posted_back(staff_client.get(url), form))

    assert response.status_code == HTTPStatus.FOUND
    assert as_stored(parent, prefix) == before


@pytest.mark.parametrize(("make", "page", "form", "prefix", "edit", "rows_list"), PAGES, ids=IDS)
def test_a_shown_row_edited_and_one_deleted_leave_the_others_as_they_were(
    staff_client, make, page, form, prefix, edit, rows_list
):
    parent, left_out = make(MORE)
    url = change_url(page, parent)
    pairs = posted_back(staff_client.get(url), form)
    shown = ids_posted(pairs, prefix, type(left_out))
    edited, deleted = rows_of(parent, prefix).filter(pk__in=shown)[:2]
    field, value = edit
    edited_row, deleted_row = row_posted(pairs, prefix, edited), row_posted(pairs, prefix, deleted)
    pairs = [(n, value if n == f"{edited_row}-{field}" else v) for n, v in pairs]
    pairs.append((f"{deleted_row}-DELETE", "on"))
    key = edited._meta.pk.attname
    untouched = [
        row for row in as_stored(parent, prefix) if row[key] not in (edited.pk, deleted.pk)
    ]

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.FOUND
    after = as_stored(parent, prefix)
    assert [row for row in after if row[key] != edited.pk] == untouched
    assert str(next(row for row in after if row[key] == edited.pk)[field]) in (value, f"{value}.0")
    assert left_out.pk in {row[key] for row in after}


def test_a_row_the_page_did_not_show_is_not_deleted_even_if_posted(staff_client):
    film_list, left_out = film_list_of(MORE)
    url = change_url("feedback_filmlist", film_list)
    pairs = posted_back(staff_client.get(url), "filmlist_form")
    extra = f"entries-{INLINE_ROWS_SHOWN}"
    pairs = [(n, str(MORE) if n == "entries-INITIAL_FORMS" else v) for n, v in pairs]
    pairs = [(n, str(MORE) if n == "entries-TOTAL_FORMS" else v) for n, v in pairs]
    pairs += [
        (f"{extra}-id", str(left_out.pk)),
        (f"{extra}-film_list", str(film_list.pk)),
        (f"{extra}-position", str(left_out.position)),
        (f"{extra}-movie", str(left_out.movie_id)),
        (f"{extra}-note", "Changed"),
        (f"{extra}-DELETE", "on"),
    ]
    before = as_stored(film_list, "entries")

    post_form(staff_client, url, pairs)

    assert as_stored(film_list, "entries") == before


def test_a_rating_added_meanwhile_leaves_the_shown_rows_editable(staff_client):
    # The newest ratings come first: one added between the page and its save takes the
    # last place shown, which the save must still find.
    movie, _ = film_rated(MORE)
    url = change_url("catalog_movie", movie)
    pairs = posted_back(staff_client.get(url), "movie_form")
    shown = ids_posted(pairs, "ratings", Rating)
    last_shown = movie.ratings.filter(pk__in=shown).earliest("pk")
    factories.RatingFactory(movie=movie)
    row = row_posted(pairs, "ratings", last_shown)
    pairs = [(n, "2" if n == f"{row}-value" else v) for n, v in pairs]

    response = post_form(staff_client, url, pairs)

    assert response.status_code == HTTPStatus.FOUND
    last_shown.refresh_from_db()
    assert last_shown.value == 2


@pytest.mark.parametrize(("make", "page", "form", "prefix", "edit", "rows_list"), PAGES, ids=IDS)
def test_more_rows_than_shown_cost_one_query_more_not_one_a_row(
    staff_client, make, page, form, prefix, edit, rows_list
):
    # The count of all the rows, asked only when the inline is full.
    few, _ = make(2)
    many, _ = make(MORE)
    staff_client.get(change_url(page, make(0)[0]))  # content types, cached for later pages

    counts = []
    for parent in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(change_url(page, parent)).status_code == HTTPStatus.OK
        counts.append(len(queries))

    assert counts[1] == counts[0] + 1
