"""Requests no one's browser sends, but anyone can: each answered in the site's own look
(a 400 saying why, or the page as for a visitor), never a 500 nor a mail to the admins."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import UserSearch

pytestmark = pytest.mark.django_db

PAGES = ["/", reverse("catalog:movie_list"), reverse("login"), reverse("admin:login")]


@pytest.fixture(autouse=True)
def admins_mailed(settings):
    """Errors mail the admins, as in production: a 500 here would show as a mail."""
    settings.ADMINS = ["ops@example.com"]
    settings.DEBUG = False


def visitor(**cookies) -> Client:
    client = Client(raise_request_exception=False)
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


@pytest.mark.parametrize("key", ["aaaaaaaa\x00", "a" * 31 + "\x00", "abcdefgh!", "ABCDEFGH"])
def test_a_session_cookie_no_session_can_have_is_no_session(key):
    """A NUL in the cookie (a quoted value's octal escape, unescaped by Python's cookie
    parser) reached PostgreSQL, which refused the query: every page answered 500, and
    each request mailed the admins. Django's keys are lowercase letters and digits."""
    client = visitor(sessionid=key)

    statuses = [client.get(page).status_code for page in PAGES]

    assert statuses == [HTTPStatus.OK] * len(PAGES)
    assert mail.outbox == []


def test_a_real_session_still_signs_the_person_in(user):
    client = Client()
    client.force_login(user)

    html = client.get(reverse("catalog:movie_list")).content.decode()

    assert f"Signed in as </span><strong>{user.get_username()}</strong>" in html


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "cp037"])
def test_a_form_sent_in_another_charset_than_utf_8_is_refused_with_a_page(charset):
    """Django 6.1 refuses such a form; its 400 view checked the CSRF token first, read the
    form again, and raised again, as did its 500 view: the web server's bare 500."""
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&username=nobody&password=x".encode()

    response = client.post(
        reverse("login"),
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "<h1>Not understood</h1>" in html
    assert "The form was sent in another encoding than UTF-8." in html
    assert 'href="/movies/"' in html  # the site's own layout
    assert mail.outbox == []


def test_more_files_at_once_than_django_takes_says_how_many(user, settings):
    """More than DATA_UPLOAD_MAX_NUMBER_FILES files in one form: Django refuses the
    request before the view sees it; the page says how many it takes."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    files = [
        SimpleUploadedFile(f"list-{number}.json", b"[]", content_type="application/json")
        for number in range(most + 1)
    ]

    response = client.post(reverse("trakt_import"), {"files": files})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"Marquee takes at most {most} files at once." in response.content.decode()


def test_a_query_string_of_too_many_fields_gets_the_page_too(settings):
    """The 400 page shows the site's search box, which reads the query string: when that
    is what was refused (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS), reading it
    again for the page raised again, and the answer was a 500."""
    fields = "&".join(
        f"f{number}=1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
    )

    response = visitor().get(f"{reverse('catalog:movie_list')}?{fields}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "<h1>Not understood</h1>" in response.content.decode()
    # Django's security log mails the refusal itself, as for any suspicious request.
    assert [m.subject for m in mail.outbox if "Internal Server Error" in m.subject] == []


def test_another_bad_request_says_so_plainly():
    response = visitor().get(reverse("catalog:movie_list"), headers={"host": "evil example"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Marquee could not read what your browser sent." in response.content.decode()


@pytest.mark.parametrize(
    ("filters", "said"),
    [
        ("1e400", "Filters hold a number JSON cannot write"),
        ('{"rating_min": -1e999}', "Filters hold a number JSON cannot write"),
        ("[1, NaN]", "Filters hold a number JSON cannot write"),
        ('{"q": "a\\u0000b"}', "holds a NUL character"),
        ('{"\\u0000": 1}', "holds a NUL character"),
        ('"\\ud800"', "holds a lone surrogate"),
    ],
)
def test_search_filters_postgresql_cannot_store_are_a_form_error(admin_client, filters, said):
    """Python's JSON reads these, PostgreSQL's jsonb refuses them: the admin answered 500."""
    response = admin_client.post(
        reverse("admin:catalog_usersearch_add"),
        {"query": "alien", "results_count": "1", "filters": filters},
    )

    assert response.status_code == HTTPStatus.OK
    assert said in str(response.context["adminform"].form.errors["filters"])
    assert not UserSearch.objects.exists()
    # Shown again as typed, in JSON's escapes where the text holds no printable character.
    assert 'name="filters"' in response.content.decode()
