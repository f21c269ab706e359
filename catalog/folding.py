"""Text folded for matching: what a person types finds a title however it is written.

"amelie" finds Amélie, "leon" Léon, "strasse" a Straße and "HÄXAN" Häxan. Accents, case
(in every script: SQLite's LIKE folds only ASCII) and a few letters with no accent for
Unicode to take off (ø, æ, œ, ł, đ) are folded the same way on the stored title and on the
query, in Python, so that SQLite and PostgreSQL match alike. Punctuation stays:
PostgreSQL's full-text parser reads the folded title as it would the title ("wall-e"
stays one word and its parts).
"""

import unicodedata

# The Combining Diacritical Marks block: the accents of Latin, Greek and Cyrillic letters.
# Marks outside it are part of their script's spelling (Japanese voicing marks turn カ
# into ガ, a different sound), so they stay.
ACCENTS = dict.fromkeys(range(0x0300, 0x0370))
# Letters of their own that readers without them type as these.
PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def fold(text: str) -> str:
    """`text` without accents, case folded: the form titles are stored and matched in."""
    if text.isascii():
        return text.lower()
    # Decompose (é becomes e and its accent), drop the accents, and compose what is left
    # again, so that Hangul and kana keep the form people type them in.
    bare = unicodedata.normalize("NFKD", text).translate(ACCENTS)
    return unicodedata.normalize("NFC", bare).casefold().translate(PLAIN_LETTERS)


def search_title(title: str, original_title: str) -> str:
    """What search matches a film's titles against: both, folded, one after the other."""
    if not original_title or fold(original_title) == fold(title):
        return fold(title)
    return f"{fold(title)} {fold(original_title)}"
