"""A HEAD request is answered without a body, as HTTP has it.

Django answers HEAD as GET and leaves dropping the body to the server. `runserver` and
the test client drop it; gunicorn drops it too, but logs a warning for each such
response ("WSGI app sent body bytes on a no-body response"), so that an uptime monitor
checking the site by HEAD every minute filled the operator's error log.
"""


class BodyLeftOutOfHead:
    """First in MIDDLEWARE, so that it sees every response, WhiteNoise's static files
    included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            response.streaming_content = []  # a file's own handle is still closed after
        else:
            # The length the GET would have, which HEAD is there to tell.
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response
