from django.urls import path, register_converter
from django.urls.converters import StringConverter

from catalog import review_views, views
from catalog.models.movies import slug_links


class GenreSlugConverter(StringConverter):
    """Any slug the database lets a genre have (catalog/models/movies.py), so that every
    genre links to its page: tidy ones ("drama", "アクション") and those written around
    validation ("bad slug", "a.b"), which reverse() percent-encodes.

    `str`'s part of an address (anything but "/"), less what the CHECKs refuse, by the
    same rule (slug_links): control characters, a NUL among them, which PostgreSQL refuses
    in a query, and "." and "..", which browsers resolve as in a file path.
    """

    def to_python(self, value):
        # A ValueError is no match: the address is not found, the link not made.
        if not slug_links(value):
            raise ValueError(f"No genre can have the slug {value!r}.")
        return value

    to_url = to_python


register_converter(GenreSlugConverter, "genre_slug")

app_name = "catalog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("movies/", views.MovieListView.as_view(), name="movie_list"),
    path("movies/<int:pk>/", views.MovieDetailView.as_view(), name="movie_detail"),
    path("genres/<genre_slug:slug>/", views.GenreDetailView.as_view(), name="genre_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path(
        "movies/<int:pk>/reviews/",
        review_views.MovieReviewsView.as_view(),
        name="movie_reviews",
    ),
    path("movies/<int:pk>/review/", review_views.movie_review, name="movie_review"),
    path("reviews/", review_views.MyReviewsView.as_view(), name="my_reviews"),
    path("reviews/<int:pk>/delete/", review_views.review_delete_view, name="review_delete"),
]
