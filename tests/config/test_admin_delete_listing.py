"""A delete confirmation names the first DELETION_ROWS_LISTED rows and says how many
more, whatever the selection; its counts of each kind of row stay whole.

Selecting all 26,314 tags to delete drew a page of 4.5 MB in 5.9 s, 33,800
similarities one of 7.4 MB in 8.1 s: a line and a link for every row, and a hidden
field for each, which the confirmation posted back: past 10,000 rows, a 400."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.urls import reverse

from catalog.models import MovieTag, Rating, RatingSource
from config.admin_deletion import DELETION_ROWS_LISTED
from tests import factories

pytestmark = pytest.mark.django_db

MORE = 5
CHANGELIST = "admin:catalog_movietag_changelist"


def tags(count: int, **fields) -> list[int]:
    built = factories.MovieTagFactory.build_batch(count, movie=factories.MovieFactory(), **fields)
    return [tag.pk for tag in MovieTag.objects.bulk_create(built)]


def delete_selected(client, pks, *, query="", **posted):
    return client.post(
        f"{reverse(CHANGELIST)}{query}",
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: pks, **posted},
    )


def test_the_confirmation_of_many_selected_rows_names_the_first_ones(staff_client):
    selected = tags(DELETION_ROWS_LISTED + MORE)

    response = delete_selected(staff_client, selected)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<li>Movie tag: <a ") == DELETION_ROWS_LISTED
    assert f"…and {MORE} more objects." in html
    assert f"<li>Movie tags: {DELETION_ROWS_LISTED + MORE}</li>" in html  # the summary


def test_a_few_rows_are_all_named(staff_client):
    response = delete_selected(staff_client, tags(3))

    html = response.content.decode()
    assert html.count("<li>Movie tag: <a ") == 3
    assert "more object" not in html


def test_a_selection_of_all_the_rows_filtered_is_confirmed_as_that(staff_client):
    # "Select all": the page's boxes and select_across, to the list's filtered address.
    kept = tags(3, source=RatingSource.IMDB)
    chosen = tags(DELETION_ROWS_LISTED + MORE, source=RatingSource.MOVIELENS)
    query = f"?source__exact={RatingSource.MOVIELENS}"

    page = delete_selected(staff_client, chosen[:1], query=query, select_across="1")

    html = page.content.decode()
    assert html.count(f'name="{helpers.ACTION_CHECKBOX_NAME}"') == 1
    assert '<input type="hidden" name="select_across" value="1">' in html
    assert f"<li>Movie tags: {len(chosen)}</li>" in html

    confirmed = delete_selected(
        staff_client, chosen[:1], query=query, select_across="1", post="yes"
    )

    assert confirmed.status_code == HTTPStatus.FOUND
    assert sorted(MovieTag.objects.values_list("pk", flat=True)) == sorted(kept)


def test_rows_chosen_one_by_one_are_confirmed_by_their_ids(staff_client):
    selected = tags(3)
    other = tags(1)

    page = delete_selected(staff_client, selected)
    assert page.content.decode().count(f'name="{helpers.ACTION_CHECKBOX_NAME}"') == 3
    confirmed = delete_selected(staff_client, selected, post="yes")

    assert confirmed.status_code == HTTPStatus.FOUND
    assert list(MovieTag.objects.values_list("pk", flat=True)) == other


def test_the_rows_a_deletion_takes_with_it_are_named_in_part_and_counted_whole(staff_client):
    movie = factories.MovieFactory()
    ratings = factories.RatingFactory.build_batch(
        DELETION_ROWS_LISTED + MORE, movie=movie, external=True
    )
    Rating.objects.bulk_create(ratings)

    response = staff_client.get(reverse("admin:catalog_movie_delete", args=[movie.pk]))

    html = response.content.decode()
    assert html.count("<li>Rating: <a ") == DELETION_ROWS_LISTED - 1  # the film is the first
    assert f"…and {MORE + 1} more objects." in html
    assert f"<li>Ratings: {DELETION_ROWS_LISTED + MORE}</li>" in html


def test_every_admin_names_the_first_rows_only():
    # Other apps' too (config/admin_lists.py): django-axes' access logs grow without end.
    for model, model_admin in admin.site._registry.items():
        assert model_admin.delete_confirmation_max_display == DELETION_ROWS_LISTED, model
