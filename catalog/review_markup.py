"""A review's text as HTML: the few tags Letterboxd's review box takes, and nothing else.

Letterboxd users write `<i>Heat</i>` for a title and `<b>`, `<a href>` and
`<blockquote>` beside it, and their export carries the tags as typed, so an imported
review showed them as text. Those tags (and their `<em>`, `<strong>`, `<br>`) are kept;
any other `<`, a `<script>` or a `<Heat>` alike, stays text the reader sees, as it did,
rather than markup a sanitizer would drop with what it held. nh3 (Ammonia) then closes
what the text left open, so an `<i>` never slants the page after it, and keeps only a
whole http(s) href on a link, which leads off the site with no referrer and no follow."""

import re

import nh3
from django.utils.html import normalize_newlines
from django.utils.safestring import SafeString, mark_safe

TAGS = {"a", "b", "blockquote", "br", "em", "i", "strong"}
# Split on the kept tags, each whole, attributes and all: the pieces between are text.
KEPT_TAG = re.compile(rf"(</?(?:{'|'.join(sorted(TAGS))})(?:\s[^<>]*)?/?>)", re.IGNORECASE)


def review_html(text: str) -> SafeString:
    pieces = KEPT_TAG.split(normalize_newlines(text))
    # The tags at the odd places, as re.split gives what its group matched.
    # Line breaks of the text become <br>, here, before nh3: after it, one inside a
    # link's address (its tag spans two lines) would have become part of the address.
    marked = "".join(
        piece if place % 2 else piece.replace("<", "&lt;").replace("\n", "<br>")
        for place, piece in enumerate(pieces)
    )
    cleaned = nh3.clean(
        marked,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        # A path would lead into this site, where Letterboxd's review meant its own.
        url_relative="deny",
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 made it safe
