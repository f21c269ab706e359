"""A MovieLens upload whose zip holds a member that cannot be read (password-protected,
or compressed by a method Python lacks) is refused on the form, not answered with a 500,
and nothing is imported."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Movie
from tests.imports.test_admin_upload import movielens_zip
from tests.imports.unreadable_zips import UNKNOWN_METHOD, unreadable

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"encrypted": True}, "it is password-protected"),
        ({"method": UNKNOWN_METHOD}, "it is compressed by a method this import cannot read"),
    ],
)
def test_a_movielens_zip_with_an_unreadable_member_is_refused_on_the_form(
    staff_client, headers, reason
):
    upload = SimpleUploadedFile("ml.zip", unreadable(movielens_zip(), **headers))

    response = staff_client.post(
        reverse("admin:catalog_movie_import"), {"kind": "movielens", "file": upload}
    )

    assert response.status_code == HTTPStatus.OK
    assert f"ml.zip: ml-sample/links.csv cannot be read: {reason}" in response.text
    assert not Movie.objects.exists()
