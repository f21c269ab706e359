"""The site's icon: drawn for Marquee, served from its own static files, named on every page."""

import xml.etree.ElementTree as ET
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}svg"


def test_the_icon_is_a_self_contained_svg():
    path = Path(finders.find("favicon.svg"))
    text = path.read_text()

    assert ET.fromstring(text).tag == SVG  # noqa: S314 - our own file, not input
    # Nothing fetched from elsewhere: no link, image, font or style from another host.
    assert "href" not in text
    assert "url(" not in text
    assert text.count("http") == 1  # the namespace only


@pytest.mark.parametrize("url", ["catalog:home", "catalog:movie_list", "login"])
def test_every_page_names_it(client, url):
    html = client.get(reverse(url)).content.decode()

    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html


def test_favicon_ico_is_sent_to_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == static("favicon.svg")
