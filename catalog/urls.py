from django.urls import path, register_converter
from django.urls.converters import StringConverter

from catalog import review_views, views


class UnicodeSlugConverter(StringConverter):
    """A slug in any script ("アクション", Genre.slug allows them): letters, digits, _ and -.

    Not `str`: that also takes characters no slug has, a NUL among them, which PostgreSQL
    refuses in a query.
    """

    regex = r"[-\w]+"


register_converter(UnicodeSlugConverter, "unicode_slug")

app_name = "catalog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("movies/", views.MovieListView.as_view(), name="movie_list"),
    path("movies/<int:pk>/", views.MovieDetailView.as_view(), name="movie_detail"),
    path("genres/<unicode_slug:slug>/", views.GenreDetailView.as_view(), name="genre_detail"),
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
