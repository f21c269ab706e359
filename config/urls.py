from django.contrib import admin
from django.urls import include, path

from config import account_settings, accounts, email_confirmation, views
from feedback import imdb_views, letterboxd_views, trakt_views

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/signup/", accounts.SignUpView.as_view(), name="signup"),
    path("accounts/login/", accounts.LogInView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogOutView.as_view(), name="logout"),
    path("accounts/settings/", account_settings.account_page, name="account_settings"),
    path("accounts/settings/email/", account_settings.email_change, name="email_change"),
    path(
        "accounts/settings/email/confirm/<str:key>/",
        email_confirmation.email_confirm,
        name="email_confirm",
    ),
    path(
        "accounts/settings/time-zone/",
        account_settings.time_zone_change,
        name="time_zone_change",
    ),
    path("accounts/settings/delete/", account_settings.account_delete, name="account_delete"),
    path(
        "accounts/import/letterboxd/",
        letterboxd_views.letterboxd_import_page,
        name="letterboxd_import",
    ),
    path("accounts/import/imdb/", imdb_views.imdb_import_page, name="imdb_import"),
    path("accounts/import/trakt/", trakt_views.trakt_import_page, name="trakt_import"),
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("catalog.urls")),
    path("library/export/", include("feedback.export_urls")),
    path("", include("feedback.urls")),
    path("recommendations/", include("recommendations.urls")),
]

# Said in the site's look, and without reading the request's body again (config/views.py).
handler400 = views.bad_request
