"""What a media item's id may hold: it is the last part of the item's page address
(library/media/<path:media_id>/), so it must come back from a browser as it went.

- No control character. A line feed made the item's link impossible to build (a 500 on
  the history and library pages of everyone who had the item), and browsers drop tabs,
  line feeds and carriage returns from an address. The others are no media server's.
- No "." or ".." between slashes: browsers resolve them in an address, as in a file path
  (library/media/a/../b/ is library/b/), so the item's page could not be reached.

Checked by validation (Media.media_id's validator: the admin, the export import and every
service that calls full_clean) and by the database (MEDIA_ID_CONSTRAINTS, the same rule in
lookups both databases compile: LIKE, whose % and _ Django escapes, and =).

A list's name keeps the control-character rule too, with its own message, through the
same helpers (feedback/film_list_models.py).
"""

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q

# The ids of the media items Marquee makes for films, which no media server gave
# (feedback/film_items.py makes them).
MARQUEE_MEDIA_ID = "marquee:movie:"

CONTROL_CHARACTER_MESSAGE = (
    "A media id cannot hold a line break, a tab or another control character."
)
DOT_SEGMENT_MESSAGE = "A media id cannot have a “.” or “..” part between slashes."

# Unicode's control characters (category Cc): C0, DEL and C1.
CONTROL_CHARACTERS = frozenset(chr(code) for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)))
# NUL is refused by validation only: PostgreSQL stores no NUL in any text, and SQLite's
# LIKE takes a NUL as the end of the pattern, so '%' || NUL || '%' matches every id.
CONTROL_CHARACTERS_IN_DATABASE = sorted(CONTROL_CHARACTERS - {"\x00"})

DOT_SEGMENTS = frozenset({".", ".."})


def has_control_character(text: str) -> bool:
    """Whether the text holds a control character: a media id, or a list's name
    (feedback/film_list_models.py), which keeps the same rule with its own message."""
    return not CONTROL_CHARACTERS.isdisjoint(text)


def has_dot_segment(media_id: str) -> bool:
    return not DOT_SEGMENTS.isdisjoint(media_id.split("/"))


def from_media_server(media_id: str) -> bool:
    """Whether a media server gave the id, which then tells its owner which of their
    items it is (a film on Plex and on Jellyfin has one on each); Marquee's own ids
    (marquee:movie:<pk>) say nothing the page does not, and are not shown."""
    return not media_id.startswith(MARQUEE_MEDIA_ID)


def validate_media_id(media_id: str) -> None:
    if has_control_character(media_id):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="media_id_control_character")
    if has_dot_segment(media_id):
        raise ValidationError(DOT_SEGMENT_MESSAGE, code="media_id_dot_segment")


def any_of(conditions) -> Q:
    return Q(*conditions, _connector=Q.OR)


def control_character_q(field: str = "media_id") -> Q:
    """The rows whose `field` holds a control character (NUL aside, see above): for the
    CHECKs of a media id and of a list's name."""
    return any_of(Q(**{f"{field}__contains": char}) for char in CONTROL_CHARACTERS_IN_DATABASE)


def dot_segment_q(field: str = "media_id") -> Q:
    """The ids with a "." or ".." part: the whole id, its first part, its last, or one
    between two slashes."""
    return any_of(
        Q(**{f"{field}__{lookup}": pattern})
        for segment in sorted(DOT_SEGMENTS)
        for lookup, pattern in (
            ("exact", segment),
            ("startswith", f"{segment}/"),
            ("endswith", f"/{segment}"),
            ("contains", f"/{segment}/"),
        )
    )


MEDIA_ID_CONSTRAINTS = [
    CheckConstraint(
        condition=~control_character_q(),
        name="feedback_media_id_no_control_character",
        violation_error_message=CONTROL_CHARACTER_MESSAGE,
    ),
    CheckConstraint(
        condition=~dot_segment_q(),
        name="feedback_media_id_no_dot_segment",
        violation_error_message=DOT_SEGMENT_MESSAGE,
    ),
]
