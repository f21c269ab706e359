"""On a phone, a refused import comes back with the cursor in its file field and the error
on the screen, not at the top of a page that looks as before (config/form_errors.py).
The browser does it from the page alone: JavaScript is off here, as in every browser test."""

import pytest

from tests.browser.test_journeys import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}

# The focused field's name, and whether the error under it is within the screen.
FOCUS_AND_ERROR = """() => {
  const focused = document.activeElement;
  const error = document.getElementById(focused.id + "_error");
  const box = error && error.getBoundingClientRect();
  return [focused.name || focused.tagName, !!box && box.top >= 0 && box.bottom <= innerHeight];
}"""


def test_a_refused_import_shows_its_error_where_the_file_was_chosen(
    page, django_user_model, tmp_path
):
    django_user_model.objects.create_user("boxdfan", password=PASSWORD)
    not_a_zip = tmp_path / "bad.zip"
    not_a_zip.write_bytes(b"PK\x03\x04junk")
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("boxdfan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/accounts/import/letterboxd/")
    page.get_by_label("Your Letterboxd export (.zip)").set_input_files(not_a_zip)
    page.get_by_role("button", name="Import").click()

    page.get_by_text("This file is not a ZIP").wait_for()
    assert page.evaluate(FOCUS_AND_ERROR) == ["file", True]
