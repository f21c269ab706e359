"""An admin change form as a browser posts it back: every field the page draws."""

from html.parser import HTMLParser
from urllib.parse import urlencode


class FormFields(HTMLParser):
    """The (name, value) pairs a browser posts from the form `form_id` of a page:
    its inputs, checked boxes, text areas and chosen options, hidden rows included."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.in_form = form_id, False
        self.pairs: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        elif not self.in_form or "name" not in attrs and tag != "option":
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") != "checkbox":
                self.pairs.append((attrs["name"], attrs.get("value") or ""))
            elif "checked" in attrs:  # a box without a value posts "on"
                self.pairs.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select is not None and "selected" in attrs:
            self.pairs.append((self.select, attrs.get("value") or ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.pairs.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea is not None:
            name, text = self.pairs.pop()
            self.pairs.append((name, text + data))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def posted_back(page, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page.content.decode())
    return parser.pairs


def post_form(client, url, pairs):
    # As a browser sends a form without files.
    return client.post(url, urlencode(pairs), content_type="application/x-www-form-urlencoded")
