"""Searching the catalog by title and overview.

Titles are matched as stored (`Movie.search_title`, catalog/folding.py): their words,
without accents and case, the query read the same way. "amelie" finds Amélie and
"godfather: part ii" The Godfather Part II on both databases.

PostgreSQL: full-text search ranked by relevance, on the expression that migration 0008
indexes (catalog_movie_search_idx). The two must stay identical, character for character
once compiled, or PostgreSQL falls back to reading the whole table; a test runs EXPLAIN
to hold them together. SQLite has no full-text index here: every wanted word must start
a word of the titles, or appear in the overview; title matches first. Both read the query
alike, with web search syntax (catalog/search_terms.py).

On both, the film whose title or original title is the words the query wants comes
first: "blade runner" gives Blade Runner before Blade Runner 2049, however popular, and
"le fabuleux destin d'amelie poulain" Amélie. A title's leading article does not count
(ARTICLES): "matrix" names The Matrix, as "the matrix" does. Nor must the query's: "the
matrix" finds a film titled Matrix too, and names it, after a film titled The Matrix
(`required`). Its original title does not make a title longer (folding.TITLES_APART).

A number matches in either numeral, on both: "godfather part 2" finds and names The
Godfather: Part II, "rocky iv" a Rocky 4 (catalog/numerals.py says which words are
numbers). The other spelling is matched as a whole word, and in titles only: on
PostgreSQL its words are weighted as titles are ('ii':A), and SQLite could not tell a
word of an overview from part of one.

A query without a letter or a digit ("-", "'") finds nothing on either.
"""

import operator
import re
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, Q, TextField, Value, When
from django.db.models.functions import Left, Replace, StrIndex, Substr
from django.db.models.lookups import Exact

from catalog.folding import ARTICLES, TITLES_APART
from catalog.numerals import respelt
from catalog.search_terms import Alternative, Term, alternatives

SEARCH_CONFIG = "english"
QUERY_MAX_LENGTH = 255  # UserSearch.query's length: a longer query could not be recorded.
SQLITE_MAX_WORDS = 10  # Each word is three LIKEs over a row; a bound keeps that cheap.


def search_vector() -> SearchVector:
    """Compiles to the indexed expression: setweight(to_tsvector('english',
    coalesce(search_title, '')), 'A') || setweight(to_tsvector('english', coalesce(overview,
    '')), 'B')."""
    return SearchVector("search_title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "overview", weight="B", config=SEARCH_CONFIG
    )


def search_movies(queryset, query: str):
    if not any(char.isalnum() for char in query):
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return full_text_search(queryset, query)
    return word_search(queryset, query)


def full_text_matches(queryset, found: list[Alternative]):
    """The rows the index finds, ranked; the title the query names first, then title
    weighs more than overview."""
    ts_query = text_search_query(found)
    return (
        with_title_ranks(queryset.alias(search_vector=search_vector()), found)
        .filter(search_vector=ts_query)
        .annotate(search_rank=SearchRank(search_vector(), ts_query))
        .order_by("named_title", "-search_rank", "-popularity", "title", "id")
    )


def text_search_query(found: list[Alternative]) -> SearchQuery:
    """The query as catalog/search_terms.py read it, for full text: each term a phrase of
    its folded words. Not websearch_to_tsquery on what was typed, which reads "alien -
    covenant" as alien and not covenant, and "--alien" as alien; SQLite would not."""
    return reduce(operator.or_, map(alternative_query, found))


def alternative_query(alternative: Alternative) -> SearchQuery:
    wanted = [reduce(operator.or_, phrase_queries(term)) for term in required(alternative)]
    # Neither spelling: a SearchQuery negates itself, but not an OR of two.
    unwanted = [~query for term in alternative.unwanted for query in phrase_queries(term)]
    return reduce(operator.and_, wanted + unwanted)


def phrase_queries(term: Term) -> list[SearchQuery]:
    """The term as a phrase, and as one of the titles with its numerals respelt."""
    typed = SearchQuery(term.title, search_type="phrase", config=SEARCH_CONFIG)
    if not term.respelt:
        return [typed]
    return [typed, SearchQuery(title_phrase(term.respelt), search_type="raw", config=SEARCH_CONFIG)]


# What splits folded words into the pieces PostgreSQL's parser makes of them: "ocean's" is
# ocean and s, a stopword that keeps its place, as in the titles indexed.
PIECES = re.compile(r"[\s']+")


def title_phrase(title_words: str) -> str:
    """Folded words as a phrase of the titles alone, in to_tsquery's syntax: "part ii" is
    'part':A <-> 'ii':A. Each piece is quoted, and holds no quote to escape."""
    return " <-> ".join(f"'{piece}':A" for piece in PIECES.split(title_words) if piece)


def full_text_search(queryset, query: str):
    """Full-text matches; when there are none, titles containing the words as typed, with
    or without their apostrophes.

    Words are stemmed whole, so "godfath" finds nothing by full text; the fallback makes
    a partial title still find its film, each word anywhere in the title, with the same
    -word and or as the full text (catalog/search_terms.py). It is a second query rather
    than an OR in the first one, because an OR with an unindexed condition would scan the
    whole table for every search, including the ones the index answers.

    The check is count(), not exists(): under exists()'s LIMIT 1 PostgreSQL bets that a
    sequential scan meets a match early, and for a word no film has it reads the whole
    table (1.5 s on 100,000 films, against 15 ms through the index).
    """
    found = alternatives(query)
    if not found:  # "or" alone: no word to look for
        return queryset.none()
    matches = full_text_matches(queryset, found)
    if matches.count():
        return matches
    # Read with the same syntax as the full text was: "godfat -part" keeps out Part II
    # and "godfather part -ii" does not find it.
    fallback = Q()
    for alternative in found:
        fallback |= partial_title_matches(alternative)
    # Stopwords ("her", "it") reach this too: their film first, then the titles with
    # them as a word, before those with them inside one (godfatHER).
    return (
        with_title_ranks(queryset, found)
        .filter(fallback)
        .order_by("named_title", "title_match", "-popularity", "title", "id")
    )


def partial_title_matches(alternative: Alternative) -> Q:
    """Titles holding each wanted word, even inside a word, and no unwanted one."""
    wanted = Q(*(title_holds(term) for term in required(alternative)))
    for term in alternative.unwanted:
        wanted &= ~term_matches(term)
    return wanted


def title_holds(term: Term) -> Q:
    """The apostrophe read both ways, as SQLite's search does: "dont" is in Don't Look Up,
    which full text cannot find, "don't" being two stopwords to PostgreSQL."""
    return (
        Q(search_title__contains=term.title)
        | Q(title_without_apostrophes__contains=term.title.replace("'", ""))
        | respelt_matches(term)
    )


# The folded titles with their apostrophes taken out: matched beside the titles as they
# are, so that the apostrophe is read both ways.
TITLE_WITHOUT_APOSTROPHES = Replace("search_title", Value("'"), output_field=TextField())


def word_search(queryset, query: str):
    found = alternatives(query, SQLITE_MAX_WORDS)
    if not found:
        return queryset.none()
    matches = Q()
    for alternative in found:
        matches |= alternative_matches(alternative)
    return (
        with_title_ranks(queryset, found)
        .filter(matches)
        .order_by("named_title", "title_match", "-popularity", "title", "id")
    )


def with_title_ranks(queryset, found: list[Alternative]):
    """Alias what the searches rank by, lowest first: `named_title`, 0 when the film's title
    or original title is the words an alternative wants (`title_names`), 1 when it is them
    with their numerals in the other spelling ("rocky 2" and Rocky II, after a Rocky 2), 2
    when it is them without their leading article ("the matrix" and Matrix, after The
    Matrix); and `title_match`, 0 when its titles hold every word the first alternative
    requires where a word starts (none: popularity alone)."""
    # The apostrophe is read both ways: "oceans" finds Ocean's Eleven, and "avventura"
    # L'Avventura, where the word starts after it.
    queryset = queryset.alias(
        title_without_apostrophes=TITLE_WITHOUT_APOSTROPHES, **TITLES_AS_NAMED
    )
    # The spelling typed first: "10 men" is 10 Men before X-Men.
    named, named_respelt, named_without_article = Q(), Q(), Q()
    for alternative in found:
        typed, *other = spellings(alternative.wanted)
        named |= named_by(title_names(typed))
        named_respelt |= named_by(title_names(*other))
        named_without_article |= named_by(names_without_article(alternative))
    in_title = [title_matches(term) for term in required(found[0])] if found else []
    return queryset.alias(
        named_title=ranked(named, named_respelt, named_without_article),
        title_match=ranked(Q(*in_title)),
    )


def required(alternative: Alternative) -> list[Term]:
    """The words a film must have: all those wanted but a leading article followed by
    others, which a title may lack ("the matrix" finds Matrix). PostgreSQL's full text
    drops "the", "a" and "an" as stopwords anyway; SQLite now does too, and both drop the
    other ARTICLES."""
    wanted = alternative.wanted
    return wanted[1:] if len(wanted) > 1 and wanted[0].title in ARTICLES else wanted


def named_by(names: list[str]) -> Q:
    """Films whose title or original title, as TITLES_AS_NAMED reads them, is one of
    `names`."""
    if not names:
        return Q()
    # A title the words name ends with their last word: a cheap test first, which spares
    # most films found the longer one (SQLite evaluates it for each).
    ends = Q()
    for last in {name.rsplit(" ", 1)[-1] for name in names}:
        ends |= Q(title_without_apostrophes__endswith=last) | Q(
            title_without_apostrophes__contains=last + TITLES_APART
        )
    return ends & (Q(title_as_named__in=names) | Q(original_title_as_named__in=names))


# What may come before the words of a title they name.
TITLE_STARTS = ("", *(f"{article} " for article in ARTICLES))
# Elided before a vowel, it is glued to its word: taken off the titles and the query
# alike (as_named, FOLDED_TITLES), where the other articles are skipped by title_names.
ELIDED_ARTICLE = " l'"


def as_named(title_words: str) -> str:
    """Folded words as `named_title` compares them: an elided article and the apostrophes
    taken off, as FOLDED_TITLES does in SQL."""
    return title_words.replace(ELIDED_ARTICLE, " ").replace("'", "")


# A film's titles as named_title reads them, each after a space: " l'avventura | ..."
# gives " avventura" and "...". Not a regular expression: SQLite calls Python's for each
# film found, slower still (docs/benchmarks.md, Search).
FOLDED_TITLES = Replace(
    Replace("search_title", Value(ELIDED_ARTICLE), Value(" ")),
    Value("'"),
    output_field=TextField(),
)
ORIGINAL_TITLE_AT = StrIndex(FOLDED_TITLES, Value(TITLES_APART))  # 0: no original title
TITLES_AS_NAMED = {
    "title_as_named": Case(
        When(Exact(ORIGINAL_TITLE_AT, 0), then=FOLDED_TITLES),
        default=Left(FOLDED_TITLES, ORIGINAL_TITLE_AT - 1),
        output_field=TextField(),
    ),
    # From the space before it: " | " is three characters.
    "original_title_as_named": Case(
        When(Exact(ORIGINAL_TITLE_AT, 0), then=Value("")),
        default=Substr(FOLDED_TITLES, ORIGINAL_TITLE_AT + len(TITLES_APART) - 1),
        output_field=TextField(),
    ),
}


def title_names(*spelt: str) -> list[str]:
    """The titles, as TITLES_AS_NAMED reads them, that each of `spelt` (words as `spellings`
    gives them) names: itself, and after each of ARTICLES (" matrix", " the matrix", " a
    matrix"...). None for no words ("-heat", "l'")."""
    return [f" {start}{words}" for words in spelt if words for start in TITLE_STARTS]


def names_without_article(alternative: Alternative) -> list[str]:
    """The titles the words name without the leading article `required` leaves out, in
    either numeral: " matrix" for "the matrix"; none when it leaves out none."""
    rest = required(alternative)
    return [f" {words}" for words in spellings(rest)] if rest != alternative.wanted else []


def spellings(terms: list[Term]) -> list[str]:
    """The terms' words as TITLES_AS_NAMED reads titles, and again with their numerals
    respelt if they have any; an empty string when there is no word ("-heat", "l'")."""
    wanted = as_named(" " + " ".join(term.title for term in terms)).strip()
    return [wanted, other] if (other := respelt(wanted)) else [wanted]


def ranked(*conditions: Q):
    """0 for the films that meet the first condition, 1 the second..., then the rest."""
    whens = [
        When(condition, then=Value(rank)) for rank, condition in enumerate(conditions) if condition
    ]
    rest = Value(len(conditions))
    return Case(*whens, default=rest) if whens else rest


def alternative_matches(alternative: Alternative) -> Q:
    wanted = Q(*(term_matches(term) for term in required(alternative)))
    for term in alternative.unwanted:
        wanted &= ~term_matches(term)
    return wanted


def term_matches(term: Term) -> Q:
    return title_matches(term) | Q(overview__icontains=term.overview)


def title_matches(term: Term) -> Q:
    return (
        Q(title_without_apostrophes__contains=" " + term.title.replace("'", ""))
        | Q(search_title__contains="'" + term.title)
        | respelt_matches(term)
    )


def respelt_matches(term: Term) -> Q:
    """Titles with the term's words in their other numeral, as whole words: "2" finds
    Part II, not Part III."""
    if not term.respelt:
        return Q()
    respelt_words = " " + term.respelt.replace("'", "")
    return Q(title_without_apostrophes__contains=respelt_words + " ") | Q(
        title_without_apostrophes__endswith=respelt_words
    )
