"""Django's own apps, as Marquee installs them (settings.INSTALLED_APPS)."""

from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.core import checks
from django.db.models.signals import post_delete


class MarqueeAdminConfig(AdminConfig):
    # admin.site, which every app's admin.py registers with, is an instance of this.
    default_site = "config.admin_site.MarqueeAdminSite"

    def ready(self):
        super().ready()  # every app's admin.py has registered its models
        from django.contrib import admin

        from config.admin_lists import check_date_parts_everywhere
        from config.checks import static_files_in_the_manifest
        from config.lockout import forget_failed_logins

        check_date_parts_everywhere(admin.site)
        # Registered here rather than by a StaticFilesConfig of our own: tools look for
        # "django.contrib.staticfiles" by name in INSTALLED_APPS (pytest-django's live
        # server serves static files only then). Not tagged "staticfiles": collectstatic
        # runs those checks first, and would warn that it has not been run.
        checks.register(static_files_in_the_manifest, "marquee")
        # Here, the one app of config's own that Django readies: accounts are auth's.
        post_delete.connect(
            forget_failed_logins,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="forget_failed_logins",
        )
