"""Django's own apps, as Marquee installs them (settings.INSTALLED_APPS)."""

from django.contrib.admin.apps import AdminConfig
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.core import checks


class MarqueeAdminConfig(AdminConfig):
    def ready(self):
        super().ready()  # every app's admin.py has registered its models
        from django.contrib import admin

        from config.admin_lists import check_date_parts_everywhere

        check_date_parts_everywhere(admin.site)


class MarqueeStaticFilesConfig(StaticFilesConfig):
    def ready(self):
        super().ready()
        from config.checks import static_files_in_the_manifest

        # Not tagged "staticfiles": collectstatic runs those checks first, and would warn
        # that it has not been run.
        checks.register(static_files_in_the_manifest, "marquee")
