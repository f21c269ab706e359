"""The home page (its shelves, and tonight's picks) is where Marquee's name leads, and
where logging in or out lands: before, every link went to the film list, and nothing
but a typed address reached the home page again."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["catalog:movie_list", "catalog:search", "login"])
def test_the_brand_leads_home(client, page):
    html = client.get(reverse(page)).content.decode()

    assert f'<a class="brand" href="{reverse("catalog:home")}">Marquee</a>' in html


def test_logging_in_without_somewhere_to_go_lands_home(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password})

    assert response.url == reverse("catalog:home")
