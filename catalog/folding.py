"""Text folded for matching: what a person types finds a title however it is written.

"amelie" finds Amélie, "leon" Léon, "strasse" a Straße and "HÄXAN" Häxan. Accents, case
(in every script: SQLite's LIKE folds only ASCII) and a few letters with no accent for
Unicode to take off (ø, æ, œ, ł, đ) are folded the same way on the stored title and on the
query, in Python, so that SQLite and PostgreSQL match alike.

A stored title is also reduced to its words (`title_words`): punctuation becomes a space,
but for the apostrophe, which joins "ocean's" and "l'avventura" and which the search
treats itself (catalog/search.py). "godfather: part ii" then finds The Godfather: Part
II, "wall e" WALL·E, and "alien 3" Alien³, whose superscript is a number of its own.

Changing any of this changes what is stored: the films' titles must be folded again, by a
migration, as catalog 0008 first did.
"""

import re
import unicodedata

from catalog.numerals import OTHER_SPELLING

# The Combining Diacritical Marks block: the accents of Latin, Greek and Cyrillic letters.
# Marks outside it are part of their script's spelling (Japanese voicing marks turn カ
# into ガ, a different sound), so they stay.
ACCENTS = dict.fromkeys(range(0x0300, 0x0370))
# Letters of their own that readers without them type as these.
PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# What phones and word processors type for ' and ": the search syntax reads the plain ones.
TYPOGRAPHIC = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "′": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
)
SPELT_PLAINLY = PLAIN_LETTERS | TYPOGRAPHIC
# Alien³ is Alien 3: Unicode would glue the digit to the word ("alien3").
SUPERSCRIPTS = str.maketrans({char: f" {n}" for n, char in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")})
NOT_A_WORD = re.compile(r"[^\w']+|_+")


def fold(text: str) -> str:
    """`text` without accents, case folded, with plain quotes: the form queries are read in."""
    if text.isascii():
        return text.lower()
    # Decompose (é becomes e and its accent), drop the accents, and compose what is left
    # again, so that Hangul and kana keep the form people type them in.
    bare = unicodedata.normalize("NFKD", text.translate(SUPERSCRIPTS)).translate(ACCENTS)
    return unicodedata.normalize("NFC", bare).casefold().translate(SPELT_PLAINLY)


def query_key(query: str) -> str:
    """What tells one search from another (UserSearch.query_key): "Schindler’s List",
    "schindler's list" and "SCHINDLER'S  LIST" are searched alike, so they are one query;
    "amelie" and "amélie" too. The syntax stays: "alien -covenant" is not "alien covenant"."""
    return " ".join(fold(query).split())


def words(text: str) -> str:
    """The folded words of `text`, one space between each, apostrophes kept."""
    return " ".join(NOT_A_WORD.sub(" ", fold(text)).split())


# Where the title's words end and the original title's start: search ranks first the film
# whose title is the query, and "blade runner" is the title of neither Blade Runner 2049
# (" blade runner 2049") nor a Blade whose original title is Runner (" blade | runner").
# Not a word, so full text and " word" skip it.
TITLES_APART = " | "


def search_title(title: str, original_title: str) -> str:
    """What search matches a film's titles against: the words of both, after a space, so
    that " word" finds a word where it starts, the first one included."""
    folded = words(title)
    other = words(original_title)
    return f" {folded}{TITLES_APART}{other}" if other and other != folded else f" {folded}"


# Articles that may lead a title the query names without them: "matrix" names The Matrix,
# "miserables" Les Misérables and "avventura" L'Avventura (catalog/search.py); and that
# may lead a query for a title without one: "the matrix" names Matrix. Each is a word of
# its own: "ove" does not name Love.
ARTICLES = (
    ("the", "a", "an")  # English
    + ("le", "la", "les")  # French, and l' (search.ELIDED_ARTICLE)
    + ("el", "los", "las")  # Spanish
    + ("der", "das")  # German: not "die", which leads English titles (Die Hard is not Hard)
    + ("il", "lo", "gli")  # Italian: not "i", as in I, Robot, which is not Robot
)


def names_a_title(query: str, title_words: str) -> bool:
    """Whether every word of `query` starts a word of a film's `search_title`: the query
    reads as that film's title ("godfather", "ocean's"), not as text around it. As search
    reads it: a numeral in either spelling ("rocky 2", Rocky II), and a leading article
    that the title lacks ("the matrix", Matrix)."""
    wanted = words(query).split()
    if len(wanted) > 1 and wanted[0] in ARTICLES and f" {wanted[0]}" not in title_words:
        wanted = wanted[1:]
    # The other numeral as a whole word, as search matches it: "ii" names Part 2, not 2049.
    whole_words = f"{title_words} "
    return bool(wanted) and all(
        f" {word}" in title_words
        or (word in OTHER_SPELLING and f" {OTHER_SPELLING[word]} " in whole_words)
        for word in wanted
    )
