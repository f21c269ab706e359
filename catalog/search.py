"""Searching the catalog by title and overview.

Titles are matched folded (catalog/folding.py): the query is folded as the stored
`search_title` was, so "amelie" finds Amélie on both databases, and a title in any
script matches whatever its case.

PostgreSQL: full-text search ranked by relevance, on the expression that migration 0008
indexes (catalog_movie_search_idx). The two must stay identical, character for character
once compiled, or PostgreSQL falls back to reading the whole table; a test runs EXPLAIN
to hold them together. SQLite has no full-text index here: every word of the query must
appear in the titles or the overview, title matches first.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, Q, Value, When

from catalog.folding import fold

SEARCH_CONFIG = "english"
QUERY_MAX_LENGTH = 255  # UserSearch.query's length: a longer query could not be recorded.
SQLITE_MAX_WORDS = 10  # Each word is a LIKE over three columns; a bound keeps that cheap.


def search_vector() -> SearchVector:
    """Compiles to the indexed expression: setweight(to_tsvector('english',
    coalesce(search_title, '')), 'A') || setweight(to_tsvector('english', coalesce(overview,
    '')), 'B')."""
    return SearchVector("search_title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "overview", weight="B", config=SEARCH_CONFIG
    )


def search_movies(queryset, query: str):
    if connections[queryset.db].vendor == "postgresql":
        return full_text_search(queryset, query)
    return word_search(queryset, query)


def full_text_matches(queryset, query: str):
    """The rows the index finds, ranked; title weighs more than overview."""
    # Folding keeps the web search syntax ("quotes", -not, or) as it was typed.
    ts_query = SearchQuery(fold(query), search_type="websearch", config=SEARCH_CONFIG)
    return (
        queryset.alias(search_vector=search_vector())
        .filter(search_vector=ts_query)
        .annotate(search_rank=SearchRank(search_vector(), ts_query))
        .order_by("-search_rank", "-popularity", "title", "id")
    )


def full_text_search(queryset, query: str):
    """Full-text matches; when there are none, titles containing the text as typed.

    Words are stemmed whole, so "godfath" finds nothing by full text; the fallback makes
    a partial title still find its film. It is a second query rather than an OR in the
    first one, because an OR with an unindexed condition would scan the whole table for
    every search, including the ones the index answers.

    The check is count(), not exists(): under exists()'s LIMIT 1 PostgreSQL bets that a
    sequential scan meets a match early, and for a word no film has it reads the whole
    table (1.5 s on 100,000 films, against 15 ms through the index).
    """
    matches = full_text_matches(queryset, query)
    if matches.count():
        return matches
    return queryset.filter(search_title__contains=fold(query)).order_by(
        "-popularity", "title", "id"
    )


def word_search(queryset, query: str):
    """The overview is matched as stored (SQLite's LIKE ignores ASCII case only): folding
    it too would mean storing every overview twice."""
    words = query.split()[:SQLITE_MAX_WORDS] or [query]
    matches = queryset
    for word in words:
        matches = matches.filter(Q(search_title__contains=fold(word)) | Q(overview__icontains=word))
    in_title = Q(search_title__contains=fold(query))
    return matches.annotate(
        title_match=Case(When(in_title, then=Value(0)), default=Value(1))
    ).order_by("title_match", "-popularity", "title", "id")
