from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("movies/", views.MovieListView.as_view(), name="movie_list"),
    path("movies/<int:pk>/", views.MovieDetailView.as_view(), name="movie_detail"),
    path("genres/<str:slug>/", views.GenreDetailView.as_view(), name="genre_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
]
