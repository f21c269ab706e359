"""A query read as PostgreSQL's web search reads one, for the SQLite search to match.

Words are all wanted; "a phrase" is wanted as it stands; -word is not wanted; "or"
between words offers alternatives, and binds less than the others: `alien or predator
-vs` is films with alien, or with predator and not vs. Punctuation around a word is not
part of it, so "godfather:" is godfather and "wall-e" is the phrase "wall e", as the
stored titles have them (catalog/folding.py). A numeral is read in both spellings: "2"
is II too, and "ii" 2 (catalog/numerals.py).
"""

import re
from dataclasses import dataclass, field

from catalog.folding import TYPOGRAPHIC, words
from catalog.numerals import respelt

# A quoted phrase (its closing quote may be missing), or a run of anything else.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class Term:
    title: str  # its folded words, as titles are stored
    overview: str  # as typed, for the overview, which is stored as it is
    # Its title words with their numerals in the other spelling, if it has any: matched
    # with titles only, as whole words (catalog/search.py).
    respelt: str = ""


@dataclass
class Alternative:
    wanted: list[Term] = field(default_factory=list)
    unwanted: list[Term] = field(default_factory=list)


def alternatives(query: str, limit: int | None = None) -> list[Alternative]:
    """The query's alternatives, at most `limit` terms in all if given; none if it has no
    word."""
    found = [Alternative()]
    terms = 0
    for sign, phrase, token in TOKEN.findall(query.translate(TYPOGRAPHIC)):
        if token.lower() == "or":
            if found[-1].wanted or found[-1].unwanted:
                found.append(Alternative())
            continue
        unwanted = sign == "-" or (token.startswith("-") and len(token) > 1)
        term = term_of(token or phrase)
        if term is None or terms == limit:
            continue
        (found[-1].unwanted if unwanted else found[-1].wanted).append(term)
        terms += 1
    return [alternative for alternative in found if alternative.wanted or alternative.unwanted]


def term_of(text: str) -> Term | None:
    title = words(text)
    if not title.replace("'", ""):
        return None
    return Term(title=title, overview=EDGE_PUNCTUATION.sub("", text), respelt=respelt(title))
