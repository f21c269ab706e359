"""Marquee's admin site: Django's, with its autocomplete refusing what no column holds."""

from django.contrib import admin
from django.http import HttpResponseBadRequest


class MarqueeAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        # PostgreSQL refuses a NUL in a text parameter (a DataError, so a 500) where
        # SQLite only finds nothing; no title or username holds one. The change lists
        # need no such guard: their search form already drops a term with a NUL.
        if any("\x00" in value for _, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest("The search holds a NUL character.")
        return super().autocomplete_view(request)
