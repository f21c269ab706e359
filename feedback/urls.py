from django.urls import path

from feedback import film_list_views, not_interested_views, stats_views, views, watchlist_views

app_name = "feedback"

urlpatterns = [
    path("library/", views.LibraryView.as_view(), name="library"),
    path("library/feedback/new/", views.feedback_new, name="feedback_new"),
    # Media servers' ids may hold slashes (plex://movie/5d77...), hence <path:>, and may
    # end with anything: an action on an item is not its page address plus a suffix, or
    # the item "x/watched" could not reach its page. Each action's first part after
    # library/ is its own, which no other route's is (views.moved_action_url sends on
    # the old addresses).
    path("library/media/<path:media_id>/", views.media_detail, name="media_detail"),
    path("library/media-feedback/<path:media_id>/", views.feedback_edit, name="feedback_edit"),
    path(
        "library/media-feedback-delete/<path:media_id>/",
        views.feedback_delete,
        name="feedback_delete",
    ),
    path("library/media-watched/<path:media_id>/", views.media_watched, name="media_watched"),
    path("movies/<int:pk>/feedback/", views.movie_feedback, name="movie_feedback"),
    path("movies/<int:pk>/watched/", views.movie_watched, name="movie_watched"),
    path("movies/<int:pk>/rate/", views.movie_rate, name="movie_rate"),
    path(
        "movies/<int:pk>/watchlist/add/",
        watchlist_views.movie_watchlist_add,
        name="movie_watchlist_add",
    ),
    path(
        "movies/<int:pk>/watchlist/remove/",
        watchlist_views.movie_watchlist_remove,
        name="movie_watchlist_remove",
    ),
    path("watchlist/", watchlist_views.WatchlistView.as_view(), name="watchlist"),
    path(
        "movies/<int:pk>/not-interested/",
        not_interested_views.movie_not_interested,
        name="movie_not_interested",
    ),
    path(
        "movies/<int:pk>/not-interested/undo/",
        not_interested_views.movie_not_interested_undo,
        name="movie_not_interested_undo",
    ),
    path(
        "not-interested/",
        not_interested_views.NotInterestedListView.as_view(),
        name="not_interested",
    ),
    path(
        "movies/<int:pk>/lists/add/",
        film_list_views.movie_film_list_add,
        name="movie_film_list_add",
    ),
    path("lists/", film_list_views.FilmListsView.as_view(), name="film_lists"),
    path("lists/<int:pk>/", film_list_views.film_list_detail, name="film_list"),
    path("lists/<int:pk>/delete/", film_list_views.film_list_delete_view, name="film_list_delete"),
    path("lists/<int:pk>/add/", film_list_views.film_list_add, name="film_list_add"),
    path(
        "lists/<int:pk>/films/<int:movie_pk>/move/",
        film_list_views.film_list_move,
        name="film_list_move",
    ),
    path(
        "lists/<int:pk>/films/<int:movie_pk>/remove/",
        film_list_views.film_list_remove,
        name="film_list_remove",
    ),
    path(
        "lists/<int:pk>/films/<int:movie_pk>/note/",
        film_list_views.film_list_note,
        name="film_list_note",
    ),
    path("history/", views.HistoryView.as_view(), name="history"),
    path("history/<int:pk>/edit/", views.history_edit, name="history_edit"),
    path("history/<int:pk>/delete/", views.history_delete, name="history_delete"),
    path("stats/", stats_views.stats, name="stats"),
]
