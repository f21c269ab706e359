"""Django's own apps, as Marquee installs them (settings.INSTALLED_APPS)."""

from django.contrib.admin.apps import AdminConfig


class MarqueeAdminConfig(AdminConfig):
    def ready(self):
        super().ready()  # every app's admin.py has registered its models
        from django.contrib import admin

        from config.admin_lists import check_date_parts_everywhere

        check_date_parts_everywhere(admin.site)
