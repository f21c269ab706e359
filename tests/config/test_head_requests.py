"""A HEAD request is answered without a body (config/head_requests.py).

The test client drops a HEAD response's body itself, as runserver does, so these call
Django's WSGI handler as gunicorn does and read what it would have been sent."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from config.head_requests import BodyLeftOutOfHead
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


def answered(method: str, path: str) -> tuple[str, dict, bytes]:
    environ = getattr(RequestFactory(), method.lower())(path).environ
    said = {}

    def start_response(status, headers, exc_info=None):
        said.update(status=status, headers=dict(headers))

    # As the test client does: a request's start and end would close the test's
    # connection to its database, with the test's rows.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(environ, start_response)
        content = b"".join(body)
        body.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return said["status"], said["headers"], content


@pytest.mark.parametrize("path", ["/", "/movies/", "/movie/{pk}/"])
def test_a_head_request_has_the_get_s_headers_and_no_body(path):
    film = MovieFactory(title="Heat", year=1995)
    path = film.get_absolute_url() if "{pk}" in path else path

    status, headers, content = answered("HEAD", path)
    get_status, _, get_content = answered("GET", path)

    assert (status, get_status) == ("200 OK", "200 OK")
    assert content == b""
    assert int(headers["Content-Length"]) == len(get_content) > 0


def test_a_streamed_answer_to_head_streams_nothing():
    # A download (an export) is streamed; its HEAD sends none of it.
    streamed = StreamingHttpResponse(iter([b"first,", b"second"]))
    answer = BodyLeftOutOfHead(lambda request: streamed)

    response = answer(RequestFactory().head("/library/export.csv"))

    assert b"".join(response.streaming_content) == b""
    get = BodyLeftOutOfHead(lambda request: StreamingHttpResponse(iter([b"first,"])))
    assert b"".join(get(RequestFactory().get("/")).streaming_content) == b"first,"
