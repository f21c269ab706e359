"""The film catalog: movies, genres, reviews, ratings, searches and relationships.

Every rule here is also a database constraint, so that data written around the ORM
(raw SQL, a restore, an import) is held to the same rules as data written by a form.

The models live in one module per part; every name the rest of Marquee uses is here.
"""

from catalog.models.movies import (
    FIRST_FILM_YEAR,
    IMDB_ID_PATTERN,
    LAST_PLAUSIBLE_YEAR,
    Genre,
    Movie,
)
from catalog.models.ratings import (
    MARQUEE_STARS_MESSAGE,
    SCALE_MESSAGE,
    STARS_MAX,
    STARS_MIN,
    MovieRatingStats,
    RaterKind,
    Rating,
    RatingSource,
    within_scale_limit,
)
from catalog.models.relationships import MovieRelationship, RelationshipType
from catalog.models.reviews import (
    BEFORE_TWITTER_MESSAGE,
    EDITED_BEFORE_POSTED_MESSAGE,
    MEMBER_REVIEW_BLANK_MESSAGE,
    MEMBER_REVIEW_MAX_LENGTH,
    MEMBER_REVIEW_TOO_LONG_MESSAGE,
    ONE_REVIEW_PER_FILM_MESSAGE,
    STRIPPED_WHITESPACE,
    TWITTER_BEGAN,
    Review,
    ReviewSource,
    SentimentLabel,
)
from catalog.models.searches import FILTERS_NULL_MESSAGE, UserSearch
from catalog.models.tags import MovieTag

__all__ = [
    "BEFORE_TWITTER_MESSAGE",
    "EDITED_BEFORE_POSTED_MESSAGE",
    "FILTERS_NULL_MESSAGE",
    "FIRST_FILM_YEAR",
    "IMDB_ID_PATTERN",
    "LAST_PLAUSIBLE_YEAR",
    "MARQUEE_STARS_MESSAGE",
    "MEMBER_REVIEW_BLANK_MESSAGE",
    "MEMBER_REVIEW_MAX_LENGTH",
    "MEMBER_REVIEW_TOO_LONG_MESSAGE",
    "ONE_REVIEW_PER_FILM_MESSAGE",
    "SCALE_MESSAGE",
    "STARS_MAX",
    "STARS_MIN",
    "STRIPPED_WHITESPACE",
    "TWITTER_BEGAN",
    "Genre",
    "Movie",
    "MovieRatingStats",
    "MovieRelationship",
    "MovieTag",
    "RaterKind",
    "Rating",
    "RatingSource",
    "RelationshipType",
    "Review",
    "ReviewSource",
    "SentimentLabel",
    "UserSearch",
    # Migrations name it catalog.models.within_scale_limit.
    "within_scale_limit",
]
