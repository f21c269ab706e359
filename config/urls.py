from django.contrib import admin
from django.urls import include, path

from config import accounts, views

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/signup/", accounts.SignUpView.as_view(), name="signup"),
    path("accounts/login/", accounts.LogInView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogOutView.as_view(), name="logout"),
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
