"""A form that comes back with errors puts the cursor in its first wrong field
(config/form_errors.py), rather than leaving the person at the top of a page that looks
as it did before they sent it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.browser.test_journeys import PASSWORD

SIGNUP = reverse("signup")
LETTERBOXD = reverse("letterboxd_import")


def autofocused(html: str) -> list[str]:
    """The names of the fields that have autofocus, in the page's order."""
    return [
        re.search(r'name="([^"]+)"', tag).group(1)
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
        if re.search(r"\sautofocus[\s>=]", tag)
    ]


@pytest.mark.django_db
def test_an_empty_sign_up_keeps_the_username_django_focuses(client):
    assert autofocused(client.get(SIGNUP).content.decode()) == ["username"]


@pytest.mark.django_db
def test_a_sign_up_with_passwords_that_differ_focuses_the_confirmation_only(client):
    response = client.post(
        SIGNUP, {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )

    html = response.content.decode()
    assert "didn’t match" in html or "didn't match" in html
    assert autofocused(html) == ["password2"]


@pytest.mark.django_db
def test_a_failed_log_in_with_no_field_wrong_keeps_the_username_focused(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    assert autofocused(response.content.decode()) == ["username"]


@pytest.mark.django_db
def test_an_import_refused_focuses_its_file_under_the_explanation(user_client):
    not_a_zip = SimpleUploadedFile("bad.zip", b"PK\x03\x04junk", "application/zip")

    response = user_client.post(LETTERBOXD, {"file": not_a_zip})

    html = response.content.decode()
    assert "not a ZIP" in html
    assert autofocused(html) == ["file"]
