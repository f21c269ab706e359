"""A form sent with an expired token: the site's own page, the way back, nothing saved."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import UserFeedback
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def test_an_expired_form_says_so_in_the_sites_look_and_leads_back_to_it(user):
    movie = MovieFactory(title="Ran")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    form = reverse("feedback:movie_feedback", args=[movie.pk])

    # As after logging in again in another tab: the page's token is the old session's.
    response = browser.post(form, {"rating": "5", "csrfmiddlewaretoken": "x" * 64})

    assert response.status_code == HTTPStatus.FORBIDDEN
    html = response.content.decode()
    assert "<h1>This form has expired</h1>" in html
    assert f'<a class="button" href="{form}">Open the form again</a>' in html
    assert 'href="/library/"' in html  # the site's own navigation, signed in
    assert not UserFeedback.objects.exists()
    assert browser.get(form).status_code == HTTPStatus.OK


def test_a_form_with_no_token_at_all_gets_the_same_page(client):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This form has expired" in response.content.decode()
