"""Marquee's admin site: Django's, with its autocomplete refusing what no column holds, and
its password change counting a wrong old password as a failed log-in."""

from django.contrib import admin
from django.http import HttpResponseBadRequest
from django.urls import reverse

from config.accounts import CountedPasswordChangeForm, PasswordChangeView


class AdminPasswordChangeForm(CountedPasswordChangeForm):
    # What Django's admin form adds to Django's password change form.
    required_css_class = "required"


class MarqueeAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        # PostgreSQL refuses a NUL in a text parameter (a DataError, so a 500) where
        # SQLite only finds nothing; no title or username holds one. The change lists
        # need no such guard: their search form already drops a term with a NUL.
        if any("\x00" in value for _, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest("The search holds a NUL character.")
        return super().autocomplete_view(request)

    def password_change(self, request, extra_context=None):
        # Django's own, but for the view that gives its form the request: staff at an open
        # session must not guess their password here without limit (config/lockout.py).
        request.current_app = self.name
        return PasswordChangeView.as_view(
            form_class=AdminPasswordChangeForm,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )(request)
